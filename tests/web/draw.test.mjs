// Drawing on the pad with the mouse gives an MNIST-like 28×28 input, and after
// some training its reconstruction resembles it (read back from the canvases).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, FAST_AE, byTestId, draw, read28, readCanvas, correlation, train, until, ZERO, settle } from './harness.mjs';
import { moments } from '../../www/page/mnist-preprocess.js';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const ink = (img) => img.reduce((a, b) => a + b, 0);

test('a drawn 0 becomes a centred 28×28 input whose reconstruction resembles it after training, and its nearest test images in code space are mostly zeros', async (t) => {
  const page = await open(env, FAST_AE);
  assert.equal(ink(await read28(page, 'input28')), 0);

  await draw(page, ZERO);
  const input = await until(async () => {
    const img = await read28(page, 'input28');
    return ink(img) > 20 && img;
  }, { what: 'the 28×28 input' });
  // As MNIST was made: a 20-pixel box, centre of mass at the centre.
  const m = moments(input);
  assert.ok(Math.abs(m.cx - 14) < 0.6 && Math.abs(m.cy - 14) < 0.6, `centre of mass (${m.cx}, ${m.cy})`);
  assert.ok(m.height >= 19 && m.height <= 21, `ink ${m.width}×${m.height} pixels`);
  assert.ok(m.width < m.height, 'the aspect ratio is kept');

  // Even untrained, the reconstruction is a picture (not left blank).
  await until(async () => ink(await read28(page, 'reconstruction')) > 1, { what: 'a reconstruction' });
  const untrained = correlation(input, await read28(page, 'reconstruction'));

  await train(page, 1500);
  // Pausing asks for a fresh reconstruction; wait until it resembles the input.
  let r = 0;
  await until(async () => (r = correlation(input, await read28(page, 'reconstruction'))) > 0.7, { timeout: 15_000, what: `correlation > 0.7 (last ${r.toFixed(3)}, untrained ${untrained.toFixed(3)})` });
  assert.ok(r > untrained + 0.2, `correlation ${untrained.toFixed(3)} -> ${r.toFixed(3)}`);
  t.diagnostic(`input/reconstruction correlation: untrained ${untrained.toFixed(3)}, trained ${r.toFixed(3)}`);

  // The drawn 0 is rebuilt about as well as a test digit; a scribble is not, and the page says so.
  const fit = page.locator(byTestId('recon-fit'));
  await until(async () => /the model rebuilds it about as well as a real digit\.$/.test(await fit.textContent()), { what: 'the 0’s fit beside the test digits’' });

  // Retrieval, on the same trained model: pausing asked for the drawing's pictures afresh,
  // its nearest test images among them (settle waits for every reply).
  await settle(page);
  const text = await page.locator('#neighbours-text').textContent();
  assert.match(text, /^Retrieval by code, nearest first: /);
  const labels = text.replace(/^[^:]*: /, '').replace(/\..*$/, '').split(', ');
  t.diagnostic(`nearest labels: ${labels.join(' ')}`);
  assert.equal(labels.length, 8);
  assert.ok(labels.filter((l) => l === '0').length >= 5, `nearest: ${labels.join(' ')}`);
  const strip = await readCanvas(page, 'neighbours');
  assert.equal(strip.width, 8 * 28 + 7 * 2, 'eight tiles');
  assert.ok(strip.data.some((v, i) => i % 4 === 0 && v > 128), 'the neighbours are drawn');
  await page.locator('#pad-clear').click();
  await until(async () => (await fit.textContent()) === '', { what: 'Clear to empty the fit' });
  const scribble = [Array.from({ length: 40 }, (_, i) => [0.1 + 0.8 * ((i * 7) % 40) / 40, 0.1 + 0.8 * ((i * 13) % 40) / 40])];
  await draw(page, scribble);
  await until(async () => /this drawing is unlike the digits the model has learnt/.test(await fit.textContent()), { what: 'the scribble said to be no digit' });
  t.diagnostic(`scribble: ${await fit.textContent()}`);

  // Eraser: rubbing out everything leaves a blank input; Clear resets too.
  await page.locator('#pad-eraser').click();
  assert.equal(await page.locator('#pad-eraser').getAttribute('aria-pressed'), 'true');
  const rows = Array.from({ length: 12 }, (_, i) => [[0.02, 0.04 + i * 0.085], [0.98, 0.04 + i * 0.085]]);
  await draw(page, rows);
  await until(async () => ink(await read28(page, 'input28')) === 0, { what: 'a blank input after erasing' });
  await page.locator('#pad-eraser').click();
  await draw(page, ZERO);
  await until(async () => ink(await read28(page, 'input28')) > 20, { what: 'ink again' });
  await page.locator('#pad-clear').click();
  await until(async () => ink(await read28(page, 'input28')) === 0 && ink(await read28(page, 'reconstruction')) === 0, { what: 'Clear to blank both' });
  assert.deepEqual(page.errors, []);
});

test('a finger can draw too (touch events through Pointer Events)', async () => {
  const page = await open(env, FAST_AE, { viewport: { width: 390, height: 844 }, hasTouch: true });
  const pad = page.locator(byTestId('draw-pad'));
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await until(async () => ink(await read28(page, 'input28')) > 5, { what: 'a tapped dot in the input' });
});

test('a denoising AE shows the drawing corrupted as in training, and its reconstruction is closer to the clean drawing', async (t) => {
  const page = await open(env, 'model=dae&hidden=128&latent=16&batch=100&lr=0.002&seed=3&noise=mask&noise_level=0.5');
  assert.ok(await page.locator(byTestId('corrupted')).isVisible(), 'the DAE view is shown');
  await draw(page, ZERO);
  const input = await until(async () => {
    const img = await read28(page, 'input28');
    return ink(img) > 20 && img;
  }, { what: 'the 28×28 input' });
  const corrupted = await until(async () => {
    const img = await read28(page, 'corrupted');
    return ink(img) > 0 && img;
  }, { what: 'the corrupted input' });
  // Masking noise at 0.5 drops about half of the ink.
  const kept = ink(corrupted) / ink(input);
  assert.ok(kept > 0.35 && kept < 0.65, `kept ${kept.toFixed(2)} of the ink`);

  await train(page, 1500);
  const noisy = correlation(input, corrupted);
  let r = 0;
  await until(async () => (r = correlation(input, await read28(page, 'denoised'))) > noisy + 0.05, { timeout: 15_000, what: `denoised closer to x than x̃ is (${r.toFixed(3)} vs ${noisy.toFixed(3)})` });
  t.diagnostic(`correlation with the clean drawing: corrupted ${noisy.toFixed(3)}, denoised ${r.toFixed(3)}`);
  assert.deepEqual(page.errors, []);
});
