// Files that are well formed but hostile, or that the page cannot use:
// opening one never loses the model the visitor has, and says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cargoNative, launchChromium } from './site.mjs';
import { setup, open, NATIVE, FAST_AE, byTestId, batches, step, until, waitForStatus, trainingWorkers, patchModule } from './harness.mjs';

let env, dir;
before(async () => {
  env = await setup();
  dir = mkdtempSync(path.join(tmpdir(), 'ae-hostile-'));
  cargoNative('build', ['--example', 'write_model'], { stdio: 'inherit' });
});
after(() => {
  env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A real, valid, untrained model file for `config` (a ModelConfig), written by examples/write_model.rs. */
function modelFile(name, config) {
  const out = path.join(dir, name);
  execFileSync(path.join(NATIVE, 'examples/write_model'), [JSON.stringify(config), out], { stdio: ['ignore', 'pipe', 'inherit'] });
  return out;
}

/** Opens `file` in a page that has trained 2 batches; returns the import notice. The model must be unchanged. */
async function refused(page, file) {
  await page.locator(byTestId('model-import')).setInputFiles(file);
  const notice = page.locator(`${byTestId('notice-import')} p`);
  await until(async () => (await notice.count()) > 0 && (await notice.textContent()).includes(path.basename(file)), { what: `a notice about ${path.basename(file)}` });
  const text = await notice.textContent();
  assert.match(text, /^Could not open .*The current model is unchanged\.$/s, text);
  assert.equal(await page.locator(byTestId('notice-crash')).count(), 0, 'no crash');
  assert.equal(await batches(page), 2, 'the trained model is still there');
  return text;
}

const importFile = (page, name, buffer) => page.locator(byTestId('model-import')).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });

test('a wasm trap while opening a file restarts the worker with the model the visitor had', async () => {
  // A real trap needs a file the core cannot survive, and every such file is
  // now refused before it reaches one; so the worker's model files
  // (worker-files.js) are served with the loader throwing what a trap throws (a WebAssembly.RuntimeError) for one
  // 4-byte file. Everything after the throw is the page's and worker's own code.
  const context = await env.browser.newContext();
  const target = 'next = Playground.load(new Uint8Array(msg.bytes));';
  const trap = "if (msg.bytes.byteLength === 4) throw new WebAssembly.RuntimeError('unreachable');";
  await patchModule(context, 'worker/worker-files.js', target, `${trap} ${target}`);
  const page = await context.newPage();
  await page.goto(`${env.url}#${FAST_AE}&autoplay=0`);
  await waitForStatus(page, /^Ready$/, 90_000);
  await step(page, 3);
  const worker = trainingWorkers(page)[0];

  await importFile(page, 'trap.safetensors', Buffer.from('TRAP'));
  const notice = page.locator(`${byTestId('notice-crash')} p`);
  await notice.waitFor();
  assert.match(await notice.textContent(), /trap\.safetensors.*unreachable.*restarted with the model you had/s);
  await until(() => trainingWorkers(page).length === 1 && trainingWorkers(page)[0] !== worker, { what: 'one new worker' });
  // The three trained batches are back, not a model rebuilt from its seed.
  await until(async () => (await batches(page)) === 3, { timeout: 60_000, what: 'the restored model at batch 3' });
  await step(page, 1);
  assert.equal(await batches(page), 4);
  await context.close();
});

test('a classifier with fewer classes than the data set is refused with a sentence, the model kept', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  const text = await refused(page, modelFile('classifier-2.safetensors', { kind: 'classifier', hidden: [16], classes: 2 }));
  assert.match(text, /cannot be used with this data set: it knows 2 classes \(labels 0–1\), but the data has label 9/);
  await step(page, 1);
  assert.equal(await batches(page), 3);
});

test('valid files the page cannot use are refused before they replace the model, each with its reason', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  const cases = [
    ['vae-100-inputs.safetensors', { kind: 'vae', input: 100, hidden: [16], latent: 2 }, /it takes images of 100 pixels, but these are 28×28 = 784 pixels/],
    ['cvae-2-classes.safetensors', { kind: 'cvae', hidden: [16], latent: 2, classes: 2 }, /it knows 2 classes \(labels 0–1\), but the data has label 9/],
    ['vae-latent-1024.safetensors', { kind: 'vae', hidden: [16], latent: 1024 }, /beyond what this page can show: latent size “1024” must be a whole number between 1 and 64/],
    ['classifier.safetensors', { kind: 'classifier', hidden: [16] }, /beyond what this page can show: model “classifier” must be one of ae, dae, cae, vae, cvae/],
  ];
  for (const [name, config, reason] of cases) {
    const text = await refused(page, modelFile(name, config));
    assert.match(text, reason, name);
  }
  // The model the visitor had still trains.
  await step(page, 1);
  assert.equal(await batches(page), 3);
});

test('a file larger than the largest model file is refused unread, with the core’s limit', async (t) => {
  // A browser of this file's own: the shared one would be sent all 656 MiB (launchChromium).
  const browser = await launchChromium({ own: true });
  t.after(() => browser.close());
  const page = await open({ ...env, browser }, FAST_AE);
  await step(page, 2);
  // Sparse on disk; the browser is given its path, so nothing reads 656 MiB of zeros unless the page does.
  const huge = path.join(dir, 'huge.safetensors');
  const limit = 8 + 16 * 2 ** 20 + 4 * 2 ** 25 * 5; // io::MAX_FILE_BYTES: header, weights, at most 4 optimiser numbers per weight
  truncateSync((writeFileSync(huge, ''), huge), limit + 1);
  await page.locator(byTestId('model-import')).setInputFiles(huge);
  const notice = page.locator(`${byTestId('notice-import')} p`);
  await notice.waitFor();
  const text = await notice.textContent();
  assert.ok(text.includes(`“huge.safetensors” is too large to be a model of this playground, so it was not opened: it is ${(limit + 1).toLocaleString('en')} bytes, and the largest model file is ${limit.toLocaleString('en')} bytes (656 MiB).`), text);
  assert.equal(await batches(page), 2);
});
