// A line chart of loss curves on a canvas, sized to its CSS box.
// update({series: [{label, color, points: [[x, y], …], dash?, dots?, width?, axis?}], xLabel, label?})
//   axis: 'left' (default) or 'right', a scale of its own at the right for a
//   term far smaller than the loss (a VAE's KL, a CAE's penalty);
//   label: the canvas's accessible name; without it the chart describes its
//   latest values after the name the page gave the canvas.
//
// Each y scale fits its curves, not 0: a loss falling from 168 to 158 is most
// of a run's story and must not look flat, neither by starting at 0 nor by
// sharing a scale with a KL of 10. The margins are as wide as the widest
// tick label, so no magnitude (1e12, 1e-7) is clipped.

import * as surface from './surface.js';

const TICKS = 5; // y ticks wanted; niceTicks gives the nearest count it can at round numbers
// Values this large are divergence, not a curve: drawn as gaps, so the axis
// arithmetic (hi − lo, steps) stays finite.
const HUGE = 1e300;
// The narrowest y range shown, relative to the values' size: a loss crosses
// the wasm boundary as f32 (7 digits), so a finer range would show noise,
// and tick steps near the doubles' spacing would collapse into one.
const MIN_RELATIVE_SPAN = 1e-6;

export function create(canvas) {
  canvas.setAttribute('role', 'img');
  const name = canvas.getAttribute('aria-label') || 'Loss chart';
  const view = surface.create(canvas, paint);
  return {
    update(data) {
      canvas.setAttribute('aria-label', data?.label ?? describe(name, data));
      view.update(data);
    },
  };
}

function paint(ctx, w, h, data) {
  const series = (data?.series ?? []).filter((s) => s.points.length > 0);
  const pad = { l: 8, r: 8, t: 22, b: 24 };
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  if (series.length === 0) {
    ctx.fillStyle = '#667';
    ctx.fillText('No training yet: press ▶ or Step.', pad.l, h / 2);
    return;
  }
  let x0 = Infinity, x1 = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) if (plottable(y)) (x0 = Math.min(x0, x)), (x1 = Math.max(x1, x));
  }
  // A right-hand scale only beside a left-hand one.
  const onRight = (s) => s.axis === 'right' && series.some((o) => o.axis !== 'right');
  const left = axis(ctx, series.filter((s) => !onRight(s)));
  const right = axis(ctx, series.filter(onRight));
  if (!left) return;
  pad.l = left.width + 10;
  if (right) pad.r = right.width + 10;
  const legend = legendLayout(ctx, series.map((s) => ({ ...s, label: onRight(s) ? `${s.label} (right scale)` : s.label })), pad.l, w - pad.r);
  pad.t = legend[legend.length - 1].y + 13;
  const X = (x) => pad.l + (x1 > x0 ? ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r) : 0);
  const Y = (a, y) => h - pad.b - ((y - a.lo) / (a.hi - a.lo)) * (h - pad.t - pad.b);

  ctx.strokeStyle = '#e3e5ea';
  ctx.fillStyle = '#556';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  left.ticks.forEach((t, i) => {
    const y = Y(left, t);
    ctx.beginPath();
    ctx.moveTo(pad.l, Math.round(y) + 0.5);
    ctx.lineTo(w - pad.r, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.fillText(left.labels[i], pad.l - 4, y);
  });
  if (right) {
    // In its curve's colour, with no grid lines of its own: which scale is whose must be plain.
    ctx.fillStyle = right.series[0].color;
    ctx.textAlign = 'left';
    right.ticks.forEach((t, i) => ctx.fillText(right.labels[i], w - pad.r + 4, Y(right, t)));
    ctx.fillStyle = '#556';
  }
  // The x-axis: its first and last batch. One evaluation (at batch 0) has
  // one x, and the axis says just that rather than inventing a range.
  const unit = data.xLabel ? ` ${data.xLabel}` : '';
  ctx.textAlign = 'left';
  if (x1 > x0) {
    ctx.fillText(fmtX(x0), pad.l, h - pad.b + 12);
    ctx.textAlign = 'right';
    ctx.fillText(fmtX(x1) + unit, w - pad.r, h - pad.b + 12);
  } else {
    ctx.fillText(fmtX(x0) + unit, pad.l, h - pad.b + 12);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(pad.l, pad.t - 4, w - pad.l - pad.r, h - pad.t - pad.b + 8);
  ctx.clip(); // dots have a size: they stay off the labels
  for (const s of series) {
    const a = onRight(s) ? right : left;
    ctx.strokeStyle = ctx.fillStyle = s.color;
    ctx.lineWidth = s.width ?? 1.5;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    for (const [x, y] of s.points) {
      if (!plottable(y)) { pen = false; continue; }
      pen ? ctx.lineTo(X(x), Y(a, y)) : ctx.moveTo(X(x), Y(a, y));
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.dots) {
      for (const [x, y] of s.points) {
        if (plottable(y)) ctx.fillRect(X(x) - 2, Y(a, y) - 2, 4, 4);
      }
    }
  }
  ctx.restore();

  ctx.textAlign = 'left';
  for (const { s, x, y } of legend) {
    ctx.fillStyle = s.color;
    ctx.fillRect(x, y - 2, 12, 3);
    ctx.fillStyle = '#334';
    ctx.fillText(s.label, x + 16, y);
  }
}

/** One y scale fitted to these series: its range, ticks, their labels and the widest label's width; null without data. */
function axis(ctx, series) {
  let y0 = Infinity, y1 = -Infinity;
  for (const s of series) {
    for (const [, y] of s.points) if (plottable(y)) (y0 = Math.min(y0, y)), (y1 = Math.max(y1, y));
  }
  if (!(y1 >= y0)) return null;
  const [lo, hi] = yRange(y0, y1);
  const ticks = niceTicks(lo, hi, TICKS);
  const labels = ticks.map(tickFormat(ticks));
  const width = Math.ceil(Math.max(0, ...labels.map((l) => ctx.measureText(l).width)));
  return { series, lo, hi, ticks, labels, width };
}

const plottable = (y) => Math.abs(y) < HUGE; // false for NaN and ±Infinity too

/** Where each legend item goes: a row along the top from `left`, wrapping before `right`. */
function legendLayout(ctx, series, left, right) {
  const out = [];
  let x = left, y = 9;
  for (const s of series) {
    const item = 24 + ctx.measureText(s.label).width;
    if (x > left && x + item - 8 > right) (x = left), (y += 14);
    out.push({ s, x, y });
    x += item;
  }
  return out;
}

/** The y range for data in [y0, y1]: a margin of 8 % each side, never narrower than the values' precision. */
export function yRange(y0, y1) {
  const size = Math.max(Math.abs(y0), Math.abs(y1));
  const margin = (y1 - y0) * 0.08;
  let lo = y0 - margin, hi = y1 + margin;
  const least = Math.max(size * MIN_RELATIVE_SPAN, 1e-12);
  if (hi - lo < least) {
    // A flat line: ±5 % of its value (or the least span), so it sits mid-chart.
    const half = Math.max(size * 0.05, least / 2);
    const mid = (y0 + y1) / 2;
    lo = mid - half;
    hi = mid + half;
  }
  return [lo, hi];
}

/**
 * Round-number ticks (1, 2 or 5 × 10^k apart) inside [lo, hi], the spacing
 * whose count comes nearest `count` (at least two ticks). Each tick is k·step,
 * not a running sum, and the loop is bounded by its output: near 2^53 adding
 * a small step to a sum changes nothing, and a running sum hung the page.
 */
export function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const mag = 10 ** Math.floor(Math.log10(span / count));
  const many = (s) => Math.floor(hi / s) - Math.ceil(lo / s) + 1;
  let step = 10 * mag;
  for (const s of [0.5, 1, 2, 5, 10, 20].map((m) => m * mag)) {
    if (many(s) >= 2 && Math.abs(many(s) - count) < Math.abs(many(step) - count)) step = s;
  }
  const ticks = [];
  for (let i = 0, k = Math.ceil(lo / step); i <= 2 * count + 2; i++, k++) {
    const t = +(k * step).toPrecision(12);
    if (t > hi) break;
    if (t >= lo && t !== ticks[ticks.length - 1]) ticks.push(t);
  }
  return ticks;
}

