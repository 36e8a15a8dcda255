#!/usr/bin/env node
// Prints what the playground's autosave costs, in headless Chromium: how long
// the worker's export of the run and the Blob it is posted in take (the time
// the training loop stops for), how big the snapshot is, and how long writing
// it to IndexedDB takes until both transactions have committed (the page's
// thread only hands IndexedDB the Blob). For the page's default model and its largest. Figures, not
// claims: the machine is shared. Needs scripts/setup.sh to have run.
//
//   node scripts/bench-autosave.mjs [--rounds 3] [--hash 'model=ae&hidden=64'] …
import { parseArgs } from 'node:util';
import { setup } from '../tests/web/harness.mjs';

const { values: args, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '3' } }, allowPositionals: true });
const CASES = positionals.length ? positionals : ['', 'model=vae&hidden=2048,2048,2048,2048&latent=64'];

const env = await setup();
try {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.url + 'dev/test-core.html');
  console.log(`autosave, Chromium ${env.browser.version()}, best of ${args.rounds} rounds`);
  console.log('| model | parameters | snapshot | export (worker) | Blob (worker) | IndexedDB save (record and marker committed) |');
  console.log('|---|---|---|---|---|---|');
  for (const hash of CASES) {
    const r = await page.evaluate(
      async ([hash, rounds]) => {
        const state = await import('../shared/run-settings.js');
        const { openStore } = await import('../page/autosave.js');
        const { WorkerClient } = await import('../page/worker-client.js');
        const client = new WorkerClient('../worker/worker.js').start();
        const ready = await client.request(state.toInit(state.parseHash('#' + hash).state));
        const store = await openStore('ae-playground-bench');
        const best = { ms: Infinity, blobMs: Infinity, write: Infinity, bytes: 0 };
        for (let i = 0; i < rounds; i++) {
          await client.request({ type: 'step', n: 1, test: false }); // moments exist, and the model changed
          const s = await client.request({ type: 'snapshot' });
          best.ms = Math.min(best.ms, s.ms);
          best.blobMs = Math.min(best.blobMs, s.blobMs);
          best.bytes = s.blob.size;
          const t0 = performance.now();
          await store.save({ blob: s.blob, hash, step: s.step });
          best.write = Math.min(best.write, performance.now() - t0);
        }
        await store.clear();
        client.terminate();
        return { ...best, params: ready.params, kind: ready.model.kind, widths: [784, ...ready.model.hidden, ready.model.latent].join('-') };
      },
      [hash, Number(args.rounds)],
    );
    const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    console.log(`| ${r.kind.toUpperCase()} ${r.widths}${hash ? '' : ' (default)'} | ${r.params.toLocaleString('en')} | ${mb(r.bytes)} | ${r.ms.toFixed(0)} ms | ${r.blobMs.toFixed(0)} ms | ${r.write.toFixed(0)} ms |`);
  }
  await context.close();
} finally {
  await env.close();
}
