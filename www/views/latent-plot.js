// Scatter plot of latent codes coloured by label, with a legend, the current
// drawing's code (a cross, or the ellipse mean ± 1 std for a VAE) and the last
// picked point. Points are drawn as opaque squares at whole pixels, so each
// class's colour appears exactly on the canvas.
//
// update({xy, labels, names, axes: [x name, y name], mark: {x, y, sx?, sy?}|null, picked: {x, y}|null, label?,
//         prior: Float32Array(2·m)|null, own: {xy: Float32Array(2·k), classes: Uint8Array(k), names}|null})
//   prior: samples of the model's prior (an AAE's), drawn in grey under the
//   codes so the match shows as it forms; the box fits codes and cloud alike.
//   own: the codes of one's own images (the own-data panel), drawn over the
//   codes as white diamonds, each class's name at its diamonds' centre; the
//   box fits them too, so a class far from every digit stays in view.
//   label: what the plot shows, for screen readers (the view adds how to use
//   it); without one it counts the points and gives the axes' ranges.
// Callbacks: onHover({index, x, y, label, clientX, clientY} | null), onPick({x, y, index})
//
// The scale holds still while the pointer is over the plot or the keyboard
// cursor is out: new codes arrive every few seconds while training, and a
// rescale then moves every point under the cursor. Otherwise it changes only
// when the codes leave the box or shrink to well inside it, and then eases
// there over EASE_MS rather than jumping.

const EASE_MS = 300;
const MARGIN = 0.06; // of the codes' range, each side, in a fitted box
const HEADROOM = 0.08; // more room each side on a refit, so a small drift needs none
const SHRINK = 0.55; // refit when the codes span less than this share of the box
const HOW = 'Click or press Enter to decode a point; arrow keys move.';

/** The prior's cloud: hollow squares, lighter than every class colour, so codes stand out on
 *  it and no class (7 is grey) is mistaken for it. */
export const PRIOR_COLOR = '#b4c0d3';

/** One's own images' outline: darker than every class colour and the axes' words. */
export const OWN_COLOR = '#111';

