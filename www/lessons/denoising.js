// Lecture 3: the denoising autoencoder (Vincent et al. 2008) learns to undo a
// corruption, so it must model what digits look like rather than copy pixels.
import { SIDE_COLORS, chart, fmt, readout } from './kit.js';

const NET = 'hidden=256&latent=32&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1&noise=mask&noise_level=0.5';
export const claim =
  'A denoising autoencoder is trained to rebuild the clean image from a corrupted one. Trained from the same seed on the same batches, it reconstructs corrupted test images better than a plain autoencoder, and the gap grows with the noise; on clean images the plain one may do as well or better.';
export const look = 'The curves below: squared error against the clean image, per test image, when the input has a share of its pixels wiped (0 = clean).';
export const sides = [
  { key: 'ae', label: 'Autoencoder', hash: `model=ae&${NET}` },
  { key: 'dae', label: 'Denoising autoencoder (half the pixels wiped)', hash: `model=dae&${NET}` },
];
export const batches = 300;
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

export async function measure(ctx) {
  await refresh(ctx, true);
  const [ae, dae] = errors;
  const noisy = LEVELS.flatMap((l, j) => (l >= 0.5 ? [j] : []));
  return {
    result: { levels: LEVELS, ae, dae },
    holds: noisy.every((j) => dae[j] < ae[j]),
    text: `with half the pixels wiped the squared error is ${fmt(ae[2])} for the autoencoder and ${fmt(dae[2])} for the denoising one; with three quarters, ${fmt(ae[3])} and ${fmt(dae[3])}; on clean images ${fmt(ae[0])} and ${fmt(dae[0])}`,
  };
}
