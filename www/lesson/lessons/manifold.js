// Lecture 2: the manifold hypothesis. Images of digits fill a thin, curved
// region of the 784-dimensional pixel space. The verdict is the core's
// (src/claims/manifold.rs: 200 random test pairs, read by a classifier that
// is no part of the model); this draws one walk and the two maps.
import { PIXELS, fmt, grid, readout } from './figures.js';

export const claim =
  'Digits occupy a thin, curved manifold in pixel space. Halfway along a straight line between two digits in pixel space lies an overlay of two faint digits; halfway between their codes in a trained autoencoder, decoded, lies something closer to one digit. A classifier that is no part of the model judges the midpoints of 200 random test pairs; the decoder’s blur counts against the code side, so blur cannot fake the result. Below, the 2-D map an autoencoder learns beside PCA’s plane, the linear map that keeps the most variance.';
export const look = 'The two walks from test image 1 to test image 2 (a 7 and a 2), the autoencoder’s 2-D map of the test set beside PCA’s, and the figures each sentence is judged by.';
export const views = ['recon', 'latent'];
export const chunk = 25;

const STEPS = 9;
const A = 0; // the test images walked between (a 7 and a 2 in MNIST)
const B = 1;
let pixelWalk, codeWalk, pcaPlot, text;

export async function setup(ctx) {
  pixelWalk = grid(ctx, { title: 'Straight line in pixel space', testid: 'pixel-walk' }, { cols: STEPS, gap: 2 });
  codeWalk = grid(ctx, { title: 'Straight line in code space (16 numbers), decoded', testid: 'code-walk' }, { cols: STEPS, gap: 2 });
  const { el } = ctx;
  const c = el('canvas', { class: 'plot', 'data-testid': 'pca-map', role: 'img', 'aria-label': 'The test set projected on its first two principal components, coloured by class' });
  const legend = el('ol', { class: 'legend', 'aria-label': 'Classes' });
  ctx.panel.append(el('figure', { class: 'lesson-fig' }, el('h3', { text: 'PCA of the pixels, 2-D (the 2-D autoencoder’s map is with its model below)' }), el('div', { class: 'plotwrap' }, c), legend));
  const { create } = await import('../../views/latent-plot.js');
  pcaPlot = create(c, { legend });
  text = readout(ctx, 'manifold-readout');
  const m = await ctx.cmp.probe(ctx.sides[1], 'pixel_map', { limit: 1000, k: 5 });
  pcaPlot.update({ xy: m.xy, labels: m.labels, names: [...'0123456789'], axes: ['PC 1', 'PC 2'], mark: null, picked: null });
}

function pixelLine(a, b) {
  const out = new Float32Array(STEPS * PIXELS);
  for (let s = 0; s < STEPS; s++) {
    const t = s / (STEPS - 1);
    for (let j = 0; j < PIXELS; j++) out[s * PIXELS + j] = (1 - t) * a[j] + t * b[j];
  }
  return out;
}

export async function refresh(ctx, all) {
  if (!all) return;
  const a = ctx.images.subarray(A * PIXELS, (A + 1) * PIXELS);
  const b = ctx.images.subarray(B * PIXELS, (B + 1) * PIXELS);
  const walk = await ctx.cmp.ask(ctx.sides[0], { type: 'interpolate', a, b, steps: STEPS });
  pixelWalk.update({ pixels: pixelLine(a, b), n: STEPS });
  codeWalk.update({ pixels: walk.pixels, n: STEPS });
}

export async function show(ctx, figures) {
  const [walk, map] = figures;
  text.textContent = `The classifier’s mean top probability at the midpoints of 200 test pairs: ${fmt(walk.pixelMid)} in pixel space, ${fmt(walk.codeMid)} in code space (at the ends: ${fmt(walk.pixelEnds)} for the real digits, ${fmt(walk.codeEnds)} for their reconstructions). 5-NN accuracy of the 2-D maps of 1,000 test images: autoencoder ${fmt(map.aeKnn)}, PCA ${fmt(map.pcaKnn)} (PCA’s plane keeps ${fmt(100 * map.pcaExplained)}% of the variance).`;
}
