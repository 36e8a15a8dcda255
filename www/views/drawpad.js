// A drawing pad for mouse, touch and pen (Pointer Events). Strokes are kept
// in pad-relative coordinates, so a resize redraws them crisply. The ink is
// the alpha channel: white strokes on a transparent canvas over a black box.
//
// create(canvas, {onChange}) -> {ink(), clear({silent}), setEraser(on), isBlank(), undo(), pending()}
// Undo takes back the last stroke or the last Clear, in the order they happened.

// Stroke width as a fraction of the pad: a digit drawn across most of the
// pad then has MNIST's stroke width (about 2–3 of its 20 pixels).
const BRUSH = 0.075;
const ERASER = 0.15;
// While a stroke goes on, the page hears of it at most this often (ms): each
// change costs a read-back and a resampling, and the worker is busy training.
const CHANGE_MS = 100;

export function create(canvas, { onChange = () => {} } = {}) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  /** @type {{erase: boolean, pts: number[]}[]} pts: x0, y0, x1, y1, … in [0,1] */
  const strokes = [];
  /** What Undo takes back, newest last: 'stroke', or the strokes a Clear removed. */
  const undoable = [];
  let eraser = false;
  let active = null; // the stroke being drawn and its pointer
  let changeQueued = false;
  let lastChange = 0;

  function size() {
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const s = Math.max(28, Math.round(canvas.clientWidth * dpr));
    if (canvas.width !== s || canvas.height !== s) {
      canvas.width = canvas.height = s;
      redraw();
    }
  }

  function paint(st, from) {
    const s = canvas.width;
    ctx.globalCompositeOperation = st.erase ? 'destination-out' : 'source-over';
    ctx.strokeStyle = ctx.fillStyle = '#fff';
    ctx.lineWidth = (st.erase ? ERASER : BRUSH) * s;
    ctx.lineCap = ctx.lineJoin = 'round';
    const p = st.pts;
    if (p.length === 2) {
      ctx.beginPath();
      ctx.arc(p[0] * s, p[1] * s, ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.beginPath();
      const k = Math.max(0, from - 2);
      ctx.moveTo(p[k] * s, p[k + 1] * s);
      for (let i = k + 2; i < p.length; i += 2) ctx.lineTo(p[i] * s, p[i + 1] * s);
      ctx.stroke();
    }
    ctx.globalCompositeOperation = 'source-over';
  }

  function redraw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const st of strokes) paint(st, 0);
  }

  function changed() {
    if (changeQueued) return;
    changeQueued = true;
    const wait = active ? Math.max(0, lastChange + CHANGE_MS - performance.now()) : 0;
    setTimeout(() => requestAnimationFrame(() => {
      changeQueued = false;
      lastChange = performance.now();
      onChange();
    }), wait);
  }

  function at(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height];
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    // The pen's eraser end erases whatever the toggle says.
    active = { id: e.pointerId, st: { erase: eraser || e.button === 5, pts: at(e) } };
    strokes.push(active.st);
    undoable.push('stroke');
    paint(active.st, 0);
    changed();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!active || e.pointerId !== active.id) return;
    const from = active.st.pts.length;
    for (const c of e.getCoalescedEvents?.() ?? [e]) active.st.pts.push(...at(c));
    paint(active.st, from);
    changed();
  });
  const end = (e) => {
    if (active && e.pointerId === active.id) {
      active = null;
      changed();
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  new ResizeObserver(size).observe(canvas);
  size();

  return {
    /** Ink per canvas pixel in [0,1] and the canvas size. */
    ink() {
      const { width, height } = canvas;
      return { data: ctx.getImageData(0, 0, width, height), width, height };
    },
    isBlank: () => !strokes.some((s) => !s.erase),
    /** A stroke goes on, or a change is still to be told: the page has not heard the last of the ink. */
    pending: () => Boolean(active) || changeQueued,
    /** Empties the pad; `silent` skips onChange (the caller sets the input itself). */
    clear({ silent = false } = {}) {
      if (strokes.length) undoable.push(strokes.splice(0));
      redraw();
      if (!silent) changed();
    },
    undo() {
      const last = undoable.pop();
      if (last === 'stroke') strokes.pop();
      else if (last) strokes.push(...last);
      redraw();
      changed();
    },
    setEraser(on) {
      eraser = on;
      canvas.classList.toggle('erasing', on);
    },
  };
}
