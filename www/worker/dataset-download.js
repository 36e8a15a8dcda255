// Fetches an MNIST-format dataset (four gzipped IDX files) for the worker and
// the benchmark/test pages. No DOM: it runs in a worker. The .gz responses go
// into the Cache API so a reload, or a visit offline, does not download
// 11–30 MB again. Each is kept under its content hash from the site's
// build.json (scripts/build-site.sh): a deploy that changes a file gets it
// afresh, and the site's service worker (www/service-worker.js) deletes the
// copies its build no longer lists. The files
// are unpacked with the browser's own DecompressionStream, which is faster
// than inflating in wasm and keeps the wasm heap from holding both forms.

import { datasetFacts } from '../shared/run-settings.js';

export const CACHE_NAME = 'ae-playground-data-v2';

/** The four files, in the order `new MnistData(...)` takes them. */
export const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** Progress callbacks at most this often per file (plus the last one). */
const PROGRESS_MS = 100;

/**
 * @param {string} name  a dataset of the settings table (its facts name the folder)
 * @param {(p: {phase: 'download'|'decode', loaded: number, total: number, file: string}) => void} onProgress
 * @param {string|URL} base  the site root the data/ folder hangs from
 * @returns {Promise<Uint8Array[]>} the four decompressed IDX files, in FILES order
 */
export async function loadDataset(name, onProgress = () => {}, base = new URL('../', import.meta.url)) {
  const { dir } = datasetFacts(name);
  const cache = await openCache();
  const hashes = cache ? await fileHashes(base) : {};
  const out = [];
  // One file after the other: progress reads naturally, and the big file
  // would take the bandwidth anyway.
  for (const file of FILES) {
    const path = `data/${dir}/${file}.gz`;
    const url = new URL(path, base).href;
    const gz = await download(url, cache, hashes[path], (loaded, total) => onProgress({ phase: 'download', loaded, total, file }));
    try {
      out.push(await gunzip(gz, (loaded, total) => onProgress({ phase: 'decode', loaded, total, file })));
    } catch (e) {
      // A corrupt cached copy must not survive to break the retry too.
      await cache?.delete(cacheKey(url, hashes[path])).catch(() => {});
      throw e;
    }
  }
  return out;
}

async function openCache() {
  // The Cache API exists only in secure contexts (https, localhost); without
  // it every load downloads, which is slower but correct.
  try {
    return self.caches ? await self.caches.open(CACHE_NAME) : null;
  } catch {
    return null;
  }
}

/** The site's files and their content hashes (build.json), or {} for a site built without it. */
async function fileHashes(base) {
  try {
    const res = await fetch(new URL('build.json', base));
    return res.ok ? ((await res.json()).files ?? {}) : {};
  } catch {
    return {};
  }
}

/** Where a file is kept: its address with its content hash, when the site names one. */
const cacheKey = (url, hash) => (hash ? `${url}?sha256=${hash}` : url);

async function download(url, cache, hash, progress) {
  const key = cacheKey(url, hash);
  let res = cache ? await cache.match(key).catch(() => undefined) : undefined;
  const cached = !!res;
  if (!res) {
    try {
      res = await fetch(url);
    } catch (e) {
      throw new Error(`could not download ${url}: ${e.message} (is the server running?)`, { cause: e });
    }
    if (!res.ok) throw new Error(`could not download ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  const bytes = await readAll(res.body, Number(res.headers.get('Content-Length')) || 0, progress);
  if (!cached && cache) {
    // A full quota only costs the next visit a download; never fail the load for it.
    await cache.put(key, new Response(bytes, { headers: { 'Content-Type': 'application/gzip', 'Content-Length': String(bytes.length) } })).catch(() => {});
  }
  return bytes;
}

async function gunzip(bytes, progress) {
  // A server that sent the file with Content-Encoding: gzip has had the
  // browser unpack it already: take plain IDX bytes as they are.
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  // gzip ends with the uncompressed size mod 2³² (RFC 1952, ISIZE): enough to
  // preallocate the output and report progress.
  const n = bytes.length;
  const size = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await readAll(stream, size, progress);
  } catch (e) {
    throw new Error(`the downloaded file is not valid gzip (${e.message}); reload to fetch it again`, { cause: e });
  }
}

/** Reads a stream into one Uint8Array, growing past `expected` if it must. */
async function readAll(stream, expected, progress) {
  let buf = new Uint8Array(expected || 1 << 20);
  let len = 0;
  let last = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (len + value.length > buf.length) {
      const grown = new Uint8Array(Math.max(2 * buf.length, len + value.length));
      grown.set(buf.subarray(0, len));
      buf = grown;
    }
    buf.set(value, len);
    len += value.length;
    const now = performance.now();
    if (now - last >= PROGRESS_MS) {
      last = now;
      progress(len, Math.max(expected, len));
    }
  }
  progress(len, len); // always the last word, so a bar reaches 100%
  return len === buf.length ? buf : buf.slice(0, len);
}
