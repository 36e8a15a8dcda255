// Lecture 1, the maximum-likelihood view: a decoder outputs the parameters of
// a distribution p(x|z), and its loss is −log p(x|z). The verdict is the
// core's (src/claims/likelihood.rs): on black-and-white digits every decoder
// is read as a chance that each pixel is white, so all three give a test
// image a probability. This draws what each decoder believes an image is.
import { PIXELS, fmt, grid, readout } from './figures.js';

export const claim =
  'A decoder does not output an image: it outputs a distribution p(x|z), and training minimises −log p(x|z). Choosing the distribution is a claim about the data. Here the digits are black and white (every MNIST pixel made 0 or 1), which a Bernoulli describes exactly: its loss is cross-entropy. A Gaussian, whose loss is squared error, describes grey values; read on black-and-white images, its chance that a pixel is white is the chance that a draw lands above half grey. That puts all three decoders on one scale: the probability each gives a test image, and whether its stated chances come true.';
export const look = 'For a test image, each decoder’s chance that each pixel is white (white = sure it is white, black = sure it is black, grey = a coin toss), then four draws x ~ p(x|z). The readout gives −log p per test image two ways: as a probability of the black-and-white image, the judged figure, and in the decoder’s own terms (for a Gaussian a density, which can go below zero).';
export const chunk = 20;

const DRAWS = 4;
let views, text;

export async function setup(ctx) {
  views = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: chance of white, then ${DRAWS} draws`, testid: `decoder-draws-${s.key}` }, { cols: DRAWS + 1, gap: 2, placeholder: 'chances and draws' }));
  text = readout(ctx, 'likelihood-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const input = ctx.input ?? ctx.testImages(1);
  const [chances, draws] = await Promise.all([ctx.cmp.probeAll('white_chances', { pixels: input }), ctx.cmp.probeAll('decoder_samples', { pixels: input, n: DRAWS, seed: 3 })]);
  views.forEach((v, i) => {
    const out = new Float32Array((DRAWS + 1) * PIXELS);
    out.set(chances[i].pixels.subarray(0, PIXELS));
    // Row 0 of the draws is the mean; Gaussian draws leave [0, 1] and the picture clips them.
    out.set(draws[i].pixels.subarray(PIXELS).map((x) => Math.min(1, Math.max(0, x))), PIXELS);
    v.update({ pixels: out, n: DRAWS + 1 });
  });
}

export async function show(ctx, figures) {
  text.textContent = ctx.sides
    .map((s, i) => `${s.label}: −log p = ${fmt(figures[i].nll, 4)} nats as a probability of the image (${fmt(figures[i].ownNll, 4)} in its own terms); calibration error ${fmt(figures[i].calibration, 3)}`)
    .join(' · ');
}
