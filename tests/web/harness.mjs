// Shared pieces of the browser tests: a static server for site/, headless
// Chromium through playwright-core, and helpers that act and read like a
// person would (click the controls, draw with the mouse, read canvases).
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { ensureSiteFresh, launchChromium, NATIVE_PROFILE, wwwFiles } from './site.mjs';
export { cargoNative, patchModule } from './site.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The native tools' folder (site.mjs NATIVE_PROFILE).
export const NATIVE = path.join(ROOT, 'target', NATIVE_PROFILE);
export const SITE = path.join(ROOT, 'site');
export const RESULTS = path.join(ROOT, 'test-results');

// Small, fast configurations for tests (the page's defaults are for people).
export const FAST_AE = 'model=ae&hidden=64&latent=8&batch=100&lr=0.002&seed=3';
export const FAST_VAE = 'model=vae&hidden=64&latent=2&batch=100&lr=0.002&seed=5';


/** Builds site/ when its wasm is older than src/ or any page older than its www/ source. */
export function ensureSite() {
  ensureSiteFresh(wwwFiles());
}

/** A static file server for site/ on a free loopback port. */
export function serveSite() {
  return serve(SITE);
}

export const launch = launchChromium;

/** Site, server and browser for one test file; call `close()` in `after`. */
export async function setup() {
  ensureSite();
  return serveAndLaunch(SITE);
}

/** A static server for `dir` and a browser; call `close()` in `after`. `requests`: the paths asked for, in order. */
export async function serveAndLaunch(dir) {
  const server = await serve(dir);
  const browser = await launch();
  return {
    url: server.url,
    requests: server.requests,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens the page in a fresh context (fresh cache: a separate page load) and
 * waits until the model is ready. Page errors are collected in `page.errors`.
 */
export async function open(env, hash = '', { viewport = { width: 1280, height: 800 }, hasTouch = false, ready = true, init, autoplay = false } = {}) {
  const context = await env.browser.newContext({ viewport, hasTouch, isMobile: hasTouch, acceptDownloads: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  if (init) await page.addInitScript(init);
  // A link with settings, and a first visit to the bare address, start training by themselves;
  // most tests want to press Train themselves.
  if (!autoplay) hash = hash ? `${hash}&autoplay=0` : 'autoplay=0';
  await page.goto(env.url + (hash ? `#${hash}` : ''));
  if (ready) await waitForStatus(page, /^Ready$/, 90_000);
  return page;
}

export const byTestId = (id) => `[data-testid="${id}"]`;

/** Unfolds the form's "More settings", as a user does to reach a setting beyond the basic ones. */
export async function moreSettings(page) {
  const more = page.locator('#config details.more-settings');
  if (!(await more.evaluate((d) => d.open))) await more.locator('summary').click();
}

/** Answers the page's question before it discards a trained model: rebuild. */
export async function confirmRebuild(page) {
  await page.locator(`${byTestId('notice-rebuild')} button`, { hasText: 'Rebuild' }).click();
}

/** Answers Reset's question (asked once the model has trained) with Reset. */
export async function confirmReset(page) {
  await page.locator(`${byTestId('notice-reset')} button`, { hasText: 'Reset' }).click();
}

export function status(page) {
  return page.locator(byTestId('status')).textContent();
}

/** Waits until the status line matches `re`; the error says what it said instead. */
export async function waitForStatus(page, re, timeout = 30_000) {
  try {
    await page.waitForFunction(
      ([src, flags]) => new RegExp(src, flags).test(document.querySelector('[data-testid="status"]')?.textContent ?? ''),
      [re.source, re.flags],
      { timeout, polling: 100 },
    );
  } catch (e) {
    throw new Error(`status never matched ${re} within ${timeout} ms; it says “${await status(page)}”`, { cause: e });
  }
}

/** Presses Step `n` times, each time waiting for that batch's test loss. */
export async function step(page, n) {
  for (let i = 0; i < n; i++) {
    const target = (await batches(page)) + 1;
    await page.locator(byTestId('step')).click();
    await page.waitForFunction((t) => Number(document.getElementById('stat-step').textContent.replace(/,/g, '')) >= t, target, { timeout: 30_000 });
    await waitForTestAt(page, target);
  }
}

export async function batches(page) {
  return Number((await page.locator('#stat-step').textContent()).replace(/,/g, ''));
}

/** Waits for a test-set loss computed at batch `step` (the readout's data-step). */
export async function waitForTestAt(page, atStep, timeout = 60_000) {
  await page.waitForFunction(
    (s) => {
      const at = document.querySelector('[data-testid="test-loss"]').dataset.step;
      return at !== '' && Number(at) === s;
    },
    atStep,
    { timeout, polling: 50 },
  );
}

export async function testLoss(page) {
  return page.locator(byTestId('test-loss')).textContent();
}

/**
 * Trains with the Play button until at least `atLeast` batches have run (a
 * condition, not a wall time: a faster machine gets no further and a slower
 * one no less far), then pauses and waits for the test loss at that point.
 */
export async function train(page, atLeast) {
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Training$/);
  await page.waitForFunction((n) => Number(document.getElementById('stat-step').textContent.replace(/,/g, '')) >= n, atLeast, { timeout: 600_000, polling: 100 });
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Paused$/);
  await waitForTestCurrent(page);
}

/**
 * Waits until the page has caught up with the worker (www/page/settled.js):
 * training confirmed stopped, the test loss shown is the one for the batch
 * count shown, every picture asked for has been answered and drawn. A
 * condition, so a fast machine and a slow one read the same state.
 */
export async function settle(page, timeout = 60_000) {
  await page.waitForFunction(() => globalThis.aeSettled?.() === true, null, { timeout, polling: 50 });
}

/** Waits until the test loss shown is the one for the batch count shown, with training stopped for good. */
export const waitForTestCurrent = settle;

/**
 * The canvas's pixels (RGBA) as read by the page itself; `empty` when it is an
 * image view showing its placeholder words (views/grid.js), not images.
 */
export async function readCanvas(page, testid) {
  return page.locator(byTestId(testid)).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    // The typed array itself: playwright carries it as base64, where an Array is
    // serialised and checked element by element (draw.test.mjs's process spent
    // 2.9 CPU-seconds with Arrays, 2.1 with this).
    return { width: c.width, height: c.height, data: d.data, empty: 'empty' in c.dataset };
  });
}

