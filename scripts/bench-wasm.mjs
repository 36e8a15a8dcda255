#!/usr/bin/env node
// Prints the wasm core's training throughput: serves site/ (rebuilt first if
// stale) on a free loopback port, opens bench.html in headless Chromium and
// reports what its worker measured. Needs scripts/setup.sh to have run.
//
//   node scripts/bench-wasm.mjs [--seconds 4] [--chromium /usr/bin/chromium]
//
// Benchmarks print; they assert nothing. With --native it also runs
// `cargo bench --bench train` in the same run and prints wasm/native ratios.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from '../tests/web/static-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureSiteFresh } from '../tests/web/site.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    chromium: { type: 'string', default: CHROMIUM_PATH },
    native: { type: 'boolean', default: false },
  },
});
const site = fileURLToPath(new URL('../site/', import.meta.url));
ensureSiteFresh(['bench.html', 'bench.js', 'bench-models.js', 'wasm-build.js', 'dataset.js']);

const server = await serve(site);
const browser = await chromium.launch({
  executablePath: args.chromium,
  args: CHROMIUM_ARGS,
});
let wasm = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${server.url}bench.html?seconds=${encodeURIComponent(args.seconds)}`);
  const timeout = (20 + 4 * Number(args.seconds)) * 1000;
  await page.waitForFunction(() => window.benchResult, null, { timeout, polling: 200 });
  const report = await page.evaluate(() => window.benchResult);
  if (report.error) throw new Error(report.error);
  wasm = report.results;
  console.log(`wasm core (Chromium ${browser.version()}, build ${report.simd}, 1 worker thread)`);
  for (const r of report.results) {
    console.log(`  ${r.name}`);
    console.log(`    ${r.samplesPerSec.toFixed(0).padStart(6)} training samples/s  ${r.gflops.toFixed(2)} GFLOP/s  (${r.msPerBatch.toFixed(1)} ms/batch over ${r.batches} batches, ${r.params} parameters)`);
    console.log(`    ${r.testImagesPerSec.toFixed(0).padStart(6)} test images/s evaluated  (full test set in ${r.testEvalMs.toFixed(0)} ms)`);
  }
} finally {
  await browser.close();
  await server.close();
}

if (args.native) {
  // Same machine, same moment, same models: the native core through cargo bench.
  const out = execFileSync('cargo', ['bench', '--quiet', '--bench', 'train'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, BENCH_SECONDS: args.seconds },
    encoding: 'utf8',
  });
  process.stdout.write(out);
  const native = [...out.matchAll(/^(AE|VAE) .*?([0-9]+) samples\/s/gm)].map((m) => ({ kind: m[1], rate: Number(m[2]) }));
  console.log('wasm / native training throughput');
  for (const r of wasm) {
    const n = native.find((x) => r.name.startsWith(x.kind + ' '));
    if (n) console.log(`  ${r.name.split(' (')[0].padEnd(20)} ${(r.samplesPerSec / n.rate).toFixed(2)}`);
  }
}
