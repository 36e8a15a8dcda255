// Lecture 5: generation, and GAN+VAE (Larsen et al. 2016). The same VAE
// twice, one with a discriminator on images whose features measure its
// reconstruction. The verdict is the core's (src/claims/generation.rs):
// how grey the samples' pixels are, and what a classifier that is no part
// of either model reads in them. This draws the samples side by side.
import { grid, pct, fmt, readout } from './figures.js';

export const claim =
  'A VAE rebuilds pixels, and where it is unsure it averages, so its samples are blurred: grey where a real digit is black or white. VAE-GAN (Larsen et al. 2016) adds a discriminator that tells real images from decoded ones, measures the reconstruction in the discriminator’s features rather than in pixels, and has the decoder try to fool it. Both models here are the same VAE from the same seed and batches; only the discriminator differs. Judged by what neither model optimises: the share of grey pixels (between 0.15 and 0.85) in samples from N(0, I), and what a classifier (784-128-10), no part of either, reads in them. The control (the neutral link) makes the VAE-GAN a plain VAE.';
export const look = 'Each model’s reconstructions and samples; below, the same codes from N(0, I) decoded by each model, then each sentence’s figure. Look closely at the VAE-GAN’s strokes: less grey, and at this length often speckled.';
export const views = ['recon', 'samples'];
export const chunk = 25;

let shown, text;

export async function setup(ctx) {
  shown = ctx.sides.map((s) => grid(ctx, { title: `${s.label}, z ~ N(0, I)`, testid: `generated-${s.key}` }, { cols: 16, rows: 2, gap: 2, placeholder: 'samples from N(0, I)' }));
  text = readout(ctx, 'generation-readout');
}

export async function show(ctx, figures) {
  const drawn = await ctx.cmp.all({ type: 'probe', what: 'judge', n: 32, seed: 9, threshold: 0.9, sampler: 'standard' });
  drawn.forEach((d, i) => shown[i].update({ pixels: d.samples, n: d.samples.length / 784 }));
  const [vae, gan] = figures;
  text.textContent =
    `Grey pixels in 500 samples: VAE ${pct(vae.grey)}, VAE-GAN ${pct(gan.grey)} (${fmt(gan.grey / vae.grey)} of the VAE’s; real test digits 7.2%). ` +
    `Pixels above ½: VAE ${pct(vae.ink)}, VAE-GAN ${pct(gan.ink)} (real digits 13.4%). ` +
    `Read with probability above 0.9: VAE ${pct(vae.confident)}, VAE-GAN ${pct(gan.confident)}. ` +
    `The digit VAE-GAN draws most often: ${pct(gan.largestClass)} of its samples, the rarest ${pct(gan.smallestClass)}.`;
}
