"""Serves site/ on localhost with the MIME types the page needs.

.wasm must be application/wasm for streaming compilation; .gz files go out
as plain bytes (no Content-Encoding) because the page gunzips them itself.
"""
import functools
import http.server
import sys

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".gz": "application/octet-stream",
        ".safetensors": "application/octet-stream",
    }

def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    directory = sys.argv[2] if len(sys.argv) > 2 else "site"
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"AE Playground: http://localhost:{port}/", flush=True)
        httpd.serve_forever()

if __name__ == "__main__":
    main()
