// The page's numbers (training statistics, loss readouts) never break across
// lines inside a number ("28,787,6 / 00") nor spill out of their column, on
// a 360-px phone or in the desktop's narrow settings column. Real page, real
// stylesheet; the figures are set as large as a big model's get.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open } from './harness.mjs';

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const BIG = {
  'stat-epoch': '205.76',
  'stat-step': '1,234,567',
  'stat-seen': '28,800,000',
  'stat-speed': '12,345',
  'stat-params': '28,787,600',
  'test-loss': '1234567.1234',
  'train-loss': '9876543.2109',
};

/** For each element: the lines its text takes, and how far (px) the text reaches past its column. */
function measure(ids) {
  return Object.fromEntries(ids.map((id) => {
    const el = document.getElementById(id);
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;
    // A statistic's column is its <div>; a readout's is the card.
    const column = (el.closest('.stats > div') ?? el.closest('.card')).getBoundingClientRect();
    const right = Math.max(...rects.map((r) => r.right));
    return [id, { lines, spill: Math.round(right - column.right) }];
  }));
}

for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
  test(`no number wraps or spills at ${viewport.width} px wide`, async () => {
    const page = await open(env, '', { viewport });
    // Set and measured in one task: the page's own render cannot come between.
    const seen = await page.evaluate(([big, measure]) => {
      for (const [id, text] of Object.entries(big)) document.getElementById(id).textContent = text;
      return new Function(`return (${measure})`)()(Object.keys(big));
    }, [BIG, measure.toString()]);
    for (const [id, { lines, spill }] of Object.entries(seen)) {
      assert.equal(lines, 1, `#${id} “${BIG[id]}” takes ${lines} lines`);
      assert.ok(spill <= 0, `#${id} “${BIG[id]}” reaches ${spill}px past its column`);
    }
    assert.deepEqual(page.errors, []);
  });
}
