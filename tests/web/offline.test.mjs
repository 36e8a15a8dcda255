// The site on a plain static host and offline (issue 22): www/service-worker.js,
// www/page/service-worker-setup.js, www/page/site-version.js and
// scripts/site-manifest.mjs, on a server that sends no headers at all, as a
// static host such as GitHub Pages does.
// - A first visit reloads once through the service worker, trains, and the
//   page says when this browser keeps the site for offline use.
// - Offline, a reload loads the page and the dataset from that copy; it
//   trains, a drawing reconstructs, and the page says it is offline and
//   which version it runs.
// - Back online with a new build on the host, the page offers the new
//   version and takes it when asked; the old version's cache is gone.
// - A browser that is not isolated even after the reload (as Safari and
//   Firefox are not) reloads once, not forever.
// threads.test.mjs covers the same host with service workers blocked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { batches, byTestId, correlation, draw, ensureSite, launch, read28, ROOT, SEVEN, SITE, step, until, waitForStatus } from './harness.mjs';
import { serve } from './static-server.mjs';

let browser;
let server;
let dir;

before(async () => {
  ensureSite();
  // A copy of the site to deploy a new build into (hard links: only the
  // files the new build replaces are written, as new files).
  dir = mkdtempSync(path.join(tmpdir(), 'ae-offline-'));
  execFileSync('cp', ['-al', SITE, path.join(dir, 'site')]);
  server = await serve(path.join(dir, 'site'), {}, { isolated: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const versionLine = (page) => page.locator(byTestId('site-version')).textContent();

/** A drawn 7 comes back as a 7 (an untrained model's mean digit correlates about 0.5). */
async function reconstructsSeven(page) {
  await draw(page, SEVEN);
  let r = 0;
  await until(
    async () => {
      const input = await read28(page, 'input28');
      r = correlation(input, await read28(page, 'reconstruction'));
      return input.filter((v) => v > 0.5).length > 20 && r > 0.7;
    },
    { timeout: 60_000, what: 'a reconstruction that correlates > 0.7 with the drawing' },
  ).catch((e) => {
    throw new Error(`${e.message}: the last was ${r.toFixed(3)}`);
  });
}

/** Deploys a new build into the served copy: one page changed, build.json and the worker restamped. */
function deployNewBuild() {
  const index = path.join(dir, 'site/index.html');
  const text = readFileSync(index, 'utf8').replace('</footer>', '<!-- a later deploy --></footer>');
  rmSync(index); // a hard link into site/: write a new file instead
  writeFileSync(index, text);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/site-manifest.mjs'), path.join(dir, 'site')]);
  return JSON.parse(readFileSync(path.join(dir, 'site/build.json'), 'utf8')).build.slice(0, 8);
}

test('a first visit on a header-less host works offline afterwards, and picks up a new deploy when asked', async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const built = JSON.parse(readFileSync(path.join(dir, 'site/build.json'), 'utf8')).build.slice(0, 8);

  // 1. The first visit: one reload into isolation, training by itself.
  await page.goto(server.url);
  await waitForStatus(page, /^Training \(started by itself\)$/, 90_000);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'isolated through the service worker');
  await page.waitForFunction(() => /works offline/.test(document.querySelector('[data-testid="site-version"]').textContent), null, { timeout: 60_000 });
  assert.equal(await versionLine(page), `Version ${built} · works offline in this browser`);
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Paused$/);

  // 2. Offline: the page, the core and the dataset come from this browser's copy.
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.match(/^(Paused|Ready|Training)/), null, { timeout: 90_000 });
  const offline = page.locator(byTestId('notice-offline'));
  assert.match(await offline.textContent(), new RegExp(`You are offline\\. The playground runs from the copy this browser keeps, version ${built}\\.`));
  if (/^Training/.test(await page.locator(byTestId('status')).textContent())) {
    await page.locator(byTestId('train-toggle')).click();
    await waitForStatus(page, /^Paused$/);
  }
  const before = await batches(page);
  await step(page, 3);
  assert.equal(await batches(page), before + 3, 'it trains offline');
  await reconstructsSeven(page);

  // 3. Online again, with a new build on the host: offered, then taken.
  const next = deployNewBuild();
  assert.notEqual(next, built);
  await context.setOffline(false);
  await page.reload();
  await page.locator(byTestId('notice-update')).waitFor({ timeout: 60_000 });
  assert.match(await versionLine(page), new RegExp(`^Version ${built}`), 'the old version runs until the person says so');
  await page.locator(`${byTestId('notice-update')} button`, { hasText: 'Reload now' }).click();
  await page.waitForFunction((v) => document.querySelector('[data-testid="site-version"]')?.textContent.startsWith(`Version ${v}`), next, { timeout: 60_000 });
  const caches = await page.evaluate(() => caches.keys());
  assert.equal(caches.filter((name) => name.startsWith('ae-playground-build')).length, 1, `only the new build's cache is left: ${caches.join(', ')}`);
  assert.ok(caches.some((name) => name.endsWith(` ${JSON.parse(readFileSync(path.join(dir, 'site/build.json'), 'utf8')).build}`)));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a browser that does not isolate the page even through the worker reloads once, then goes on', async () => {
  // Safari and Firefox ignore what lets the worker's headers isolate a
  // page: without the guard (one reload per tab and session) the page would
  // reload forever. Here the page is told it is not isolated, whatever happens.
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  await context.addInitScript(() => Object.defineProperty(globalThis, 'crossOriginIsolated', { get: () => false }));
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(`${server.url}#model=ae&hidden=64&latent=8&batch=100&lr=0.002&seed=3&autoplay=0`);
  await waitForStatus(page, /^Ready$/, 90_000);
  await step(page, 1);
  assert.equal(loads, 2, 'the first load and one reload');
  await page.reload();
  await waitForStatus(page, /^(Ready|Paused)$/, 90_000); // Paused: the run restored
  assert.equal(loads, 3, 'a reload by the person is not followed by another');
  await context.close();
});
