// Lecture 4: the adversarial autoencoder (Makhzani et al. 2015). A
// discriminator on the codes learns to tell them from samples of a prior of
// our choosing, and the encoder learns to fool it, so the codes take the
// prior's shape, whatever shape that is.
import { fmt, readout } from './kit.js';

const NET = 'model=aae&hidden=128&latent=2&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&disc_lr=0.001&batch=100&seed=1&aae_labels=1';
export const claim =
  'An adversarial autoencoder can give its codes any distribution we can sample: a discriminator learns to tell codes from draws of the prior, and the encoder learns to fool it. Told the labels, each digit takes its own part of the prior. When the codes match, the discriminator is right about half the time.';
export const look = 'The latent plots: the grey cloud is the prior, the coloured dots the test codes. Below, how often each discriminator tells the test codes from prior samples (0.5: it cannot).';
export const sides = [
  { key: 'gaussian', label: 'Prior N(0, I)', hash: `${NET}&prior=gaussian&aae_labels=0` },
  { key: 'mog10', label: 'Mixture of ten Gaussians, one per digit', hash: `${NET}&prior=mog10` },
  { key: 'roll', label: 'Swiss roll, one segment per digit', hash: `${NET}&prior=swiss_roll` },
];
export const views = ['latent'];
export const batches = 400;
export const chunk = 25;

let text, found;

export async function setup(ctx) {
  text = readout(ctx, 'aae-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  // The grey prior cloud under each side's codes.
  await Promise.all(
    ctx.sides.map(async (s) => {
      const [lat, prior] = await Promise.all([ctx.cmp.ask(s, { type: 'latent', limit: 1000 }), ctx.cmp.ask(s, { type: 'prior', n: 1500, seed: 2 })]);
      s.views.latent.update({ xy: lat.xy, labels: lat.labels, names: [...'0123456789'], axes: ['z₁', 'z₂'], mark: null, picked: null, prior: prior.xy });
    }),
  );
}

export async function measure(ctx) {
  await refresh(ctx, true);
  const evals = await ctx.cmp.probeAll('evaluate');
  found = evals.map((e) => ({ accuracy: e.disc_accuracy, recon: e.recon }));
  text.textContent = ctx.sides.map((s, i) => `${s.label}: discriminator right ${fmt(found[i].accuracy)} of the time, reconstruction ${fmt(found[i].recon, 4)} nats`).join(' · ');
  const fooled = found.filter((f) => f.accuracy <= 0.7).length;
  return {
    result: { discAccuracy: found.map((f) => f.accuracy), recon: found.map((f) => f.recon), fooled },
    holds: fooled === found.length,
    text: `the discriminators tell test codes from prior samples ${found.map((f) => fmt(f.accuracy)).join(', ')} of the time (Gaussian, mixture, swiss roll; 0.5 means the codes pass for the prior); ${fooled} of ${found.length} are at 0.7 or below`,
  };
}
