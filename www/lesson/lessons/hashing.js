// Lecture 5: semantic hashing (Salakhutdinov & Hinton 2009). Noise added
// before a sigmoid code while training pushes each code unit to 0 or 1, so
// an image becomes 32 bits (4 bytes), and similar images are found by
// counting the bits that differ. With no noise the same code stays smooth,
// and cutting it at ½ throws away what it held.
import { chart, fmt, grid, readout, SIDE_COLORS } from './figures.js';

export const claim =
  'An autoencoder can describe each image by a few bits. Add random noise just before the code’s sigmoid while it trains: to be heard through the noise, each code unit learns to sit at 0 or 1, so the code can be cut at ½ into 32 bits, 4 bytes an image. Images are then found by how few bits differ (Hamming distance). Judged by how well those bits rank test images of the query’s class (mAP over the top 1,000 of 9,000), which neither model was trained for. The control (the neutral link) takes the noise away.';
export const look = 'Each model’s 32 bits for your input (· marks a unit still between 0 and 1, so its bit is a coin toss), the test images with the fewest differing bits, and at the end each code’s precision against recall beside pixels and ITQ.';
export const chunk = 25;

let text, bitsText, neighbourViews, prChart;

export async function setup(ctx) {
  bitsText = readout(ctx, 'hashing-bits');
  neighbourViews = ctx.sides.map((s) => grid(ctx, { title: `${s.label}: test images whose bits differ least from your input’s`, testid: `hamming-${s.key}` }, { cols: 8, gap: 2, placeholder: 'neighbours' }));
  text = readout(ctx, 'hashing-readout');
  prChart = chart(ctx, {
    title: 'Precision against recall: the top k of each ranking of 9,000 test images, k from 1 to all, for 1,000 queries',
    testid: 'hashing-pr',
    caption: 'Higher is better. ITQ (Gong & Lazebnik 2011) is 32 bits too, from the pixels by PCA and a learnt rotation, with no training on labels or reconstruction.',
  });
}

/**
 * One curve from a side's figures: [recall, precision] at each cut k the core
 * measured (`{prefix}recall@k`, src/claims/hashing.rs), in order of k.
 */
export function curve(f, prefix = '') {
  const cuts = Object.keys(f)
    .map((name) => name.startsWith(prefix) && /^recall@(\d+)$/.exec(name.slice(prefix.length))?.[1])
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
  return cuts.map((k) => [f[`${prefix}recall@${k}`], f[`${prefix}precision@${k}`]]).filter(([r, p]) => Number.isFinite(r) && Number.isFinite(p));
}

/** A code as bits, in groups of 8: 1 above 0.9, 0 below 0.1, · between. */
export function bitString(code) {
  const marks = Array.from(code, (c) => (c > 0.9 ? '1' : c < 0.1 ? '0' : '·'));
  const groups = [];
  for (let i = 0; i < marks.length; i += 8) groups.push(marks.slice(i, i + 8).join(''));
  return groups.join(' ');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const input = ctx.input ?? ctx.testImages(1);
  const [codes, found] = await Promise.all([ctx.cmp.all({ type: 'reconstruct', pixels: input }), ctx.cmp.all({ type: 'neighbours', pixels: input, k: 8, bits: true })]);
  bitsText.textContent = ctx.sides.map((s, i) => `${s.label}: ${bitString(codes[i].code)}`).join('. ') + '.';
  found.forEach((m, i) => neighbourViews[i].update({ pixels: m.pixels, n: 8 }));
}

export async function show(ctx, figures) {
  const [bits, smooth] = figures;
  text.textContent =
    `Share of code values within 0.1 of 0 or 1: ${fmt(bits.saturated)} with noise, ${fmt(smooth.saturated)} without. ` +
    `mAP of the top 1,000 by differing bits: ${fmt(bits.map)} with noise, ${fmt(smooth.map)} without; by pixel distance (3,136 bytes an image): ${fmt(bits.pixels)}; by ITQ’s 32 bits: ${fmt(bits.itq)}.`;
  prChart.update({
    xLabel: 'recall',
    label: `Precision against recall. mAP of the top 1,000: noisy bits ${fmt(bits.map)}, smooth code cut ${fmt(smooth.map)}, pixels ${fmt(bits.pixels)}, ITQ ${fmt(bits.itq)}.`,
    series: [
      { label: ctx.sides[0].label, color: SIDE_COLORS[0], points: curve(bits), dots: true },
      { label: ctx.sides[1].label, color: SIDE_COLORS[1], points: curve(smooth), dots: true },
      { label: 'Pixels (3,136 bytes)', color: SIDE_COLORS[2], points: curve(bits, 'pixels '), dash: [5, 4] },
      { label: 'ITQ, 32 bits', color: '#888', points: curve(bits, 'itq '), dash: [2, 3] },
    ],
  });
}
