// A tiny static file server for the built site/, for the browser tests and
// the wasm benchmark. In-process on a free loopback port, so parallel runs
// never race for a port and nothing outlives the test.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The developer pages (benchmarks, test pages): never in site/, served at /dev/ from www/dev itself. */
const DEV = fileURLToPath(new URL('../../www/dev/', import.meta.url));

// Module workers and wasm streaming compilation check these types.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain',
};

/**
 * A file's bytes, read once and kept while its size and time stay the same (a
 * rebuild of site/ changes both): a page open fetches about 13 MB, mostly the
 * datasets, and streaming them from disk in 64 KB chunks at every open cost
 * the test process more than the rest of its work.
 */
const kept = new Map();
function contents(file, { size, mtimeMs }) {
  const hit = kept.get(file);
  if (hit?.size === size && hit.mtimeMs === mtimeMs) return hit.bytes;
  const bytes = readFileSync(file);
  kept.set(file, { size, mtimeMs, bytes });
  return bytes;
}

/** What scripts/serve.py sends to make the page cross-origin isolated (the threaded build needs it). */
export const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * A test-only hook: with AE_TEST_SLOW_TRAINING_MS=N in the environment, the
 * worker's training loop is served with a busy wait of N ms after every batch,
 * so the whole suite can be run as on a slow machine (`bash scripts/test.sh`
 * both ways shows that no test depends on how fast training runs). Returns
 * the patched module's text, or null for every other file (and when unset).
 */
function slowTraining(file) {
  const ms = Number(process.env.AE_TEST_SLOW_TRAINING_MS ?? 0);
  if (!(ms > 0) || !file.endsWith(`${sep}worker${sep}worker-training.js`)) return null;
  const text = readFileSync(file, 'utf8');
  const target = 'pg.train(data, k);';
  if (!text.includes(target)) throw new Error(`worker-training.js no longer holds ${target}: update the slow-training hook`);
  return text.replace(target, `${target} { const until = performance.now() + k * ${ms}; while (performance.now() < until); }`);
}

/**
 * A slow network for scripts/bench-first-load.mjs: every response waits a
 * round trip, and all of them share one link of `bytesPerSecond`, chunk by
 * chunk, as downloads in parallel share a real one. Here rather than in the
 * browser: DevTools' throttling reaches the page and its workers, but not
 * the requests the site's service worker makes for them.
 */
function pacedLink({ bytesPerSecond, latencyMs }) {
  let free = 0; // when the link has sent everything queued so far (performance.now() ms)
  return (stream, res, sent) => {
    stream.pause();
    let ended = false;
    let pending = 0;
    setTimeout(() => {
      stream.on('data', (chunk) => {
        stream.pause();
        pending++;
        free = Math.max(free, performance.now()) + (1000 * chunk.length) / bytesPerSecond;
        setTimeout(() => {
          sent.bytes += chunk.length;
          pending--;
          if (ended && pending === 0) res.end(chunk);
          else if (res.write(chunk)) stream.resume();
          else res.once('drain', () => stream.resume());
        }, free - performance.now());
      });
      // The last chunk may still wait for the link: the response ends after it.
      stream.on('end', () => {
        ended = true;
        if (pending === 0) res.end();
      });
      res.on('close', () => stream.destroy());
      stream.resume();
    }, latencyMs);
  };
}

/**
 * Serves `root` on 127.0.0.1; resolves to {url, requests, sent, close()}, `requests` listing the paths asked
 * for and `sent.bytes` counting the bytes of files sent (scripts/bench-first-load.mjs).
 * `mounts` serves other folders under URL prefixes: {'/vendor/tfjs/': 'node_modules/@tensorflow/tfjs/dist'};
 * /dev/ is always www/dev (its pages import ../worker/… and the like from `root`).
 * `isolated: false` leaves out the isolation headers, as a static host that sets none would;
 * `network: {bytesPerSecond, latencyMs}` serves files as over a slow link (pacedLink).
 */
export function serve(root, extraMounts = {}, { isolated = true, network = null } = {}) {
  const mounts = { '/dev/': DEV, ...extraMounts };
  const link = network && pacedLink(network);
  const requests = [];
  const sent = { bytes: 0 };
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const base = resolve(prefix ? mounts[prefix] : root);
    if (prefix) path = path.slice(prefix.length);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const slowed = slowTraining(file);
      if (slowed !== null) {
        res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Content-Length': Buffer.byteLength(slowed), 'Cache-Control': 'no-store', ...(isolated ? ISOLATION : {}) });
        res.end(req.method === 'HEAD' ? undefined : slowed);
        return;
      }
      const stat = statSync(file);
      // No Content-Encoding for .gz: the worker wants the gzip bytes themselves.
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size, 'Cache-Control': 'no-store', ...(isolated ? ISOLATION : {}) });
      if (req.method === 'HEAD') res.end();
      else if (link) link(createReadStream(file), res, sent);
      else {
        const bytes = contents(file, stat);
        sent.bytes += bytes.length;
        res.end(bytes);
      }
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}/`, requests, sent, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
