// A line chart of loss curves on a canvas, sized to its CSS box.
// update({series: [{label, color, points: [[x, y], …], dash?, dots?}], xLabel})

import * as surface from './surface.js';

export function create(canvas) {
  return surface.create(canvas, (ctx, w, h, data) => {
    const series = (data?.series ?? []).filter((s) => s.points.length > 0);
    const pad = { l: 44, r: 8, t: 22, b: 24 };
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    if (series.length === 0) {
      ctx.fillStyle = '#667';
      ctx.fillText('No training yet: press ▶ or Step.', pad.l, h / 2);
      return;
    }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const s of series) {
      for (const [x, y] of s.points) {
        if (!Number.isFinite(y)) continue;
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
    if (!(y1 >= y0)) return;
    if (x1 === x0) x1 = x0 + 1;
    const yt = niceTicks(Math.min(0, y0) === 0 && y0 < 0.2 * y1 ? 0 : y0, y1, 4);
    const ya = yt[0], yb = yt[yt.length - 1];
    const X = (x) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
    const Y = (y) => h - pad.b - ((y - ya) / (yb - ya || 1)) * (h - pad.t - pad.b);

    ctx.strokeStyle = '#e3e5ea';
    ctx.fillStyle = '#556';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    for (const t of yt) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Math.round(Y(t)) + 0.5);
      ctx.lineTo(w - pad.r, Math.round(Y(t)) + 0.5);
      ctx.stroke();
      ctx.fillText(fmt(t), pad.l - 4, Y(t));
    }
    ctx.textAlign = 'left';
    ctx.fillText(fmt(x0), pad.l, h - pad.b + 12);
    ctx.textAlign = 'right';
    ctx.fillText(`${fmt(x1)} ${data.xLabel ?? ''}`, w - pad.r, h - pad.b + 12);

    for (const s of series) {
      ctx.strokeStyle = ctx.fillStyle = s.color;
      ctx.lineWidth = s.width ?? 1.5;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      let pen = false;
      for (const [x, y] of s.points) {
        if (!Number.isFinite(y)) { pen = false; continue; }
        pen ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y));
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (s.dots) {
        for (const [x, y] of s.points) {
          if (Number.isFinite(y)) ctx.fillRect(X(x) - 2, Y(y) - 2, 4, 4);
        }
      }
    }

    // Legend along the top.
    ctx.textAlign = 'left';
    let lx = pad.l;
    for (const s of series) {
      ctx.fillStyle = s.color;
      ctx.fillRect(lx, 7, 12, 3);
      ctx.fillStyle = '#334';
      ctx.fillText(s.label, lx + 16, 9);
      lx += 24 + ctx.measureText(s.label).width;
    }
  });
}

function niceTicks(lo, hi, count) {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 0.999; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

function fmt(x) {
  const a = Math.abs(x);
  if (a >= 1e4) return (x / 1e3).toFixed(0) + 'k';
  if (a >= 100 || x === 0) return x.toFixed(0);
  if (a >= 1) return x.toFixed(1);
  return x.toPrecision(2);
}
