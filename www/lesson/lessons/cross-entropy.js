// Lecture 1, the gradient view of a loss. Same network, same saturated
// initial weights, same batches; only the decoder's likelihood differs. At
// the output, squared error's gradient is (μ − x)·σ′(s) and cross-entropy's is
// μ − x: the σ′ factor, near 0 where the output sigmoid is saturated, is what
// squared error keeps and cross-entropy cancels.
import { PIXELS, SIDE_COLORS, bars, fmt, readout } from './figures.js';

export const claim =
  'From a saturated start (weights drawn with σ = 1, so the output sigmoids sit near 0 or 1) a Bernoulli decoder, whose loss is cross-entropy, learns at once, while a Gaussian decoder, whose loss is squared error, crawls. Squared error’s output gradient carries the sigmoid’s slope σ′(s), near 0 when saturated; cross-entropy’s does not.';
export const look = 'The curves: both models’ squared error on the same 100 test images, the measure squared error itself minimises. Below: how σ′(s) is spread over the output pixels of each model, the factor one loss keeps and the other cancels.';
export const chunk = 10;
export const chartTitle = 'Squared error per test image (100 test images)';
export const chartLabel = 'Squared error of both models on 100 test images against batches';

const SHOWN = 100;
const BINS = 25;
let curves, slopeBars, text, slopes;

export async function setup(ctx) {
  curves = new Map(ctx.sides.map((s) => [s.key, []]));
  slopes = new Map();
  slopeBars = ctx.sides.map((s) => bars(ctx, { title: `${s.label}: σ′(s) over the output pixels`, testid: `slopes-${s.key}`, caption: `${BINS} bins from 0 to ¼ (left to right); the share of pixels in each.` }));
  text = readout(ctx, 'slope-readout');
  await observe(ctx);
}

/** Mean over the shown test images of Σ_pixels (x − x̂)². */
function squaredError(recon, images) {
  let total = 0;
  for (let i = 0; i < recon.length; i++) total += (recon[i] - images[i]) ** 2;
  return total / SHOWN;
}

export async function observe(ctx) {
  const images = ctx.testImages(SHOWN);
  const [recons, hists] = await Promise.all([ctx.cmp.all({ type: 'reconstruct', pixels: images }), ctx.cmp.probeAll('output_slopes', { pixels: images, bins: BINS })]);
  ctx.sides.forEach((s, i) => {
    curves.get(s.key).push([ctx.step, squaredError(recons[i].pixels.subarray(0, SHOWN * PIXELS), images)]);
    slopes.set(s.key, hists[i]);
    slopeBars[i].update({ values: Array.from(hists[i].hist), unit: 'of pixels' });
  });
  text.textContent = ctx.sides.map((s) => `${s.label}: mean σ′ ${fmt(slopes.get(s.key).mean)} (at most 0.25)`).join(' · ');
}

export function series(ctx) {
  return ctx.sides.map((s, i) => ({ label: s.label, color: SIDE_COLORS[i], points: curves.get(s.key), dots: true }));
}

