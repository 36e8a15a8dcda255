// Lecture 2: the manifold hypothesis. Images of digits fill a thin, curved
// region of the 784-dimensional pixel space. A straight line between two
// digits in pixel space leaves that region (its midpoint is two faint digits
// on top of each other); the same walk in a trained autoencoder's code space,
// decoded, stays near real digits. And a 2-D map learned by an autoencoder
// keeps the classes apart better than the best linear 2-D map, PCA.
import { PIXELS, SIDE_COLORS, chart, fmt, grid, readout } from './kit.js';

export const claim =
  'Digits occupy a thin, curved manifold in pixel space. Halfway along a straight line between two digits in pixel space is not a digit but two faint ones overlaid, far from every training image; halfway between their codes, decoded, is close to real digits. A nonlinear 2-D map learned by an autoencoder also keeps the classes apart better than PCA, the best linear one.';
export const look = 'The two walks from test image 1 to test image 2, and beside them how far each step is from its nearest training image (of 60,000). Then the two 2-D maps of the test set, and how often a point’s 5 nearest neighbours on the map share its class.';
export const sides = [{ key: 'ae', label: 'Autoencoder with a 2-D code', hash: 'model=ae&hidden=256&latent=2&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.002&batch=100&seed=1' }];
export const views = ['recon', 'latent'];
export const batches = 300;
export const chunk = 25;

const STEPS = 9;
const A = 0; // the test images walked between (a 7 and a 2 in MNIST)
const B = 1;
let pixelWalk, codeWalk, distChart, pcaPlot, text, found;

export async function setup(ctx) {
  pixelWalk = grid(ctx, { title: 'Straight line in pixel space', testid: 'pixel-walk' }, { cols: STEPS, gap: 2 });
  codeWalk = grid(ctx, { title: 'Straight line in code space, decoded', testid: 'code-walk' }, { cols: STEPS, gap: 2 });
  distChart = chart(ctx, { title: 'Distance to the nearest training image along each walk', testid: 'walk-distances', label: 'Distance to the nearest training image along both walks' });
  const { el } = ctx;
  const c = el('canvas', { class: 'plot', 'data-testid': 'pca-map', role: 'img', 'aria-label': 'The test set projected on its first two principal components, coloured by class' });
  const legend = el('ol', { class: 'legend', 'aria-label': 'Classes' });
  ctx.panel.append(el('figure', { class: 'lesson-fig' }, el('h3', { text: 'PCA of the pixels, 2-D (beside: the autoencoder’s 2-D codes)' }), el('div', { class: 'plotwrap' }, c), legend));
  const { create } = await import('../views/latent-plot.js');
  pcaPlot = create(c, { legend });
  text = readout(ctx, 'manifold-readout');
  const m = await ctx.cmp.probe(ctx.sides[0], 'pixel_map', { limit: 1000, k: 5 });
  pcaPlot.update({ xy: m.xy, labels: m.labels, names: [...'0123456789'], axes: ['PC 1', 'PC 2'], mark: null, picked: null });
  found = { pcaKnn: m.accuracy, pcaExplained: m.explained };
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
  const side = ctx.sides[0];
  const a = ctx.images.subarray(A * PIXELS, (A + 1) * PIXELS);
  const b = ctx.images.subarray(B * PIXELS, (B + 1) * PIXELS);
  const line = pixelLine(a, b);
  const walk = await ctx.cmp.ask(side, { type: 'interpolate', a, b, steps: STEPS });
  const [np, nc, knn] = await Promise.all([
    ctx.cmp.probe(side, 'nearest_train', { pixels: line }),
    ctx.cmp.probe(side, 'nearest_train', { pixels: walk.pixels }),
    ctx.cmp.probe(side, 'map_knn', { limit: 1000, k: 5 }),
  ]);
  pixelWalk.update({ pixels: line, n: STEPS });
  codeWalk.update({ pixels: walk.pixels, n: STEPS });
  const t = (i) => i / (STEPS - 1);
  distChart.update({
    series: [
      { label: 'pixel space', color: SIDE_COLORS[1], dots: true, points: Array.from(np.distances, (d, i) => [t(i), d]) },
      { label: 'code space', color: SIDE_COLORS[0], dots: true, points: Array.from(nc.distances, (d, i) => [t(i), d]) },
    ],
    xLabel: 't',
  });
  const mid = (STEPS - 1) / 2;
  found = { ...found, pixelMid: np.distances[mid], codeMid: nc.distances[mid], pixelEnds: (np.distances[0] + np.distances[STEPS - 1]) / 2, aeKnn: knn.accuracy };
  text.textContent = `Midpoint’s distance to the nearest training image: ${fmt(found.pixelMid)} in pixel space, ${fmt(found.codeMid)} in code space. 5-NN accuracy of the 2-D maps (1,000 test images): PCA ${fmt(found.pcaKnn)}, autoencoder ${fmt(found.aeKnn)}.`;
}

export async function measure(ctx) {
  await refresh(ctx, true);
  const f = found;
  return {
    result: f,
    holds: f.pixelMid > f.codeMid && f.aeKnn > f.pcaKnn,
    text: `halfway between two test digits, the pixel-space image is ${fmt(f.pixelMid)} from its nearest training image and the decoded code-space one ${fmt(f.codeMid)}; on the 2-D maps a point’s 5 nearest neighbours give its class ${fmt(f.aeKnn)} of the time for the autoencoder and ${fmt(f.pcaKnn)} for PCA (which keeps ${fmt(100 * f.pcaExplained)}% of the variance)`,
  };
}
