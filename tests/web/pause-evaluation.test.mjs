// Pause while the page's largest model evaluates the test set (issue 9,
// defect 9): the worker reads messages only between pieces of work, so a
// piece must be small enough that Pause is not kept waiting for seconds.
// Judged in work, not time (a loaded 2-core machine makes any clock flaky):
// between the page sending Pause and the worker's answer, the evaluation may
// move on by less than a twentieth of the test set (500 images), where one
// test batch of 500 images of this model took 3–8 s.
//
// Needs scripts/setup.sh to have run; site/ is rebuilt when stale.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './static-server.mjs';
import { ensureSiteFresh, launchChromium, ROOT, wwwFiles } from './site.mjs';

// The page's largest model (its settings' limits: four layers of 2048, latent 64): 28.8 M parameters.
const LARGEST = { kind: 'vae', input: 784, hidden: [2048, 2048, 2048, 2048], latent: 64, activation: 'relu', decoder: 'bernoulli' };
const TRAIN = { optimizer: 'adam', lr: 1e-3, batch: 100, seed: 1, disc_lr: 1e-3, gen_steps: 1 };

let browser;
let server;
let page;

before(async () => {
  ensureSiteFresh(wwwFiles()); // the worker imports many of them
  server = await serve(ROOT + 'site');
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(server.url + 'dev/test-core.html');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("Pause during the largest model's test evaluation is answered before the evaluation has moved on by 500 images", async () => {
  const r = await page.evaluate(
    async ([model, train]) => {
      const { WorkerClient } = await import('../page/worker-client.js');
      const log = [];
      let wake = null;
      const client = new WorkerClient('../worker/worker.js', {
        onEvent: (m) => {
          log.push(m);
          wake?.();
        },
        onCrash: (message) => log.push({ type: 'crash', message }),
      }).start();
      const until = async (match) => {
        for (;;) {
          const hit = log.find(match);
          if (hit) return hit;
          if (log.some((m) => m.type === 'crash' || m.type === 'error')) throw new Error(JSON.stringify(log.filter((m) => m.type === 'crash' || m.type === 'error')));
          await new Promise((ok) => (wake = ok));
        }
      };
      client.send({ type: 'init', model, train, dataset: 'mnist' });
      await until((m) => m.type === 'ready');
      // The untrained model's evaluation follows `ready`; Pause as soon as it has begun.
      const first = await until((m) => m.type === 'evaluating');
      const sentAt = first.done;
      client.send({ type: 'pause', id: 'p' });
      await until((m) => m.type === 'state' && m.id === 'p');
      const i = log.findIndex((m) => m.type === 'state' && m.id === 'p');
      const doneBefore = log.slice(0, i).filter((m) => m.type === 'evaluating').map((m) => m.done);
      const evaluationEnded = log.slice(0, i).some((m) => m.type === 'test');
      client.terminate();
      return { sentAt, answeredAt: doneBefore.at(-1), total: first.total, pieces: doneBefore, evaluationEnded };
    },
    [LARGEST, TRAIN],
  );
  console.log(`# Pause sent with ${r.sentAt} of ${r.total} images evaluated, answered at ${r.answeredAt} (progress seen: ${r.pieces.join(', ')})`);
  assert.equal(r.evaluationEnded, false, 'the answer came before the evaluation ended');
  assert.ok(r.answeredAt - r.sentAt < 500, `the evaluation moved on by ${r.answeredAt - r.sentAt} images before Pause was answered`);
});
