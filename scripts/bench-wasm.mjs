#!/usr/bin/env node
// Prints the wasm core's training throughput: serves site/ (rebuilt first if
// stale) on a free loopback port, opens bench.html in headless Chromium and
// reports what its worker measured. Needs scripts/setup.sh to have run.
//
//   node scripts/bench-wasm.mjs [--seconds 4] [--chromium /usr/bin/chromium]
//
// Benchmarks print; they assert nothing. The native figures come from
// `cargo bench`.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from '../tests/web/static-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureSiteFresh } from '../tests/web/site.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    chromium: { type: 'string', default: CHROMIUM_PATH },
  },
});
const site = fileURLToPath(new URL('../site/', import.meta.url));
ensureSiteFresh(['bench.html', 'bench.js', 'dataset.js']);

const server = await serve(site);
const browser = await chromium.launch({
  executablePath: args.chromium,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${server.url}bench.html?seconds=${encodeURIComponent(args.seconds)}`);
  const timeout = (20 + 4 * Number(args.seconds)) * 1000;
  await page.waitForFunction(() => window.benchResult, null, { timeout, polling: 200 });
  const report = await page.evaluate(() => window.benchResult);
  if (report.error) throw new Error(report.error);
  console.log(`wasm core (Chromium ${browser.version()}, simd128 ${report.simd}, 1 worker thread)`);
  for (const r of report.results) {
    console.log(`  ${r.name}`);
    console.log(`    ${r.samplesPerSec.toFixed(0).padStart(6)} training samples/s  ${r.gflops.toFixed(2)} GFLOP/s  (${r.msPerBatch.toFixed(1)} ms/batch over ${r.batches} batches, ${r.params} parameters)`);
    console.log(`    ${r.testImagesPerSec.toFixed(0).padStart(6)} test images/s evaluated  (full test set in ${r.testEvalMs.toFixed(0)} ms)`);
  }
} finally {
  await browser.close();
  await server.close();
}
