// What the lesson modules share: small statistics, number formats, and a
// labelled canvas for a lesson's own views.
import * as gridView from '../../views/grid.js';
import * as barsView from '../../views/bars.js';
import * as chartView from '../../views/chart.js';
import { COLORS } from '../../views/latent-plot.js';

export const PIXELS = 784;
/** One colour per side, the same in every chart and caption. */
export const SIDE_COLORS = [COLORS[0], COLORS[3], COLORS[2]];

export const mean = (a) => (a.length ? Array.from(a).reduce((s, x) => s + x, 0) / a.length : NaN);
export const fmt = (x, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toLocaleString('en', { maximumSignificantDigits: digits }) : String(x));
export const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** A titled figure in the lesson's panel holding one canvas; returns the canvas. */
export function figure(ctx, { title, caption, testid, kind = 'strip', label }) {
  const { el } = ctx;
  const canvas = el('canvas', { class: kind, width: '28', height: '28', 'data-testid': testid, role: 'img', 'aria-label': label ?? title });
  ctx.panel.append(el('figure', { class: 'lesson-fig' }, el('h3', { text: title }), canvas, caption ? el('figcaption', { class: 'caption', text: caption }) : null));
  return canvas;
}

export function grid(ctx, opts, gridOpts) {
  return gridView.create(figure(ctx, opts), gridOpts);
}

export function bars(ctx, opts) {
  return barsView.create(figure(ctx, { ...opts, kind: 'bars' }));
}

export function chart(ctx, opts) {
  return chartView.create(figure(ctx, { ...opts, kind: 'chart' }));
}

/** A paragraph of figures in the panel, rewritten as they change. */
export function readout(ctx, testid) {
  const p = ctx.el('p', { class: 'readout', 'data-testid': testid, 'aria-live': 'polite' });
  ctx.panel.append(p);
  return p;
}
