// Phone and desktop layouts: nothing overflows sideways, every view is on the
// page, controls have names for screen readers and are reachable by keyboard
// with a visible focus ring. Screenshots go to test-results/ to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, FAST_VAE, byTestId, draw, train, screenshot, ZERO } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const VIEWS = ['draw-pad', 'reconstruction', 'latent-plot', 'generation-grid', 'loss-chart', 'train-toggle', 'status', 'model-export'];

async function checkLayout(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  for (const id of VIEWS) {
    const box = await page.locator(byTestId(id)).boundingBox();
    assert.ok(box && box.width >= 20 && box.height >= 20, `${id} is on the page (${JSON.stringify(box)})`);
    assert.ok(box.x >= 0 && box.x + box.width <= page.viewportSize().width + 0.5, `${id} fits the width`);
  }
  // Every form control and button has a name a screen reader can say.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, canvas[role="img"]')]
      .filter((el) => el.offsetParent !== null || el.type === 'file')
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  assert.deepEqual(unnamed, []);
  assert.equal(await page.locator(byTestId('status')).getAttribute('aria-live'), 'polite');
}

test('desktop 1280×800: the views sit side by side, named, keyboard-reachable with a visible focus', async () => {
  const page = await open(env, FAST_VAE, { viewport: { width: 1280, height: 800 } });
  await checkLayout(page);
  // Loss, draw side by side on a wide screen.
  const loss = await page.locator(byTestId('loss-chart')).boundingBox();
  const pad = await page.locator(byTestId('draw-pad')).boundingBox();
  assert.ok(pad.x > loss.x + loss.width, 'loss and drawing are in separate columns');

  // Tab reaches the train button; its focus ring is drawn; Space starts training.
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'train-toggle'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  assert.equal(focused, 'train-toggle');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Training');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Paused');

  await draw(page, ZERO);
  await train(page, 300);
  console.log('screenshot:', await screenshot(page, 'desktop-1280x800.png'));
  assert.equal(await page.locator('#test-pick-help .keys-only').isVisible(), true, 'the arrow keys are mentioned where there is a keyboard');
  assert.deepEqual(page.errors, []);
});

test('phone 390×844: one column, nothing sideways, the reconstruction beside the pad, and after Train a pointer to the pad', async () => {
  const page = await open(env, FAST_VAE, { viewport: { width: 390, height: 844 }, hasTouch: true });
  await checkLayout(page);
  const pad = await page.locator(byTestId('draw-pad')).boundingBox();
  const recon = await page.locator(byTestId('reconstruction')).boundingBox();
  assert.ok(pad.width >= 200, `pad is ${pad.width}px wide`);
  assert.ok(recon.x >= pad.x + pad.width && recon.y < pad.y + pad.height, `the reconstruction (${recon.x}, ${recon.y}) sits beside the pad (${pad.x}–${pad.x + pad.width}, ${pad.y}–${pad.y + pad.height})`);
  // Help that only a keyboard can follow is not shown on a touch screen.
  assert.equal(await page.locator('#test-pick-help .keys-only').isVisible(), false);
  assert.equal(await page.locator(byTestId('to-pad')).isVisible(), false, 'no pointer before training');
  await page.locator(byTestId('train-toggle')).click();
  await page.locator(byTestId('to-pad')).click();
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="draw-pad"]').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  await page.locator(byTestId('train-toggle')).click();
  await draw(page, ZERO);
  await train(page, 300);
  console.log('screenshot:', await screenshot(page, 'phone-390x844.png'));
  assert.deepEqual(page.errors, []);
});
