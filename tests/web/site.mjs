// What the browser tests of the core and worker share: how to start Chromium,
// and a rebuild of site/ when it is older than the sources it was built from
// (a stale wasm would make the native-vs-wasm comparison test yesterday's code).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The cargo profile of the native tools the tests run: scripts/test.sh builds them with `suite`. */
export const NATIVE_PROFILE = process.env.AE_NATIVE_PROFILE ?? 'release';

/** `cargo <verb>` of a native tool under NATIVE_PROFILE, so the tests never build a second profile. */
export function cargoNative(verb, args, options = {}) {
  return execFileSync('cargo', [verb, '--quiet', '--profile', NATIVE_PROFILE, ...args], { cwd: ROOT, ...options });
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The core's unthreaded builds (scripts/build-site.sh, www/worker/wasm-build.js): folders of site/pkg. */
export const BUILDS = ['relaxed', 'simd', 'plain'];
/** The threaded build: it runs only in a worker of a cross-origin isolated page (tests/web/threads.test.mjs). */
export const THREADED = 'threads';

/** What is stale in site/, or null: each build's wasm against src/, `pages` against www/. */
function staleness(pages) {
  for (const b of [THREADED, ...BUILDS]) {
    const wasm = join(ROOT, `site/pkg/${b}/ae_playground_bg.wasm`);
    if (!existsSync(wasm)) return `site/pkg/${b}/ae_playground_bg.wasm is missing`;
    if (newest(join(ROOT, 'src')) > statSync(wasm).mtimeMs) return `site/pkg/${b} is older than src/`;
  }
  for (const p of pages) {
    const built = join(ROOT, 'site', p);
    if (!existsSync(built) || statSync(join(ROOT, 'www', p)).mtimeMs > statSync(built).mtimeMs) return `site/${p} is missing or older than www/${p}`;
  }
  if (!existsSync(join(ROOT, 'site/data/mnist/train-images-idx3-ubyte.gz'))) return 'site/data/mnist is missing';
  return null;
}

/** Every file of www/ that site/ ships (not dev/, which is served from www/dev itself), as paths relative to it. */
export function wwwFiles(dir = join(ROOT, 'www'), prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(prefix === '' && e.name === 'dev'))
    .flatMap((e) => (e.isDirectory() ? wwwFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** Rebuilds site/ (scripts/build-site.sh) when it is stale, so a test never runs yesterday's wasm. */
export function ensureSiteFresh(pages) {
  if (!staleness(pages)) return;
  execFileSync('bash', [join(ROOT, 'scripts/build-site.sh')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const still = staleness(pages);
  if (still) throw new Error(`${still} even after scripts/build-site.sh (has scripts/setup.sh run?)`);
}

/** Largest |a−b| / max(|a|, |b|, 1e-6) over two equally long lists, and where. */
export function worst(a, b) {
  assert.equal(a.length, b.length, 'lists differ in length');
  let max = 0;
  let at = -1;
  a.forEach((x, i) => {
    const r = Math.abs(x - b[i]) / Math.max(Math.abs(x), Math.abs(b[i]), 1e-6);
    if (r > max || Number.isNaN(r)) [max, at] = [r, i];
  });
  return { max, at };
}

/**
 * Serves the module `file` of site/ to every page of `context` with `target`
 * replaced by `replacement`: how a test makes the worker meet what only a
 * defect could cause (a wasm trap). Fails if the module no longer holds `target`.
 */
export async function patchModule(context, file, target, replacement) {
  await context.route(`**/${file}`, async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    assert.ok(text.includes(target), `${file} still holds ${target}`);
    await route.fulfill({ response, body: text.replace(target, replacement) });
  });
}

/**
 * Chromium for a test file: the suite's shared one when tests/web/run.mjs
 * started it (a launch costs about a second a file; each file's contexts
 * still keep its tests apart, and its `close()` disconnects), else its own.
 * `own: true` launches one regardless: over a connection, setInputFiles sends
 * a file's bytes, where a local browser is handed only its path.
 */
export async function launchChromium({ own = false } = {}) {
  const shared = own ? undefined : process.env.AE_TEST_BROWSER;
  const browser = await (shared ? chromium.connect(shared) : chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }));
  // The site's service worker (www/service-worker.js) keeps files across
  // reloads and answers requests before a test's page.route() sees them, so
  // a context blocks it unless its test asks for `serviceWorkers: 'allow'`:
  // the tests of the worker itself (offline.test.mjs, threads.test.mjs).
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ serviceWorkers: 'block', ...options });
  return browser;
}
