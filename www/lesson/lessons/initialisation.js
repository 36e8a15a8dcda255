// Lecture 1: cross-entropy is less sensitive to the initial weights than
// squared error. The verdict is the core's (src/claims/initialisation.rs);
// this shows each model's squared error on the test images.
import { bars, fmt, readout } from './figures.js';

export const claim =
  'The lecture says cross-entropy is less sensitive to the initial weights than squared error. Four copies of one network (784-16-784, sigmoid units, plain gradient descent, the same seed and batches): two decoders, Bernoulli (cross-entropy) and Gaussian (squared error), each from a good initialisation (Glorot’s) and from a saturated one (weights N(0, 1), output sigmoids pinned near 0 or 1). How far does each loss’s result move when only the initialisation changes? Judged by squared error on test images, the measure the Gaussian side itself minimises.';
export const look = 'The training losses; below, each model’s squared error on 100 test images after training.';
export const chunk = 20;

let errs, text;

export async function setup(ctx) {
  errs = bars(ctx, { title: 'Squared error per test image after training', testid: 'init-errors', caption: 'Cross-entropy good, cross-entropy saturated, squared error good, squared error saturated.' });
  text = readout(ctx, 'init-readout');
}

export async function show(ctx, figures) {
  errs.update({ values: figures.map((f) => f.squaredError), unit: '' });
  const e = figures.map((f) => f.squaredError);
  text.textContent = `Squared error per test image: cross-entropy ${fmt(e[0])} (good start) and ${fmt(e[1])} (saturated), squared error ${fmt(e[2])} and ${fmt(e[3])}. The saturated start moves cross-entropy’s result by ${fmt((100 * (e[1] - e[0])) / e[0])}% and squared error’s by ${fmt((100 * (e[3] - e[2])) / e[2])}%.`;
}
