// The page is usable without a mouse and with a screen reader: axe-core finds
// no violations on a desktop or a phone screen, for the default model and the
// ones that show more controls; touch targets on a phone are at least 44 px;
// the texts that change after a pick or a drawing are live regions; and the
// keyboard can give the model an input (a test image by number) in place of
// drawing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { byTestId, FAST_AE, moreSettings, open, ROOT, setup, step } from './harness.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

let env;
before(async () => (env = await setup()));
after(() => env?.close());

async function violations(page) {
  // Evaluated rather than added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  await page.evaluate(await readFile(AXE, 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

for (const [name, hash, viewport] of [
  ['desktop, default VAE', '', { width: 1280, height: 800 }],
  ['phone, CVAE', 'model=cvae&hidden=64&latent=2', { width: 390, height: 844 }],
  ['desktop, denoising AE', 'model=dae&hidden=64&latent=8', { width: 1280, height: 800 }],
]) {
  test(`axe-core finds no accessibility violations (${name})`, async () => {
    const page = await open(env, hash, { viewport, hasTouch: viewport.width < 500 });
    const found = await violations(page);
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    await page.context().close();
  });
}

// A lesson (compare mode) and the lessons' index, on a desktop and a phone, once the lesson has its figure.
for (const [name, url, viewport] of [
  ['lesson, desktop', '#lesson=contractive&batches=25', { width: 1280, height: 800 }],
  ['lesson, phone', '#lesson=cvae&batches=25', { width: 390, height: 844 }],
  ['lessons index, phone', 'lessons.html', { width: 390, height: 844 }],
]) {
  test(`axe-core finds no accessibility violations (${name})`, async () => {
    const context = await env.browser.newContext({ viewport, hasTouch: viewport.width < 500 });
    const page = await context.newPage();
    await page.goto(env.url + url);
    if (url.startsWith('#')) await page.locator(`${byTestId('lesson')}[data-result]`).waitFor({ timeout: 120_000 });
    const found = await violations(page);
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `no sideways scrolling (${width} px wide)`);
    await context.close();
  });
}

test('on a phone every visible control is at least 44 px in both directions', async () => {
  const page = await open(env, '', { viewport: { width: 390, height: 844 }, hasTouch: true });
  await page.locator('#settings > summary').click();
  await moreSettings(page);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input:not([type="file"]), summary, .filebutton')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.id || el.name || el.textContent.trim().slice(0, 20), w: Math.round(r.width), h: Math.round(r.height) };
      })
      .filter((r) => r.w < 44 || r.h < 44),
  );
  assert.deepEqual(small, []);
  await page.context().close();
});

test('a control’s accessible name is its own text, not its neighbours’', async () => {
  const page = await open(env);
  await moreSettings(page);
  const seedName = await page.locator('#config [name="seed"]').evaluate((el) => el.labels[0]?.textContent.trim());
  assert.equal(seedName, 'Seed');
  const button = page.getByRole('button', { name: /new seed/i });
  assert.equal(await button.count(), 1);
  await page.context().close();
});

test('the keyboard can choose a test image as the input, and its reconstruction, neighbours and code follow', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 2);
  const pick = page.locator(byTestId('test-pick'));
  await pick.focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.getElementById('neighbours-text').textContent.startsWith('Retrieval by code, nearest first'));
  const shown = await page.locator(byTestId('input28')).evaluate((c) => !c.hasAttribute('data-empty'));
  assert.ok(shown, 'the picked test image is shown as the input');
  // The nearest test image to test image 1 is itself: its code is at distance 0.
  const first = await page.locator('#neighbours-text').textContent();
  assert.match(first, /nearest first: 7,/, 'test image 1 of MNIST is a 7, and it is its own nearest neighbour');
  for (const id of ['picked-text', 'neighbours-text']) {
    assert.equal(await page.locator(`#${id}`).getAttribute('aria-live'), 'polite', `${id} is a live region`);
  }
  await page.context().close();
});

test('the hover tooltip’s image is labelled with what it shows', async () => {
  const page = await open(env, FAST_AE);
  await step(page, 1);
  const plot = page.locator(byTestId('latent-plot'));
  await page.waitForFunction(() => document.getElementById('latent-title').textContent.includes('test images'));
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  // Sweep until the pointer lands on a point.
  let label = null;
  for (let i = 0; i < 40 && !label; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + 0.015 * i), box.y + box.height * (0.3 + 0.01 * i));
    if (await page.locator('#hover').isVisible()) label = await page.locator('#hover-img').getAttribute('aria-label');
  }
  assert.ok(label && /test image \d+|decoded/.test(label), `hover image label: ${label}`);
  await page.context().close();
});
