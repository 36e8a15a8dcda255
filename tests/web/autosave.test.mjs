// A reload loses nothing: the playground saves its run in IndexedDB as it
// trains and restores it on load. After a reload the page shows the same step
// and test loss, and training on gives exactly what a run that was never
// interrupted gives (the core is deterministic per seed: the same test loss,
// and a byte-identical exported file). A snapshot whose write was cut short
// loses at most one autosave: the other slot restores. Another link restores
// nothing, Start fresh forgets the run, and compare mode saves nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, FAST_AE, byTestId, confirmReset, step, batches, testLoss, waitForStatus, waitForTestAt, until, exportedSha, uninterrupted, patchModule, trainingWorkers } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

/** Waits until the page says its snapshot of batch `n` (or, given a predicate, a matching one) is written. */
async function waitForSaved(page, n, timeout = 30_000) {
  const match = typeof n === 'function' ? n : (s) => s === n;
  return until(
    async () => {
      const at = await page.locator(byTestId('autosave-status')).getAttribute('data-step');
      return at && match(Number(at)) ? Number(at) : false;
    },
    { timeout, what: `a snapshot ${typeof n === 'number' ? `at step ${n}` : 'while training'} saved` },
  );
}

/** Reloads (or opens `url`) and waits for the saved run to come back; returns the notice's text. */
async function restored(page, url = null) {
  if (url) {
    await page.goto('about:blank');
    await page.goto(url);
  } else {
    await page.reload();
  }
  const notice = page.locator(`${byTestId('notice-restored')} p`);
  await notice.waitFor({ timeout: 90_000 });
  await waitForStatus(page, /^Paused$/, 60_000);
  return notice.textContent();
}

const urlOf = (hash) => `${env.url}#${hash}&autoplay=0`;

test('a reload after Step n shows the same step and test loss, and training on matches a run never interrupted', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 3);
  const before = await testLoss(page);
  await waitForSaved(page, 3);

  const text = await restored(page);
  assert.match(text, /^Restored your training from \d\d:\d\d:\d\d: step 3\.$/);
  const fresh = page.locator(`${byTestId('notice-restored')} button`, { hasText: 'Start fresh' });
  assert.ok(await fresh.isVisible(), 'the notice offers Start fresh');
  assert.equal(await batches(page), 3);
  await waitForTestAt(page, 3);
  assert.equal(await testLoss(page), before, 'the same test loss at the same step');
  assert.equal(await page.locator('#config [name="seed"]').inputValue(), '3');

  // Two more steps: exactly what five uninterrupted ones give (Adam's moments,
  // the generator and the shuffle came back with the weights).
  await step(page, 2);
  const reference = await uninterrupted(env, FAST_AE, 5);
  assert.equal(await testLoss(page), reference.loss.toFixed(4));
  assert.equal(await exportedSha(page), reference.sha, 'the exported run is byte for byte the uninterrupted one');
  // The comparison can fail: one batch fewer is another file.
  assert.notEqual((await uninterrupted(env, FAST_AE, 4)).sha, reference.sha);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a reload while training resumes from the last autosave, and training on still matches the uninterrupted run', async (t) => {
  // The page snapshots a run every 5 s of training (AUTOSAVE_MS in www/worker/worker-files.js).
  // Here the worker is served with a gap of a quarter of a second: the same code path,
  // but a snapshot after about a hundred batches (110 when measured), not thousands, which the
  // reference below trains again.
  const context = await env.browser.newContext();
  await patchModule(context, 'worker/worker-files.js', 'const AUTOSAVE_MS = 5000;', 'const AUTOSAVE_MS = 250;');
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  await page.goto(urlOf(FAST_AE));
  await waitForStatus(page, /^Ready$/, 90_000);
  await page.locator(byTestId('train-toggle')).click();
  await waitForStatus(page, /^Training$/);
  // Reload once a snapshot is written, while it trains on.
  const saved = await waitForSaved(page, (s) => s > 0, 60_000);
  assert.match(await page.locator(byTestId('status')).textContent(), /^Training/);
  const shown = await batches(page);
  const text = await restored(page);
  const at = Number(text.match(/step ([\d,]+)\./)[1].replace(/,/g, ''));
  assert.ok(at >= saved, `restored step ${at}, and a snapshot of step ${saved} had been written`);
  t.diagnostic(`snapshot written at step ${saved}, page showed step ${shown} just before the reload, restored step ${at}`);
  assert.equal(await batches(page), at);
  await waitForTestAt(page, at);
  const reference = await uninterrupted(env, FAST_AE, at + 1);
  await step(page, 1);
  assert.equal(await testLoss(page), reference.loss.toFixed(4));
  assert.equal(await exportedSha(page), reference.sha);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// The page's own store (www/page/autosave.js), opened in the page. (The CSP forbids
