// Lecture 4: why the VAE generates and the AE does not. The VAE's KL term
// pulls its codes to N(0, I), so draws of N(0, I) land where codes are and
// decode to digits. A plain AE's codes fall wherever training put them:
// draws of N(0, I) land mostly off them. A Gaussian fitted to the AE's codes
// after training (Ghosh et al. 2020) is the fair second chance, and we
// measure it too.
import { grid, pct, readout } from './kit.js';

const NET = 'hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'A variational autoencoder can generate and a plain one cannot: the VAE’s KL term makes its codes fill N(0, I), so codes drawn from N(0, I) decode to digits, while the same draws decoded by a plain autoencoder mostly land off its codes. A classifier trained on the same data reads more of the VAE’s samples with confidence. A Gaussian fitted to the autoencoder’s codes after training gives it a second chance, measured too.';
export const look = 'Each model’s latent plot and samples; below, the share of 500 samples that a classifier (784-128-10, trained here on the training set) reads with probability above 0.9: the VAE’s from N(0, I), the autoencoder’s from N(0, I) and from a Gaussian fitted to its codes.';
export const sides = [
  { key: 'ae', label: 'Autoencoder', hash: `model=ae&${NET}` },
  { key: 'vae', label: 'VAE', hash: `model=vae&${NET}` },
];
export const views = ['recon', 'latent', 'samples'];
export const batches = 400;
export const chunk = 25;

const THRESHOLD = 0.9;
const N = 500;
let shown, text;

export async function setup(ctx) {
  shown = [
    grid(ctx, { title: 'VAE, z ~ N(0, I)', testid: 'judged-vae' }, { cols: 16, rows: 2, gap: 2, placeholder: 'judged samples' }),
    grid(ctx, { title: 'Autoencoder, z ~ N(0, I)', testid: 'judged-ae-standard' }, { cols: 16, rows: 2, gap: 2, placeholder: 'judged samples' }),
    grid(ctx, { title: 'Autoencoder, z from a Gaussian fitted to its codes', testid: 'judged-ae-fitted' }, { cols: 16, rows: 2, gap: 2, placeholder: 'judged samples' }),
  ];
  text = readout(ctx, 'judge-readout');
}

export async function measure(ctx) {
  const [ae, vae] = ctx.sides;
  const ask = (side, sampler) => ctx.cmp.probe(side, 'judge', { n: N, seed: 9, threshold: THRESHOLD, sampler });
  // Each worker trains its classifier on first use: the two train at once.
  const [vaeStd, aeStd0] = await Promise.all([ask(vae, 'standard'), ask(ae, 'standard')]);
  const judged = [vaeStd, aeStd0, await ask(ae, 'own')];
  judged.forEach((j, i) => shown[i].update({ pixels: j.samples, n: j.samples.length / 784 }));
  const [v, aeStd, aeFit] = judged.map((j) => j.confident);
  text.textContent = `Read with confidence: VAE ${pct(v)}, autoencoder from N(0, I) ${pct(aeStd)}, autoencoder from its fitted Gaussian ${pct(aeFit)}.`;
  return {
    result: { vaeConfident: v, aeStandardConfident: aeStd, aeFittedConfident: aeFit, vaeClasses: Array.from(judged[0].classes), threshold: THRESHOLD, samples: N },
    holds: v > aeStd,
    text: `a classifier reads ${pct(v)} of the VAE’s samples from N(0, I) with probability above ${THRESHOLD}, ${pct(aeStd)} of the autoencoder’s from N(0, I), and ${pct(aeFit)} of the autoencoder’s from a Gaussian fitted to its codes${aeFit >= v ? ': the fitted Gaussian closes the gap in this run' : ''}`,
  };
}
