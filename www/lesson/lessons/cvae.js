// Lecture 4: the conditional VAE (Sohn et al. 2015) is told the label, so its
// code need not carry the class: it keeps the style. One code decodes to any
// class in that style, and the nearest codes belong to images of the same
// style but any class, while a VAE's nearest codes share the class.
import { fmt, grid, readout } from './figures.js';

export const claim =
  'A conditional VAE gets the label as an input, so its code need not hold the class. Below, one input’s code is decoded with each of the ten labels: look whether the same hand seems to write every digit (shown, not measured).';
export const look = 'The two latent plots (2-D codes coloured by class: clusters for the VAE, mixed for the conditional VAE), your input rendered as every class, the eight test images whose codes are nearest to it in each model, and how often those neighbours share the query’s class over 1,000 test queries (chance: about 0.1).';
export const views = ['recon', 'latent'];
export const chunk = 25;

let classesView, classesTitle, neighbourViews, text;

export async function setup(ctx) {
  classesView = grid(ctx, { title: 'Your input’s code, decoded with each label 0–9 (conditional VAE)', testid: 'cvae-classes' }, { cols: 10, gap: 2, placeholder: 'the ten classes' });
  classesTitle = ctx.panel.querySelector('[data-testid="cvae-classes"]').closest('figure').querySelector('h3');
  neighbourViews = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: nearest test images by code`, testid: `neighbours-${s.key}` }, { cols: 8, gap: 2, placeholder: 'neighbours' }));
  text = readout(ctx, 'cvae-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const input = ctx.input ?? ctx.testImages(1);
  const cvae = ctx.sides[1];
  // The CVAE's encoder takes the input's label: a test image's own class, or for a drawing what the
  // worker's background classifier reads it as.
  let label = ctx.inputLabel;
  let read = '';
  if (label === null) {
    const { probs, progress } = await ctx.cmp.ask(cvae, { type: 'classify', pixels: input });
    label = probs.indexOf(Math.max(...probs));
    read = progress < 1 ? ` (the classifier that reads it is still ${Math.round(100 * progress)}% trained)` : '';
  }
  classesTitle.textContent = `Your input’s code, taken as a ${label}${read}, decoded with each label 0–9 (conditional VAE)`;
  const [classes, ...neighbours] = await Promise.all([
    ctx.cmp.ask(cvae, { type: 'classes', pixels: input, label }),
    ...ctx.sides.map((s) => ctx.cmp.ask(s, { type: 'neighbours', pixels: input, k: 8, label })),
  ]);
  classesView.update({ pixels: classes.pixels, n: 10 });
  neighbours.forEach((m, i) => neighbourViews[i].update({ pixels: m.pixels, n: 8 }));
}

export async function show(ctx, figures) {
  const [vae, cvae] = figures.map((f) => f.precision);
  text.textContent = `Share of the 8 nearest codes with the query’s class: VAE ${fmt(vae)}, conditional VAE ${fmt(cvae)} (chance is about 0.1).`;
}