/** A formatter for these ticks: as many digits as their spacing needs, and no more. */
export function tickFormat(ticks) {
  if (ticks.length === 0) return String;
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(ticks[0]) || 1;
  const big = Math.max(...ticks.map(Math.abs));
  const exp10 = (v) => Math.floor(Math.log10(v) + 1e-9);
  if (big >= 1e6 || (big > 0 && big < 1e-3)) {
    const digits = Math.min(15, Math.max(0, exp10(big) - exp10(step)));
    return (t) => (t === 0 ? '0' : t.toExponential(digits).replace('e+', 'e'));
  }
  const decimals = Math.min(10, Math.max(0, -exp10(step)));
  return (t) => grouped(t.toFixed(decimals));
}

function fmtX(x) {
  return Number.isInteger(x) ? grouped(String(x)) : tickFormat([x])(x);
}

/** 12345.6 -> "12,345.6": commas in the whole part only. */
function grouped(s) {
  const [whole, frac] = s.split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

/** The accessible name: what the chart is, then each curve's latest value. */
function describe(name, data) {
  const series = (data?.series ?? []).filter((s) => s.points.length > 0);
  if (series.length === 0) return `${name}: no data yet.`;
  const unit = data.xLabel ? ` ${data.xLabel}` : '';
  const latest = series.map((s) => {
    const [x, y] = s.points[s.points.length - 1];
    return `${s.label} ${Number.isFinite(y) ? Number(y.toPrecision(4)) : 'not a number'} at ${fmtX(x)}${unit}`;
  });
  return `${name}. Latest: ${latest.join('; ')}.`;
}
