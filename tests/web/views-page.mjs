// The views' own browser tests: www/dev/test-views.html served straight from
// www/ (a view needs no wasm and no data, so no site build), one Chromium per
// test file, and a page per test with view modules a test can import.
import path from 'node:path';
import { serveAndLaunch, ROOT } from './harness.mjs';

export function setupViews() {
  return serveAndLaunch(path.join(ROOT, 'www'));
}

/** A fresh test-views.html; `init` runs before the page's scripts (e.g. to spy on the canvas API). */
export async function openViews(env, { viewport = { width: 800, height: 600 }, init } = {}) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  if (init) await page.addInitScript(init);
  await page.goto(env.url + 'dev/test-views.html');
  return page;
}

/**
 * Installed with `init`: records every fillText as {text, align, x0, x1, y,
 * canvas, width} in canvas pixels, x0…x1 being the text's extent after
 * alignment and `width` the canvas's.
 */
export function spyOnText() {
  window.__texts = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const w = this.measureText(text).width;
    const a = this.textAlign;
    const left = a === 'right' || a === 'end' ? x - w : a === 'center' ? x - w / 2 : x;
    // Through the current transform (the views draw in CSS pixels scaled by the device pixel ratio).
    const m = this.getTransform();
    window.__texts.push({ text: String(text), align: a, x0: m.a * left + m.e, x1: m.a * (left + w) + m.e, y: m.d * y + m.f, canvas: this.canvas.id, width: this.canvas.width });
    return fill.call(this, text, x, y, ...rest);
  };
}

/** Resolves after the next two frames: resize observers and animation frames have run. */
export function frames(page, n = 2) {
  return page.evaluate((n) => new Promise((done) => {
    const next = (k) => (k === 0 ? done() : requestAnimationFrame(() => next(k - 1)));
    next(n);
  }), n);
}
