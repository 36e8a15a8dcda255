#!/usr/bin/env node
// Prints what a first visit costs on a slow network (issue 22 §4): the bytes
// it downloads before training can start, and the time to the first
// reconstruction, to training, and to one epoch trained in this visit; then
// what a second visit downloads. In headless Chromium, against site/ served
// with no headers, as a static host such as GitHub Pages serves it: the first
// visit reloads once through the service worker (www/service-worker.js). The
// test server plays the slow network (tests/web/static-server.mjs, pacedLink:
// one link shared by every download, a round trip before each): DevTools'
// throttling (Network.emulateNetworkConditions) slows the page and its
// workers, but not the downloads the service worker makes for them, which
// here are most of them. Figures, not claims:
// the times depend on this machine (training) as much as on the network.
// docs/first-load.md keeps the figures and the budget. Needs
// scripts/setup.sh and scripts/build-site.sh to have run.
//
//   node scripts/bench-first-load.mjs [--kbit 1600] [--rtt 150]
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureSiteFresh, ROOT, wwwFiles } from '../tests/web/site.mjs';
import { serve } from '../tests/web/static-server.mjs';

const { values: args } = parseArgs({ options: { kbit: { type: 'string', default: '1600' }, rtt: { type: 'string', default: '150' } } });
/** What a first visit may download before training starts (docs/first-load.md). */
const BUDGET_BYTES = 12_850_000;
/** Batches of the page's default model (batch 100) in one epoch of MNIST's 60,000 images. */
const EPOCH = 600;

ensureSiteFresh(wwwFiles());
const bytesPerSecond = (Number(args.kbit) * 1000) / 8;
const server = await serve(`${ROOT}/site`, {}, { isolated: false, network: { bytesPerSecond, latencyMs: Number(args.rtt) } });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 900 } });
const page = await context.newPage();

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const statusIs = (re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), re.source, { timeout: 900_000, polling: 50 });
const batches = () => page.evaluate(() => Number(document.getElementById('stat-step').textContent.replace(/,/g, '')));

try {
  console.log(`first visit, Chromium ${browser.version()}, ${args.kbit} kbit/s, ${args.rtt} ms round trip, a host without headers`);
  const t0 = Date.now();
  await page.goto(server.url);
  await statusIs(/^Training \(started by itself\)$/);
  const training = { ms: Date.now() - t0, bytes: server.sent.bytes };
  const start = await batches();
  await page.waitForFunction((n) => Number(document.getElementById('stat-step').textContent.replace(/,/g, '')) >= n, start + EPOCH, { timeout: 900_000, polling: 100 });
  const epoch = { ms: Date.now() - t0, bytes: server.sent.bytes };
  await page.waitForFunction(() => /works offline/.test(document.querySelector('[data-testid="site-version"]').textContent), null, { timeout: 900_000 });
  const offline = { ms: Date.now() - t0, bytes: server.sent.bytes };
  const requests = server.requests.length;
  const byKind = { datasets: 0, core: 0, starter: 0, shell: 0 };
  for (const path of server.requests) {
    const kind = path.endsWith('.gz') ? 'datasets' : path.startsWith('/pkg/') ? 'core' : path.endsWith('.safetensors') ? 'starter' : 'shell';
    byKind[kind]++;
  }

  // A second visit: the service worker and the worker's dataset cache answer.
  const before = server.sent.bytes;
  const t1 = Date.now();
  await page.reload();
  await statusIs(/^(Paused|Training|Ready)/);
  const second = { ms: Date.now() - t1, bytes: server.sent.bytes - before };

  console.log('| | time | downloaded |');
  console.log('|---|---|---|');
  console.log(`| training starts (the starter model, MNIST loaded) | ${s(training.ms)} | ${mb(training.bytes)} |`);
  console.log(`| one epoch (${EPOCH} batches) trained in this visit | ${s(epoch.ms)} | ${mb(epoch.bytes)} |`);
  console.log(`| the page says it works offline | ${s(offline.ms)} | ${mb(offline.bytes)} |`);
  console.log(`| a second visit, until the restored run shows | ${s(second.ms)} | ${mb(second.bytes)} |`);
  console.log(`requests of the first visit: ${requests} (datasets ${byKind.datasets}, core ${byKind.core}, starter ${byKind.starter}, page ${byKind.shell})`);
  console.log(`budget before training starts: ${mb(BUDGET_BYTES)}: ${training.bytes <= BUDGET_BYTES ? 'within' : 'OVER'} (${((100 * training.bytes) / BUDGET_BYTES).toFixed(0)}%)`);
  console.log(`the network alone needs ${s((1000 * training.bytes) / bytesPerSecond)} for those bytes`);
} finally {
  await browser.close();
  await server.close();
}
