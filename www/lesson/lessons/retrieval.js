// Lecture 5: retrieval. Finding similar images by comparing 784 pixels works
// on digits centred as MNIST's are; a code of a few numbers is 50 times
// cheaper to store and compare. How much precision does it keep?
import { fmt, grid, readout } from './figures.js';

export const claim =
  'An autoencoder’s code is a compressed description of an image, so images whose codes are near each other look alike, and a 16-number code can stand in for 784 pixels when searching for similar images. Measured as the precision of the 8 nearest test images (the share with the query’s class) over 1,000 queries. The control (the neutral link) leaves the encoders untrained: then 16 numbers do not keep up.';
export const look = 'Each model’s nearest test images to your input, and the precision over 1,000 test queries against all 10,000 test images.';
export const chunk = 25;

let text, neighbourViews;

export async function setup(ctx) {
  neighbourViews = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: nearest test images to your input`, testid: `neighbours-${s.key}` }, { cols: 8, gap: 2, placeholder: 'neighbours' }));
  text = readout(ctx, 'retrieval-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const input = ctx.input ?? ctx.testImages(1);
  const found = await ctx.cmp.all({ type: 'neighbours', pixels: input, k: 8 });
  found.forEach((m, i) => neighbourViews[i].update({ pixels: m.pixels, n: 8 }));
}

export async function show(ctx, figures) {
  const [ae, vae] = figures.map((f) => f.precision);
  text.textContent = `Precision of the 8 nearest test images: pixels ${fmt(figures[0].pixels)}, autoencoder codes ${fmt(ae)}, VAE means ${fmt(vae)}.`;
}
