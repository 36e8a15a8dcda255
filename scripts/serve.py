#!/usr/bin/env python3
"""Serves site/ on 127.0.0.1 for the playground: python3 scripts/serve.py [PORT [DIR]].

Python's own http.server guesses types from the system's mime tables; this
fixes the ones the page depends on: application/wasm (streaming compilation
insists on it), JavaScript for module workers, and .gz as plain bytes with no
Content-Encoding, since the page gunzips the datasets itself. Nothing is
cached, so a rebuild shows up on reload.

Every response carries the site's Content-Security-Policy (the pages repeat
it, but for frame-ancestors, in a meta tag for hosts that send no headers)
and `nosniff`, so a file is only ever run as the type it is served as, and
Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy, which make the
page cross-origin isolated: only then may the threaded build share its
memory with helper threads. (On a host that sends neither, the page asks
www/service-worker.js to add them.)
Directories without an index.html are not listed. /dev/ serves www/dev, the
developer pages (benchmarks, test pages) that site/ does not ship.
"""
import functools
import http.server
import os
import sys

SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "site")
# The developer pages (benchmarks, test pages) are not in site/: served at /dev/ from here.
DEV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "www", "dev")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".gz": "application/gzip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ts": "text/plain; charset=utf-8",
    ".safetensors": "application/octet-stream",
}

# Scripts and wasm only from the site itself ('wasm-unsafe-eval' lets it
# compile its own WebAssembly), no inline script or style, no plugins, no
# <base> rewriting, forms post only here. Any page may frame it: a lesson is
# made to be embedded in a blog post (#lesson=…&embed=1), and the site holds
# no account or stored data a framing page could trick a visitor into using.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors *"
)


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = TYPES

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        # Isolation: no cross-origin window keeps a handle on ours, and every
        # subresource is same-origin or opts in (the site loads only its own).
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def translate_path(self, path):
        # /dev/… from www/dev (never built into site/); their imports (../worker/…) come from the site.
        if path.startswith("/dev/"):
            directory, self.directory = self.directory, os.path.normpath(DEV)
            try:
                return super().translate_path(path[len("/dev"):])
            finally:
                self.directory = directory
        return super().translate_path(path)

    def list_directory(self, path):
        # A directory without an index.html is not the site's business to show.
        self.send_error(404, "Not found")
        return None


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("PORT", "8080"))
    directory = sys.argv[2] if len(sys.argv) > 2 else os.path.normpath(SITE)
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        # Port 0 picks a free one: print the one bound (the CSP test reads this line).
        port = server.server_address[1]
        print(f"Serving AE Playground at http://localhost:{port}/  (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
