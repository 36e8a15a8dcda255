// Lecture 1: backprop through deep sigmoid networks. The error reaching layer
// l is multiplied by σ′ ≤ 1/4 at every sigmoid layer above it, so the first
// layers of a deep sigmoid network get gradients orders of magnitude smaller
// than the last; ReLU passes the error on with slope 1 where it is active.
import { SIDE_COLORS, chart, fmt, readout } from './figures.js';

export const claim =
  'Training a deep network with sigmoid units used to stall: the backward pass multiplies the error by σ′(s) ≤ ¼ at every sigmoid layer, so by the first layer the gradient has all but vanished. With ReLU units the factor is 1 wherever a unit is active, and every layer learns. Both models here start from the same initialisation scheme (Glorot’s, the sigmoid era’s own) and the same seed, and train with plain gradient descent on the same batches: only the activation differs.';
export const look = 'The curves: each model’s gradient norm at its first and last weight layer (log₁₀), measured on the same test images every round. The sigmoid model’s first layer sits orders of magnitude below its last; the ReLU model’s do not.';
export const chunk = 10;
export const chartTitle = 'Gradient norm of the first and last weight layer (log₁₀)';
export const chartLabel = 'Log10 gradient norms of the first and last layers of both models against batches';

let history; // side key -> {first: [[step, log10]], last: [...]}
let latest; // side key -> {names, norms}
let layersChart, text;

export async function setup(ctx) {
  history = new Map(ctx.sides.map((s) => [s.key, { first: [], last: [] }]));
  latest = new Map();
  layersChart = chart(ctx, { title: 'Every layer’s gradient norm now (log₁₀), input side on the left', testid: 'layer-norms', label: 'Gradient norm of every weight layer of both models, log10' });
  text = readout(ctx, 'gradient-readout');
  await observe(ctx);
}

export async function observe(ctx) {
  const replies = await ctx.cmp.probeAll('grad_norms', { pixels: ctx.testImages(64), labels: ctx.labels.slice(0, 64), seed: 1 });
  ctx.sides.forEach((s, i) => {
    const { names, norms } = replies[i];
    latest.set(s.key, { names, norms });
    const h = history.get(s.key);
    h.first.push([ctx.step, Math.log10(norms[0])]);
    h.last.push([ctx.step, Math.log10(norms[norms.length - 1])]);
  });
  layersChart.update({
    series: ctx.sides.map((s, i) => ({ label: s.label, color: SIDE_COLORS[i], dots: true, points: Array.from(latest.get(s.key).norms, (v, l) => [l + 1, Math.log10(v)]) })),
    xLabel: 'weight layer',
  });
  text.textContent = ctx.sides.map((s) => `${s.label}: first/last = ${fmt(ratio(s.key))}`).join(' · ');
}

export function series(ctx) {
  return ctx.sides.flatMap((s, i) => [
    { label: `${s.label}, first layer`, color: SIDE_COLORS[i], points: history.get(s.key).first, dots: true },
    { label: `${s.label}, last layer`, color: SIDE_COLORS[i], points: history.get(s.key).last, dash: [4, 3] },
  ]);
}

function ratio(key) {
  const { norms } = latest.get(key);
  return norms[0] / norms[norms.length - 1];
}