// eval in the page, so each use is a function of its own.)
const markers = (page) => page.evaluate(async () => (await (await import('./page/autosave.js')).openStore()).markers());
const putMarker = (page, slot, marker) => page.evaluate(async ([slot, marker]) => (await (await import('./page/autosave.js')).openStore()).putMarker(slot, marker), [slot, marker]);

/** Damages the newest complete slot's bytes in place (its marker still says complete); returns its step. */
const damageNewest = (page) =>
  page.evaluate(async () => {
    const store = await (await import('./page/autosave.js')).openStore();
    const [newest] = await store.candidates();
    const record = await store.complete(newest);
    const bytes = new Uint8Array(await record.blob.arrayBuffer());
    bytes.fill(0x7b, 8, 64); // the header's first bytes become '{{{{…'
    await store.putRecord(newest.slot, { ...record, blob: new Blob([bytes]) });
    return newest.step;
  });

test('a trap or an error in the worker while training restarts it from the last snapshot, not from the seed', async () => {
  // A real trap needs a defect in the core; the worker's training loop
  // (worker-training.js) is served with one line added that throws what a trap throws (a WebAssembly.RuntimeError)
  // from the next training batch once the test asks. Everything after the
  // throw is the page's and the worker's own code.
  const context = await env.browser.newContext();
  const target = 'pg.train(data, k);';
  const trap = "if (self.trapNextBatch) throw ((self.trapNextBatch = false), new WebAssembly.RuntimeError('unreachable'));";
  await patchModule(context, 'worker/worker-training.js', target, `${trap} ${target}`);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(urlOf(FAST_AE));
  await waitForStatus(page, /^Ready$/, 90_000);
  await step(page, 3);
  const before = await testLoss(page);
  await waitForSaved(page, 3);
  const [worker] = trainingWorkers(page); // not its evaluation worker
  await worker.evaluate(() => (self.trapNextBatch = true));
  await page.locator(byTestId('train-toggle')).click();

  const notice = page.locator(`${byTestId('notice-crash')} p`);
  await notice.waitFor({ timeout: 60_000 });
  await until(async () => /restored it from the snapshot/.test(await notice.textContent()), { timeout: 60_000, what: 'the crash notice naming the snapshot' });
  assert.match(await notice.textContent(), /^The model crashed \(.*unreachable.*\); restored it from the snapshot at step 3\.$/);
  await until(() => trainingWorkers(page).length === 1 && trainingWorkers(page)[0] !== worker, { what: 'one new worker' });
  await waitForStatus(page, /^Paused$/, 60_000);
  assert.equal(await batches(page), 3, 'the three trained batches are back');
  await waitForTestAt(page, 3);
  assert.equal(await testLoss(page), before);
  // And it trains on as the run would have: two more steps are five uninterrupted ones.
  await step(page, 2);
  assert.equal(await testLoss(page), (await uninterrupted(env, FAST_AE, 5)).loss.toFixed(4));

  // An error nobody catches in the worker (not a trap) is a crash too.
  await waitForSaved(page, 5);
  const [second] = trainingWorkers(page);
  await second.evaluate(() => setTimeout(() => {
    throw new Error('simulated crash');
  }, 0));
  await until(async () => /^The model crashed \(.*simulated crash\); restored it from the snapshot at step 5\.$/.test(await notice.textContent()), { timeout: 60_000, what: 'the second crash notice' });
  await waitForStatus(page, /^Paused$/, 60_000);
  assert.equal(await batches(page), 5);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a crash while a snapshot is written loses at most that snapshot: the other slot restores', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  await waitForSaved(page, 2);
  const at2 = await testLoss(page);
  // Slot A holds step 1, slot B step 2; A's marker is what a crash would leave behind.
  const old = await markers(page);
  assert.deepEqual([old.A.step, old.B.step], [1, 2]);
  await step(page, 1);
  await waitForSaved(page, 3);
  const at3 = await testLoss(page);
  // Step 3 went into slot A. Put back A's old marker: its record is written,
  // its marker is not, as when the tab dies between the two writes.
  await putMarker(page, 'A', old.A);
  assert.match(await restored(page), /: step 2\.$/);
  await waitForTestAt(page, 2);
  assert.equal(await testLoss(page), at2);
  // Training on from the older snapshot gives what the lost one held.
  await step(page, 1);
  assert.equal(await testLoss(page), at3);
  await waitForSaved(page, 3);

  // A slot complete by its marker whose bytes are damaged on disk: the core
  // refuses it, and the page falls back to the other slot.
  const damaged = await damageNewest(page);
  assert.equal(damaged, 3);
  assert.match(await restored(page), /: step 2\.$/);
  assert.equal(await batches(page), 2);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link with other settings does not restore the run, an address without settings does, Start fresh forgets it', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  await waitForSaved(page, 2);

  await page.goto('about:blank');
  await page.goto(urlOf(FAST_AE.replace('seed=3', 'seed=4')));
  await waitForStatus(page, /^Ready$/, 90_000);
  assert.equal(await batches(page), 0);
  assert.equal(await page.locator(byTestId('notice-restored')).count(), 0, 'another seed is another run');

  // The run is still kept for its own link, and for the address without settings.
  assert.match(await restored(page, urlOf(FAST_AE)), /: step 2\.$/);
  assert.match(await restored(page, env.url), /: step 2\.$/);
  assert.equal(await page.locator('#config [name="seed"]').inputValue(), '3', 'the saved run’s settings');
  assert.ok((await page.evaluate(() => location.hash)).includes('seed=3'));

  await page.locator(`${byTestId('notice-restored')} button`, { hasText: 'Start fresh' }).click();
  await waitForStatus(page, /^Ready$/, 60_000);
  assert.equal(await batches(page), 0);
  await page.goto('about:blank');
  await page.goto(urlOf(FAST_AE));
  await waitForStatus(page, /^Ready$/, 90_000);
  assert.equal(await page.locator(byTestId('notice-restored')).count(), 0, 'Start fresh forgot the run');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Reset asks before it discards a restored run, Keep keeps it, and the “Restored” notice goes with the run', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  await waitForSaved(page, 2);
  assert.match(await restored(page), /: step 2\.$/);

  await page.locator(byTestId('reset')).click();
  const question = page.locator(byTestId('notice-reset'));
  assert.match(await question.locator('p').textContent(), /^Reset starts again from the seed: the 2 batches trained so far will be discarded/);
  assert.equal(await question.getAttribute('role'), 'alertdialog');
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-testid="notice-reset"]') !== null), true, 'the question has the focus');
  await question.locator('button', { hasText: 'Keep the trained model' }).click();
  assert.equal(await batches(page), 2, 'Keep changed nothing');
  assert.equal(await page.locator(byTestId('notice-restored')).count(), 1);

  await page.locator(byTestId('reset')).click();
  await confirmReset(page);
  await waitForStatus(page, /^Ready$/, 60_000);
  assert.equal(await batches(page), 0);
  assert.equal(await page.locator(byTestId('notice-restored')).count(), 0, 'no stale “Restored your training”');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('compare mode trains without saving anything', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}#compare=1&a.model=ae&a.hidden=16&a.latent=2&b.model=vae&b.hidden=16&b.latent=2&batches=5`);
  const card = page.locator(byTestId('lesson'));
  await until(async () => (await card.getAttribute('data-result')) !== null, { timeout: 120_000, what: 'both measured' });
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(!names.includes('ae-playground'), `databases: ${names}`);
  await context.close();
});
