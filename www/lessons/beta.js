// Lecture 4: the KL term's weight β (Higgins et al. 2017). The VAE's loss is
// reconstruction + β·KL(q(z|x) ‖ N(0, I)). A larger β buys a code closer to
// the prior with reconstruction: more dimensions collapse to the prior
// (KL ≈ 0, the code ignores the input there) and images come back blurrier.
// At this length β = 4 collapses no dimension yet; β = 10 collapses most.
import { bars, fmt, readout } from './kit.js';

const NET = 'model=vae&hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'The VAE’s loss weighs its KL term by β. With a larger β the model pays more for every nat of information its code carries: it keeps fewer latent dimensions (the others collapse to the prior, KL ≈ 0) and its reconstructions get worse, in exchange for a smaller KL.';
export const look = 'The KL of each latent dimension on the test set (a grey bar is a collapsed dimension), and the reconstruction and KL terms of each model.';
export const sides = [
  { key: 'b1', label: 'β = 1', hash: `${NET}&beta=1` },
  { key: 'b10', label: 'β = 10', hash: `${NET}&beta=10` },
];
export const batches = 300;
export const chunk = 25;
export const chartTitle = 'Training loss (reconstruction + β·KL, nats per image)';

/** A dimension whose test KL is below this many nats carries (almost) nothing. */
const COLLAPSED = 0.1;
let klBars, text, found;

export async function setup(ctx) {
  refreshes = 0;
  klBars = ctx.sides.map((s) => bars(ctx, { title: `${s.label}: KL per latent dimension (test set)`, testid: `kl-${s.key}` }));
  text = readout(ctx, 'beta-readout');
}

/** Each refresh evaluates both models on the whole test set: every few of the page's refreshes is enough. */
const EVALUATE_EVERY = 2;
let refreshes = 0;

export async function refresh(ctx, all) {
  if (!all || refreshes++ % EVALUATE_EVERY !== 0) return;
  const evals = await ctx.cmp.probeAll('evaluate');
  found = evals.map((e) => ({ recon: e.recon, kl: e.kl, klPerDim: Array.from(e.klPerDim), active: Array.from(e.klPerDim).filter((k) => k >= COLLAPSED).length }));
  klBars.forEach((b, i) => b.update({ values: found[i].klPerDim, unit: 'nats' }));
  text.textContent = ctx.sides.map((s, i) => `${s.label}: reconstruction ${fmt(found[i].recon, 4)}, KL ${fmt(found[i].kl)}, ${found[i].active} of ${found[i].klPerDim.length} dimensions in use`).join(' · ');
}

export async function measure(ctx) {
  refreshes = 0;
  await refresh(ctx, true);
  const [one, more] = found;
  return {
    result: { recon: [one.recon, more.recon], kl: [one.kl, more.kl], active: [one.active, more.active], collapsedBelow: COLLAPSED },
    holds: more.kl < one.kl && more.recon > one.recon && more.active < one.active,
    text: `with β = 1 the test reconstruction term is ${fmt(one.recon, 4)} nats and the KL ${fmt(one.kl)}, with ${one.active} of ${one.klPerDim.length} dimensions above ${COLLAPSED} nats; with ${ctx.sides[1].label}, ${fmt(more.recon, 4)}, ${fmt(more.kl)} and ${more.active}`,
  };
}
