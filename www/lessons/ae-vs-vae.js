// Lecture 4: why the VAE generates and the AE does not. A plain AE's codes
// fall wherever training put them, with gaps between the classes; a Gaussian
// fitted to them puts much of its mass in those gaps, which decode to
// nothing. The VAE's KL term pulls its codes to N(0, I), so samples of that
// prior land where codes are.
import { grid, pct, readout } from './kit.js';

const NET = 'hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'A variational autoencoder can generate and a plain one cannot: the VAE’s KL term makes its codes fill N(0, I), so codes drawn from N(0, I) decode to digits. A plain autoencoder’s codes follow no known distribution; drawn from a Gaussian fitted to them, many land between the classes and decode to smudges. A classifier trained on the same data reads more of the VAE’s samples with confidence.';
export const look = 'Each model’s latent plot and samples; below, the share of 500 samples that a classifier (784-128-10, trained here on the training set) reads with probability above 0.9, and which digits it sees.';
export const sides = [
  { key: 'ae', label: 'Autoencoder (samples: a Gaussian fitted to its codes)', hash: `model=ae&${NET}` },
  { key: 'vae', label: 'VAE (samples: z ~ N(0, I))', hash: `model=vae&${NET}` },
];
export const views = ['recon', 'latent', 'samples'];
export const batches = 600;
export const chunk = 25;

const THRESHOLD = 0.9;
let views2, text;

export async function setup(ctx) {
  views2 = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: samples the classifier read`, testid: `judged-${s.key}` }, { cols: 16, rows: 2, gap: 2, placeholder: 'judged samples' }));
  text = readout(ctx, 'judge-readout');
}

export async function measure(ctx) {
  ctx.status?.('Training the classifier that judges the samples…');
  const judged = await ctx.cmp.probeAll('judge', { n: 500, seed: 9, threshold: THRESHOLD });
  judged.forEach((j, i) => views2[i].update({ pixels: j.samples, n: j.samples.length / 784 }));
  const [ae, vae] = judged.map((j) => ({ confident: j.confident, classes: Array.from(j.classes) }));
  const spread = (c) => c.filter((x) => x >= 0.02).length;
  text.textContent = ctx.sides.map((s, i) => `${s.label}: ${pct(judged[i].confident)} confident`).join(' · ');
  return {
    result: { aeConfident: ae.confident, vaeConfident: vae.confident, aeClasses: ae.classes, vaeClasses: vae.classes, threshold: THRESHOLD, samples: 500 },
    holds: vae.confident > ae.confident,
    text: `a classifier reads ${pct(vae.confident)} of the VAE’s samples and ${pct(ae.confident)} of the autoencoder’s with probability above ${THRESHOLD}; ${spread(vae.classes)} and ${spread(ae.classes)} of the ten digits make up at least 2% of each model’s samples`,
  };
}