/** Per-tile spread of grey levels in a grid of 28×28 tiles (gap pixels apart). */
export async function tileStats(page, testid, gap = 0) {
  const { width, height, data, empty } = await readCanvas(page, testid);
  if (empty) return [{ mean: 0, std: 0 }]; // words, no pictures yet
  const cols = Math.round((width + gap) / (28 + gap));
  const rows = Math.round((height + gap) / (28 + gap));
  const out = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0, s2 = 0;
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const v = data[4 * ((r * (28 + gap) + y) * width + c * (28 + gap) + x)] / 255;
          s += v;
          s2 += v * v;
        }
      }
      out.push({ mean: s / 784, std: Math.sqrt(Math.max(0, s2 / 784 - (s / 784) ** 2)) });
    }
  }
  return out;
}

/** A 28×28 canvas as 784 grey values in [0,1]; a view with no image yet reads as blank. */
export async function read28(page, testid) {
  const { width, height, data, empty } = await readCanvas(page, testid);
  if (empty) return new Array(784).fill(0);
  if (width !== 28 || height !== 28) throw new Error(`${testid} is ${width}×${height}, not 28×28`);
  return Array.from({ length: 784 }, (_, i) => data[4 * i] / 255);
}

/**
 * Draws polylines on the pad with the mouse; points are fractions of the pad.
 * One move a point: the pad joins its points with lines, so moves in between
 * would draw the same ink, and each costs about 11 ms of the machine's time
 * (input, a frame, the protocol).
 */
export async function draw(page, strokes) {
  const pad = page.locator(byTestId('draw-pad'));
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  for (const pts of strokes) {
    const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
    await page.mouse.move(...at(pts[0]));
    await page.mouse.down();
    for (const p of pts.slice(1)) await page.mouse.move(...at(p));
    await page.mouse.up();
  }
  // The playground's pad says when the input shows every stroke (page/settled.js); a lesson's has no such word.
  await page.waitForFunction(() => globalThis.aeDrawn?.() !== false, null, { polling: 50 });
}

/** A "0": an ellipse filling most of the pad. */
export const ZERO = [Array.from({ length: 33 }, (_, i) => [0.5 + 0.22 * Math.sin((i / 32) * 2 * Math.PI), 0.5 - 0.33 * Math.cos((i / 32) * 2 * Math.PI)])];
/** A "7": a top bar and a slanted stem. */
export const SEVEN = [[[0.25, 0.2], [0.72, 0.2], [0.45, 0.85]]];

export function correlation(a, b) {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb || 1);
}

/** Waits until `fn(page)` returns something truthy (polling from node). */
export async function until(fn, { timeout = 30_000, every = 200, what = 'condition' } = {}) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * A download saved under test-results/, returning its path. Not
 * `download.path()`: that is not there when the browser is shared over a
 * connection (tests/web/run.mjs), so the bytes are copied with saveAs().
 */
export async function savedDownload(download) {
  await mkdir(path.join(RESULTS, 'downloads'), { recursive: true });
  const file = path.join(RESULTS, 'downloads', `${process.pid}-${++downloads}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return file;
}
let downloads = 0;

/** Download model's file, as a SHA-256 in hex. */
export async function exportedSha(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('model-export')).click()]);
  return createHash('sha256').update(await readFile(await savedDownload(download))).digest('hex');
}

/**
 * A run that was never interrupted: the worker alone (test-core.html), built
 * as the page builds the link `hash`, trained `n` batches in one request.
 * Returns its test loss and its exported file's SHA-256: what a page that
 * reloaded or opened a file on the way must reproduce exactly.
 */
export async function uninterrupted(env, hash, n) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.url + 'dev/test-core.html');
  const r = await page.evaluate(
    async ([hash, n]) => {
      const state = await import('../shared/run-settings.js');
      const { WorkerClient } = await import('../page/worker-client.js');
      const client = new WorkerClient('../worker/worker.js').start();
      await client.request(state.toInit(state.parseHash('#' + hash).state));
      const test = await client.request({ type: 'step', n });
      const { bytes } = await client.request({ type: 'export' });
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return { step: test.step, loss: test.loss, sha: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
    },
    [hash, n],
  );
  await context.close();
  return r;
}

export async function screenshot(page, name) {
  await mkdir(RESULTS, { recursive: true });
  const file = path.join(RESULTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page's training workers (worker.js), without the threaded build's helper threads. */
export function trainingWorkers(page) {
  return page.workers().filter((w) => new URL(w.url()).pathname.endsWith('/worker.js'));
}
