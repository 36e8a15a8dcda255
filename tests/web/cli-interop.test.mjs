// One file format on both sides: a model trained by the native CLI opens in
// the page and scores the same test loss there, and a model exported by the
// page opens in the CLI and scores what the page showed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cargoNative, setup, open, ROOT, NATIVE, FAST_VAE, byTestId, step, testLoss, until, waitForTestCurrent } from './harness.mjs';

let env, dir;
before(async () => {
  env = await setup();
  dir = mkdtempSync(path.join(tmpdir(), 'ae-interop-'));
  cargoNative('build', ['--bin', 'ae-playground'], { stdio: 'inherit' });
});
after(() => {
  env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (...args) => execFileSync(path.join(NATIVE, 'ae-playground'), args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** test_loss from the CLI's machine-readable last line. */
const cliLoss = (out) => Number(/test_loss=([0-9.]+)/.exec(out.trim().split('\n').pop())[1]);

test('a CLI-trained model opens in the page with the same test loss, and a page export opens in the CLI', async () => {
  const trained = path.join(dir, 'cli.safetensors');
  const cliTrained = cliLoss(cli('train', '--model', 'vae', '--hidden', '64', '--latent', '2', '--epochs', '1', '--limit', '3000', '--batch', '64', '--seed', '4', '--out', trained));

  const page = await open(env, FAST_VAE);
  await page.locator(byTestId('model-import')).setInputFiles(trained);
  await until(async () => /^Opened .*VAE, hidden 64, latent 2/.test((await page.locator('[data-testid="notice-import"] p').textContent()) ?? ''), { what: 'the CLI model opened' });
  await waitForTestCurrent(page);
  const shown = Number(await testLoss(page));
  // Both evaluate the full test set with the same fixed evaluation seed; the
  // CLI prints two decimals, and wasm and native GEMMs round alike to ~1e-6.
  assert.ok(Math.abs(shown - cliTrained) <= 0.006, `page ${shown} vs CLI ${cliTrained}`);
  // A VAE's loss is shown as its two parts, which add up to it.
  const parts = (await page.locator('#test-terms').textContent()).match(/^\(recon ([\d.]+) \+ KL ([\d.]+)\)$/);
  assert.ok(parts, 'the VAE’s test loss is shown as recon + KL');
  assert.ok(Math.abs(Number(parts[1]) + Number(parts[2]) - shown) <= 0.011, `${parts[0]} adds up to ${shown}`);

  // Train on in the page, export, and score the export natively.
  await step(page, 3);
  const afterSteps = Number(await testLoss(page));
  assert.notEqual(afterSteps, shown, 'training in the page changed the model');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('model-export')).click()]);
  const exported = path.join(dir, 'page.safetensors');
  await download.saveAs(exported);
  const cliScored = cliLoss(cli('eval', '--model-file', exported));
  assert.ok(Math.abs(afterSteps - cliScored) <= 0.006, `page ${afterSteps} vs CLI ${cliScored}`);
  assert.deepEqual(page.errors, []);
});
