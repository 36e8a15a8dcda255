// A small bar chart, one bar per latent dimension (KL per dimension, so a
// collapsed dimension shows as an empty slot). update({values, unit, label?})
// label: the accessible name; without it the chart sums up its bars after
// the name the page gave the canvas.

import * as surface from './surface.js';

const COLLAPSED = 0.05; // of the largest bar: drawn grey, counted as collapsed

export function create(canvas) {
  canvas.setAttribute('role', 'img');
  const name = canvas.getAttribute('aria-label') || 'Bar chart';
  const view = surface.create(canvas, paint);
  return {
    update(data) {
      canvas.setAttribute('aria-label', data?.label ?? describe(name, data));
      view.update(data);
    },
  };
}

function describe(name, data) {
  const v = data?.values;
  if (!v || v.length === 0) return `${name}: no data yet.`;
  const max = Math.max(1e-6, ...v);
  const collapsed = v.filter((x) => x < COLLAPSED * max).length;
  return `${name}: ${v.length} bars, the largest ${max.toFixed(2)}${data.unit ? ` ${data.unit}` : ''}; ${collapsed} near zero.`;
}

function paint(ctx, w, h, data) {
  const v = data?.values;
  if (!v || v.length === 0) return;
  const max = Math.max(1e-6, ...v);
  const pad = { l: 4, r: 4, t: 14, b: 14 };
  const bw = (w - pad.l - pad.r) / v.length;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let i = 0; i < v.length; i++) {
    const bh = (Math.max(0, v[i]) / max) * (h - pad.t - pad.b);
    const x = pad.l + i * bw;
    ctx.fillStyle = v[i] < COLLAPSED * max ? '#c9ccd4' : '#4e6bd8';
    ctx.fillRect(x + bw * 0.15, h - pad.b - bh, Math.max(1, bw * 0.7), Math.max(1, bh));
    if (bw >= 14) {
      ctx.fillStyle = '#556';
      ctx.fillText(String(i + 1), x + bw / 2, h - pad.b + 7);
    }
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = '#556';
  ctx.fillText(`max ${max.toFixed(2)} ${data.unit ?? ''}`, pad.l, 7);
}
