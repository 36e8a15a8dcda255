// Lecture 1: gradient descent as a first-order Taylor step. The verdict is
// the core's (src/claims/gradient_descent.rs); this shows each model's one
// measured step, predicted drop beside actual drop.
import { bars, fmt, readout } from './figures.js';

export const claim =
  'A gradient step is a first-order Taylor step: moving the weights by −η·g changes the loss by about −η‖g‖², the drop the gradient predicts, as long as the loss is nearly linear over the step. Three copies of one network (same seed, same batches) train with plain gradient descent at three step sizes; at the end each takes one more step of its own size on 100 test images, undone afterwards, and the predicted drop is set beside the actual one.';
export const look = 'The training losses (the small step crawls); below, for each model, the drop its last step predicted and the drop that happened.';
export const chunk = 20;

let drops, text;

export async function setup(ctx) {
  drops = bars(ctx, { title: 'Predicted and actual drop of one step, for each step size (nats per image)', testid: 'taylor-drops', caption: 'Pairs of bars, small step first: predicted (−η‖g‖²), then actual.' });
  text = readout(ctx, 'taylor-readout');
}

export async function show(ctx, figures) {
  drops.update({ values: figures.flatMap((f) => [-f.predicted, -f.actual]), unit: 'nats' });
  text.textContent = ctx.sides.map((s, i) => `${s.label}: predicted drop ${fmt(-figures[i].predicted)}, actual ${fmt(-figures[i].actual)} (ratio ${fmt(figures[i].ratio)}); test loss ${fmt(figures[i].testLoss, 4)}`).join(' · ');
}
