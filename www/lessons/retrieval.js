// Lecture 5: retrieval. Finding similar images by comparing 784 pixels works
// on digits centred as MNIST's are; a code of a few numbers is 50 times
// cheaper to store and compare. How much precision does it keep?
import { fmt, grid, readout } from './kit.js';

const NET = 'hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'An autoencoder’s code is a compressed description of an image, so images whose codes are near each other look alike: a 16-number code can stand in for 784 pixels when searching for similar images. We measure the precision of the 8 nearest test images (the share with the query’s class) by pixels, by an autoencoder’s codes and by a VAE’s means.';
export const look = 'Each model’s nearest test images to your input, and the precision over 1,000 test queries against all 10,000 test images.';
export const sides = [
  { key: 'ae', label: 'Autoencoder codes (16 numbers)', hash: `model=ae&${NET}` },
  { key: 'vae', label: 'VAE means (16 numbers)', hash: `model=vae&${NET}` },
];
export const batches = 300;
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

export async function measure(ctx) {
  const [pixels, ...codes] = await Promise.all([
    ctx.cmp.probe(ctx.sides[0], 'retrieval', { space: 'pixels', k: 8, queries: 1000 }),
    ...ctx.sides.map((s) => ctx.cmp.probe(s, 'retrieval', { space: 'code', k: 8, queries: 1000 })),
  ]);
  const [ae, vae] = codes.map((c) => c.precision);
  const px = pixels.precision;
  text.textContent = `Precision of the 8 nearest test images: pixels ${fmt(px)}, autoencoder codes ${fmt(ae)}, VAE means ${fmt(vae)}.`;
  return {
    result: { pixels: px, ae, vae, k: 8, queries: 1000 },
    holds: Math.max(ae, vae) >= px - 0.05,
    text: `over 1,000 test queries, ${fmt(px)} of the 8 nearest test images share the query’s class by pixels (784 numbers), ${fmt(ae)} by the autoencoder’s 16-number codes and ${fmt(vae)} by the VAE’s means`,
  };
}
