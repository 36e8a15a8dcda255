// Lecture 4: the KL term's weight β (Higgins et al. 2017). The VAE's loss is
// reconstruction + β·KL(q(z|x) ‖ N(0, I)). A larger β buys a code closer to
// the prior with reconstruction: more dimensions collapse to the prior
// (KL ≈ 0, the code ignores the input there) and images come back blurrier.
// At this length β = 4 collapses no dimension yet; β = 10 collapses most.
import { bars, fmt, readout } from './figures.js';

export const claim =
  'The VAE’s loss weighs its KL term by β. With a larger β the model pays more for every nat of information its code carries. The claim is measured at β = 10 against the plain VAE (β = 1): at this length β = 4 collapses no dimension yet, so what holds at 10 is not said of every β.';
export const look = 'The KL of each latent dimension on the test set (a grey bar is a collapsed dimension), and the reconstruction and KL terms of each model.';
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