export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function create(canvas, { legend, onHover = () => {}, onPick = () => {} }) {
  const ctx = canvas.getContext('2d');
  const layer = document.createElement('canvas'); // the points, redrawn only when they change
  let data = { xy: null, labels: null, names: [], mark: null, picked: null, prior: null, own: null };
  let drawnPoints = null;
  let drawnPrior = null;
  let view = null; // {x0, x1, y0, y1, w, h, dpr}
  let bounds = { xy: undefined }; // data range of `bounds.xy`, computed once per point set
  let shown = null; // the box on screen, {x0, x1, y0, y1} in data coordinates
  let easing = null; // {from, to, t0} while the box moves
  let hovering = false; // a mouse is over the plot
  let cursor = null; // keyboard cursor in data coordinates
  canvas.setAttribute('role', 'img');
  const legendItems = buildLegend(legend);
  const priorItem = legend ? priorLegend(legend) : null;
  const ownItem = legend ? ownLegend(legend) : null;

  // The CSS size, as the observer reports it: reading clientWidth while
  // drawing would force a layout after every DOM update of the page.
  let cssW = 0, cssH = 0;
  new ResizeObserver(([e]) => {
    cssW = e.contentRect.width;
    cssH = e.contentRect.height;
    drawnPoints = null;
    draw();
  }).observe(canvas);

  function fit() {
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const W = Math.max(1, Math.round(cssW * dpr));
    const H = Math.max(1, Math.round(cssH * dpr));
    if (canvas.width !== W || canvas.height !== H) {
      canvas.width = layer.width = W;
      canvas.height = layer.height = H;
      drawnPoints = null;
    }
    if (bounds.xy !== data.xy || bounds.prior !== data.prior || bounds.own !== data.own) {
      bounds = { ...cover(cover(range(data.xy), data.xy ? data.prior : null), data.xy ? data.own?.xy : null), prior: data.prior, own: data.own };
      settle();
    }
    view = { ...shown, w: W, h: H, dpr };
  }

  /** Decides where the box goes after new codes or the end of a hover. */
  function settle() {
    const fitted = roomy(bounds);
    if (!shown) return void (shown = fitted); // the first codes: nothing on screen to keep
    if (hovering || cursor) return; // held still; settled again when they end
    const goal = easing?.to ?? shown;
    const spills = bounds.x0 < goal.x0 || bounds.x1 > goal.x1 || bounds.y0 < goal.y0 || bounds.y1 > goal.y1;
    const small = bounds.x1 - bounds.x0 < SHRINK * (goal.x1 - goal.x0) || bounds.y1 - bounds.y0 < SHRINK * (goal.y1 - goal.y0);
    if (!spills && !small) return;
    if (!easing) requestAnimationFrame(ease); // one chain of frames, however many refits
    easing = { from: { ...shown }, to: fitted, t0: performance.now() };
    canvas.dataset.easing = ''; // while the box moves (tests wait for it to rest)
  }

  function ease(now) {
    if (!easing || hovering || cursor) return void (easing = null, delete canvas.dataset.easing); // stop where it is
    const t = Math.min(1, (now - easing.t0) / EASE_MS);
    const s = t * t * (3 - 2 * t); // smoothstep: starts and ends at rest
    const { from, to } = easing;
    shown = { x0: from.x0 + s * (to.x0 - from.x0), x1: from.x1 + s * (to.x1 - from.x1), y0: from.y0 + s * (to.y0 - from.y0), y1: from.y1 + s * (to.y1 - from.y1) };
    if (t < 1) requestAnimationFrame(ease);
    else (easing = null), delete canvas.dataset.easing;
    drawnPoints = null;
    draw();
  }

  function range(xy) {
    let x0 = -3, x1 = 3, y0 = -3, y1 = 3;
    if (xy && xy.length >= 2) {
      x0 = y0 = Infinity;
      x1 = y1 = -Infinity;
      for (let i = 0; i < xy.length; i += 2) {
        const x = xy[i], y = xy[i + 1];
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      if (!(x1 >= x0)) (x0 = -3), (x1 = 3), (y0 = -3), (y1 = 3);
      const px = (x1 - x0) * MARGIN || 1, py = (y1 - y0) * MARGIN || 1;
      x0 -= px; x1 += px; y0 -= py; y1 += py;
    }
    return { xy, x0, x1, y0, y1 };
  }

  /** The codes' box grown to hold the prior's cloud (or one's own images) too, its own margin included. */
  function cover(b, prior) {
    if (!prior || prior.length < 2) return b;
    const p = range(prior);
    return { ...b, x0: Math.min(b.x0, p.x0), x1: Math.max(b.x1, p.x1), y0: Math.min(b.y0, p.y0), y1: Math.max(b.y1, p.y1) };
  }

  const roomy = ({ x0, x1, y0, y1 }) => {
    const px = (x1 - x0) * HEADROOM, py = (y1 - y0) * HEADROOM;
    return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
  };

  const sx = (x) => ((x - view.x0) / (view.x1 - view.x0)) * view.w;
  const sy = (y) => view.h - ((y - view.y0) / (view.y1 - view.y0)) * view.h;

  function drawPoints() {
    const l = layer.getContext('2d');
    l.fillStyle = '#fff';
    l.fillRect(0, 0, layer.width, layer.height);
    // Axes through the origin, when it is in view.
    l.strokeStyle = '#e3e5ea';
    l.lineWidth = 1;
    l.beginPath();
    if (view.x0 < 0 && view.x1 > 0) (l.moveTo(Math.round(sx(0)) + 0.5, 0), l.lineTo(Math.round(sx(0)) + 0.5, view.h));
    if (view.y0 < 0 && view.y1 > 0) (l.moveTo(0, Math.round(sy(0)) + 0.5), l.lineTo(view.w, Math.round(sy(0)) + 0.5));
    l.stroke();
    const { xy, labels, prior } = data;
    if (!xy) return;
    const size = Math.max(2, Math.round(1.5 * view.dpr));
    if (prior) {
      // Under the codes, hollow: a shape no class has.
      l.strokeStyle = PRIOR_COLOR;
      l.lineWidth = Math.max(1, view.dpr * 0.75);
      for (let i = 0; i + 1 < prior.length; i += 2) l.strokeRect(Math.round(sx(prior[i])) - 1.5, Math.round(sy(prior[i + 1])) - 1.5, size + 1, size + 1);
    }
    // Interleave classes (point order), so no colour is painted over wholesale.
    for (let i = 0; i < labels.length; i++) {
      l.fillStyle = COLORS[labels[i] % 10];
      l.fillRect(Math.round(sx(xy[2 * i])) - 1, Math.round(sy(xy[2 * i + 1])) - 1, size, size);
    }
  }

  function draw() {
    if (!canvas.isConnected) return;
    fit();
    if (drawnPoints !== data.xy || drawnPrior !== data.prior) {
      drawPoints();
      drawnPoints = data.xy;
      drawnPrior = data.prior;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer, 0, 0);
    const d = view.dpr;
    if (data.mark && Number.isFinite(data.mark.x) && Number.isFinite(data.mark.y)) {
      const { x, y, sx: stdX, sy: stdY } = data.mark;
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2 * d;
      if (stdX > 0 && stdY > 0) {
        ctx.fillStyle = 'rgba(17,17,17,0.12)';
        ctx.beginPath();
        ctx.ellipse(sx(x), sy(y), Math.max(2, sx(x + stdX) - sx(x)), Math.max(2, sy(y) - sy(y + stdY)), 0, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
      const r = 7 * d;
      ctx.beginPath();
      ctx.moveTo(sx(x) - r, sy(y)); ctx.lineTo(sx(x) + r, sy(y));
      ctx.moveTo(sx(x), sy(y) - r); ctx.lineTo(sx(x), sy(y) + r);
      ctx.stroke();
    }
    if (data.own && data.xy) drawOwn(data.own, d);
    for (const p of [data.picked, cursor]) {
      if (!p) continue;
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 1.5 * d;
      ctx.beginPath();
      ctx.arc(sx(p.x), sy(p.y), 6 * d, 0, 2 * Math.PI);
      ctx.stroke();
    }
    // Axis names and the visible range, small in the corners.
    ctx.font = `${11 * d}px system-ui, sans-serif`;
    ctx.fillStyle = '#556';
    const [ax, ay] = data.axes ?? ['z₁', 'z₂'];
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    ctx.fillText(fmt(view.x0), 4 * d, view.h - 3 * d);
    ctx.textAlign = 'right';
    ctx.fillText(`${fmt(view.x1)}  ${ax} →`, view.w - 4 * d, view.h - 3 * d);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(`↑ ${ay}  ${fmt(view.y1)}`, 4 * d, 3 * d);
  }

  /** One's own images: white diamonds outlined in near-black (no class colour), each class named at its centre. */
  function drawOwn({ xy, classes, names }, d) {
    const r = 5 * d;
    const sum = names.map(() => [0, 0, 0]);
    ctx.lineWidth = 1.5 * d;
    for (let i = 0; i < classes.length; i++) {
      const [x, y] = [sx(xy[2 * i]), sy(xy[2 * i + 1])];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      ctx.beginPath();
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.strokeStyle = OWN_COLOR;
      ctx.stroke();
      const s = sum[classes[i]];
      if (s) (s[0] += x), (s[1] += y), s[2]++;
    }
    ctx.font = `600 ${12 * d}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.lineJoin = 'round';
    names.forEach((name, k) => {
      const [x, y, n] = sum[k];
      if (!n) return;
      ctx.lineWidth = 3 * d;
      ctx.strokeStyle = '#fff';
      ctx.strokeText(name, x / n, y / n - r - 2 * d);
      ctx.fillStyle = OWN_COLOR;
      ctx.fillText(name, x / n, y / n - r - 2 * d);
    });
  }

  function toData(clientX, clientY) {
    const r = canvas.getBoundingClientRect();
    const px = ((clientX - r.left) / r.width) * view.w;
    const py = ((clientY - r.top) / r.height) * view.h;
    return {
      px, py,
      x: view.x0 + (px / view.w) * (view.x1 - view.x0),
      y: view.y0 + ((view.h - py) / view.h) * (view.y1 - view.y0),
    };
  }

  function nearest(px, py, radius) {
    const { xy } = data;
    if (!xy) return -1;
    let best = -1, bestD = radius * radius;
    for (let i = 0; i < xy.length / 2; i++) {
      const dx = sx(xy[2 * i]) - px, dy = sy(xy[2 * i + 1]) - py;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD) (bestD = d2), (best = i);
    }
    return best;
  }

  function hoverAt(e) {
    if (!view) return;
    const p = toData(e.clientX, e.clientY);
    const i = nearest(p.px, p.py, 10 * view.dpr);
    if (i < 0) return onHover(null);
    onHover({ index: i, x: data.xy[2 * i], y: data.xy[2 * i + 1], label: data.labels[i], clientX: e.clientX, clientY: e.clientY });
  }

  let hoverQueued = null;
  canvas.addEventListener('pointermove', (e) => {
    if (e.pointerType !== 'mouse') return;
    hovering = true;
    if (!hoverQueued) requestAnimationFrame(() => (hoverAt(hoverQueued), (hoverQueued = null)));
    hoverQueued = e;
  });
  canvas.addEventListener('pointerleave', () => {
    onHover(null);
    if (!hovering) return;
    hovering = false;
    settle();
  });
  canvas.addEventListener('click', (e) => {
    if (!view) return;
    const p = toData(e.clientX, e.clientY);
    const i = nearest(p.px, p.py, 14 * view.dpr);
    onPick({ x: p.x, y: p.y, index: i });
    hoverAt(e); // a tap on a phone shows the nearest point too
  });
  // Keyboard: arrows move a cursor through the space, Enter decodes there.
  canvas.addEventListener('keydown', (e) => {
    if (!view) return;
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (!step && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    cursor ??= { x: (view.x0 + view.x1) / 2, y: (view.y0 + view.y1) / 2 };
    if (step) {
      cursor.x += step[0] * 0.05 * (view.x1 - view.x0);
      cursor.y += step[1] * 0.05 * (view.y1 - view.y0);
      draw();
    } else {
      onPick({ x: cursor.x, y: cursor.y, index: -1 });
    }
  });
  canvas.addEventListener('blur', () => {
    cursor = null;
    settle();
    draw();
  });

  function update(next) {
    data = { ...data, ...next };
    if (next.names) legendItems.forEach((li, k) => (li.lastChild.textContent = next.names[k] ?? String(k)));
    if (priorItem) priorItem.hidden = !data.prior;
    if (ownItem) {
      ownItem.hidden = !data.own;
      ownItem.lastChild.textContent = data.own ? `your images: ${data.own.names.join(', ')}` : '';
    }
    draw();
    if ('xy' in next || 'label' in next || 'axes' in next || 'own' in next) {
      const what = data.label ?? describe();
      const own = data.own ? ` White diamonds: ${grouped(data.own.classes.length)} of your own images, named by class (${data.own.names.join(', ')}).` : '';
      canvas.setAttribute('aria-label', `${what}${/[.!?]$/.test(what) ? '' : '.'}${own} ${HOW}`);
    }
  }

  /** What the plot shows, in words: how many codes, and the ranges of its axes. */
  function describe() {
    const n = data.labels?.length ?? 0;
    if (!data.xy || n === 0) return 'Scatter plot of codes coloured by class: no codes yet.';
    const [ax, ay] = data.axes ?? ['z₁', 'z₂'];
    const b = bounds.xy === data.xy ? bounds : range(data.xy);
    return `Scatter plot of ${grouped(n)} codes coloured by class; ${ax} from ${fmt(b.x0)} to ${fmt(b.x1)}, ${ay} from ${fmt(b.y0)} to ${fmt(b.y1)}.`;
  }

  return { update };
}

function buildLegend(ol) {
  if (!ol) return [];
  return COLORS.map((c, k) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = c;
    li.append(sw, document.createElement('span'));
    li.lastChild.textContent = String(k);
    ol.append(li);
    return li;
  });
}

/** The legend's entry for one's own images, shown while there are some. */
function ownLegend(ol) {
  const li = document.createElement('li');
  li.dataset.testid = 'legend-own';
  const sw = document.createElement('span');
  sw.className = 'swatch diamond';
  sw.style.borderColor = OWN_COLOR;
  li.append(sw, document.createElement('span'));
  li.hidden = true;
  ol.append(li);
  return li;
}

/** The legend's entry for the prior's cloud, shown while there is one. */
function priorLegend(ol) {
  const li = document.createElement('li');
  li.className = 'prior-item';
  li.dataset.testid = 'legend-prior';
  const sw = document.createElement('span');
  sw.className = 'swatch hollow';
  sw.style.borderColor = PRIOR_COLOR;
  li.append(sw, document.createElement('span'));
  li.lastChild.textContent = 'samples of the prior';
  li.hidden = true;
  ol.append(li);
  return li;
}

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function fmt(x) {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1);
}
