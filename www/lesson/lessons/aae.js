// Lecture 4: the adversarial autoencoder (Makhzani et al. 2015). A
// discriminator on the codes learns to tell them from samples of a prior of
// our choosing, and the encoder learns to fool it, so the codes take the
// prior's shape, whatever shape that is.
import { fmt, readout } from './figures.js';

export const claim =
  'An adversarial autoencoder can give its codes a distribution we choose: a discriminator learns to tell codes from draws of the prior, and the encoder learns to fool it. It is judged here not by that discriminator (the encoder is trained to fool it) but by the MMD² between test codes and prior draws, and by how many codes fall in their own label’s part, each beside a plain autoencoder trained on the same batches.';
export const look = 'The latent plots: the grey cloud is the prior, the coloured dots the test codes; the plain autoencoder’s codes follow no prior. Below, each model’s figures.';
export const views = ['latent'];
export const chunk = 25;

let text;

export async function setup(ctx) {
  text = readout(ctx, 'aae-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  // The grey prior cloud under each side's codes.
  await Promise.all(
    ctx.sides.map(async (s) => {
      const hasPrior = s.state.model === 'aae';
      const [lat, prior] = await Promise.all([ctx.cmp.ask(s, { type: 'latent', limit: 1000 }), hasPrior ? ctx.cmp.ask(s, { type: 'prior', n: 1500, seed: 2 }) : null]);
      s.views.latent.update({ xy: lat.xy, labels: lat.labels, names: [...'0123456789'], axes: ['z₁', 'z₂'], mark: null, picked: null, prior: prior?.xy ?? null });
    }),
  );
}

export async function show(ctx, figures) {
  const part = (f, name) => (f[`parts_${name}`] === undefined ? '' : `, ${fmt(f[`parts_${name}`])} of codes in their own label’s part`);
  const names = ['gaussian', 'mog10', 'roll'];
  text.textContent = ctx.sides
    .map((s, i) => {
      const f = figures[i];
      const own = names.filter((n) => f[`mmd_${n}`] !== undefined);
      return `${s.label}: ${own.map((n) => `MMD² to ${n} ${fmt(f[`mmd_${n}`])}${part(f, n)}`).join('; ')}`;
    })
    .join(' · ');
}
