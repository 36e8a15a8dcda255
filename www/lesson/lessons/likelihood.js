// Lecture 1, the maximum-likelihood view: a decoder outputs the parameters of
// a distribution p(x|z), and its loss is −log p(x|z). Bernoulli pixels give
// cross-entropy; a Gaussian with σ = 1 gives half the squared error plus
// ½ln2π per pixel. Samples from each show what each model believes an image is.
import { PIXELS, fmt, grid, mean, readout } from './figures.js';

const NET = 'model=ae&hidden=256&latent=16&activation=relu&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'A decoder does not output an image: it outputs the parameters of a distribution p(x|z), and training minimises −log p(x|z). A Bernoulli decoder’s draws are black-and-white speckle around its mean; a Gaussian decoder with σ = 1 believes every pixel may be off by about 1, so its draws are its mean drowned in noise, and its loss includes the constant 784·½ln2π ≈ 720 nats. The two losses are −log of a probability (Bernoulli) and −log of a density (Gaussian): they are not on one scale, so the page does not compare them.';
export const look = 'For the input, each decoder’s mean and four samples x ~ p(x|z), and each model’s −log p(x|z) in nats, constants included.';
export const sides = [
  { key: 'bernoulli', label: 'Bernoulli decoder', hash: `${NET}&decoder=bernoulli` },
  { key: 'gaussian', label: 'Gaussian decoder (σ = 1)', hash: `${NET}&decoder=gaussian` },
];
export const batches = 200;
export const chunk = 20;
export const chartTitle = 'Training loss, −log p(x|z) in nats per image';

const SAMPLES = 4;
let views, text, last;

export async function setup(ctx) {
  views = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: mean, then ${SAMPLES} samples`, testid: `decoder-samples-${s.key}` }, { cols: SAMPLES + 1, gap: 2, placeholder: 'samples' }));
  text = readout(ctx, 'nll-readout');
}

export async function refresh(ctx) {
  const input = ctx.input ?? ctx.testImages(1);
  const [samples, nlls] = await Promise.all([ctx.cmp.probeAll('decoder_samples', { pixels: input, n: SAMPLES, seed: 3 }), ctx.cmp.probeAll('nll', { pixels: ctx.testImages(100) })]);
  last = ctx.sides.map((s, i) => ({ samples: samples[i].pixels, nll: mean(nlls[i].nll) }));
  // Gaussian samples leave [0, 1]; the picture clips them, the figures do not.
  views.forEach((v, i) => v.update({ pixels: last[i].samples.map((x) => Math.min(1, Math.max(0, x))), n: SAMPLES + 1 }));
  text.textContent = ctx.sides.map((s, i) => `${s.label}: −log p(x|z) = ${fmt(last[i].nll, 4)} nats per test image, in its own terms`).join(' · ');
}

export async function measure(ctx) {
  await refresh(ctx);
  const [b, g] = last;
  const drawn = (s) => s.subarray(PIXELS);
  const binary = drawn(b.samples).every((x) => x === 0 || x === 1);
  // The Gaussian's samples minus its mean: their spread is its σ.
  const means = g.samples.subarray(0, PIXELS);
  const dev = drawn(g.samples).map((x, i) => x - means[i % PIXELS]);
  const sd = Math.sqrt(mean(dev.map((d) => d * d)));
  const constant = PIXELS * 0.5 * Math.log(2 * Math.PI);
  return {
    result: { bernoulliNll: b.nll, gaussianNll: g.nll, gaussianConstant: constant, bernoulliBinary: binary, gaussianSampleSd: sd },
    holds: binary && Math.abs(sd - 1) < 0.1 && g.nll > constant,
    text: `the Bernoulli samples are ${binary ? 'all 0 or 1' : 'not all 0 or 1'} and the Gaussian samples scatter round their mean with standard deviation ${fmt(sd)}, both as their distributions say by construction, so they show the assumption rather than test it; −log p(x|z) is ${fmt(b.nll, 4)} nats (a probability) for the Bernoulli decoder and ${fmt(g.nll, 4)} (a density, ${fmt(constant, 4)} of it the constant 784·½ln2π) for the Gaussian, not on one scale`,
  };
}
