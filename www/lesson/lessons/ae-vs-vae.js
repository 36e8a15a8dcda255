// Lecture 4: what the VAE adds to an autoencoder. Both can be sampled once a
// density is fitted to their codes; the VAE's prior N(0, I) is known before
// training. The verdict is the core's (src/claims/ae_vs_vae.rs), with a
// classifier that is no part of either model; this draws the views.
import { grid, pct, fmt, readout } from './figures.js';

export const claim =
  'A plain autoencoder can generate too, once a density is fitted to its codes after training (below: a Gaussian fitted to its training codes). What the VAE adds is a prior known before training: its KL term pulls the codes to N(0, I), so codes drawn from N(0, I), with nothing fitted afterwards, decode to digits. It also gives a bound on the likelihood, −ELBO, its test loss. Samples are read by a classifier (784-128-10) trained on the training set, no part of either model.';
export const look = 'Each model’s latent plot and samples; below, samples from N(0, I) for each model, and each sentence’s figure: how many samples the classifier reads with probability above 0.9.';
export const views = ['recon', 'latent', 'samples'];
export const chunk = 25;

let shown, text;

export async function setup(ctx) {
  shown = ctx.sides.map((s) => grid(ctx, { title: `${s.label}, z ~ N(0, I)`, testid: `judged-${s.key}` }, { cols: 16, rows: 2, gap: 2, placeholder: 'samples from N(0, I)' }));
  text = readout(ctx, 'judge-readout');
}

export async function show(ctx, figures) {
  const drawn = await ctx.cmp.all({ type: 'probe', what: 'judge', n: 32, seed: 9, threshold: 0.9, sampler: 'standard' });
  drawn.forEach((d, i) => shown[i].update({ pixels: d.samples, n: d.samples.length / 784 }));
  const [ae, vae] = figures;
  text.textContent = `Read with confidence, from N(0, I): autoencoder ${pct(ae.confidentPrior)}, VAE ${pct(vae.confidentPrior)}; from a Gaussian fitted to the training codes: autoencoder ${pct(ae.confidentFitted)}, VAE ${pct(vae.confidentFitted)}. The VAE’s test −ELBO, a bound on −log p(x): ${fmt(vae.testLoss, 4)} nats per image.`;
}
