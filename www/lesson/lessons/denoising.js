// Lecture 3: the denoising autoencoder (Vincent et al. 2008) learns to undo a
// corruption, so it must model what digits look like rather than copy pixels.
import { SIDE_COLORS, chart, fmt, readout } from './figures.js';

export const claim =
  'A denoising autoencoder is trained to rebuild the clean image from a corrupted one (here: half its pixels wiped), so it has to learn what digits look like rather than copy pixels. Both models are trained from the same seed on the same batches, on the Bernoulli likelihood; they are judged by squared error against the clean image, which neither was trained on.';
export const look = 'The curves below: squared error against the clean image, per test image, when the input has a share of its pixels wiped (0 = clean).';
export const chunk = 25;

const LEVELS = [0, 0.25, 0.5, 0.75];
let curve, text, errors;

export async function setup(ctx) {
  curve = chart(ctx, { title: 'Squared error against the clean image at each noise level (500 test images)', testid: 'noise-curve', label: 'Reconstruction error against noise level for both models' });
  text = readout(ctx, 'noise-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const replies = await ctx.cmp.probeAll('noise_curve', { levels: LEVELS, kind: 'mask', n: 500, seed: 11 });
  errors = replies.map((r) => Array.from(r.errors));
  curve.update({ series: ctx.sides.map((s, i) => ({ label: s.label, color: SIDE_COLORS[i], dots: true, points: LEVELS.map((l, j) => [l, errors[i][j]]) })), xLabel: 'share of pixels wiped' });
  text.textContent = `Squared error, autoencoder vs denoising autoencoder, by share of pixels wiped: ${LEVELS.map((l, j) => `${l}: ${fmt(errors[0][j])} vs ${fmt(errors[1][j])}`).join('; ')}.`;
}

