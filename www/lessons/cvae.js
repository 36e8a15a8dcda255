// Lecture 4: the conditional VAE (Sohn et al. 2015) is told the label, so its
// code need not carry the class: it keeps the style. One code decodes to any
// class in that style, and the nearest codes belong to images of the same
// style but any class, while a VAE's nearest codes share the class.
import { fmt, grid, readout } from './kit.js';

const NET = 'hidden=256&latent=2&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'A conditional VAE gets the label as an input, so its code need not hold the class and keeps what the label does not say: the style (slant, thickness, size). Decode one drawing’s code with each of the ten labels and the same hand writes every digit. Its codes carry less of the class than a VAE’s: the classes mix in its latent plot, and its nearest codes share the query’s class less often.';
export const look = 'The two latent plots (2-D codes coloured by class: clusters for the VAE, mixed for the conditional VAE), your input rendered as every class, the eight test images whose codes are nearest to it in each model, and how often those neighbours share the query’s class over 1,000 test queries (chance: about 0.1).';
export const sides = [
  { key: 'vae', label: 'VAE', hash: `model=vae&${NET}` },
  { key: 'cvae', label: 'Conditional VAE', hash: `model=cvae&${NET}` },
];
export const views = ['recon', 'latent'];
export const batches = 300;
export const chunk = 25;

let classesView, neighbourViews, text;

export async function setup(ctx) {
  classesView = grid(ctx, { title: 'Your input’s code, decoded with each label 0–9 (conditional VAE)', testid: 'cvae-classes' }, { cols: 10, gap: 2, placeholder: 'the ten classes' });
  neighbourViews = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: nearest test images by code`, testid: `neighbours-${s.key}` }, { cols: 8, gap: 2, placeholder: 'neighbours' }));
  text = readout(ctx, 'cvae-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const input = ctx.input ?? ctx.testImages(1);
  // The input's label for the CVAE's encoder: test image 1 is a 7; a drawing is taken as the first test image's class.
  const label = ctx.labels[0];
  const cvae = ctx.sides[1];
  const [classes, ...neighbours] = await Promise.all([
    ctx.cmp.ask(cvae, { type: 'classes', pixels: input, label }),
    ...ctx.sides.map((s) => ctx.cmp.ask(s, { type: 'neighbours', pixels: input, k: 8, label })),
  ]);
  classesView.update({ pixels: classes.pixels, n: 10 });
  neighbours.forEach((m, i) => neighbourViews[i].update({ pixels: m.pixels, n: 8 }));
}

export async function measure(ctx) {
  await refresh(ctx, true);
  const [vae, cvae] = (await ctx.cmp.probeAll('retrieval', { space: 'code', k: 8, queries: 1000 })).map((r) => r.precision);
  text.textContent = `Share of the 8 nearest codes with the query’s class: VAE ${fmt(vae)}, conditional VAE ${fmt(cvae)} (chance is about 0.1).`;
  return {
    result: { vaePrecision: vae, cvaePrecision: cvae, k: 8, queries: 1000 },
    holds: cvae < vae,
    text: `over 1,000 test queries, ${fmt(vae)} of a VAE code’s 8 nearest test codes share its class, and ${fmt(cvae)} of a conditional VAE’s (chance is about 0.1)`,
  };
}
