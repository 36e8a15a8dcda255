// A canvas of 28×28 images in a grid, white ink on black as in MNIST. The
// canvas holds the images at one canvas pixel per image pixel; CSS scales it
// up with `image-rendering: pixelated`, so what you see is what the network saw.
//
// Empty, it says in words what will appear there, at the size the images
// will take: a black box says nothing, and a box that changes shape when it
// fills makes the page jump. The words are drawn at the box's resolution,
// a whole multiple of the images' size, so the aspect ratio, and with it the
// CSS box, is exactly the filled one.

const SIDE = 28;
const MAX_CANVAS = 4096; // canvas pixels along a side for the placeholder's words

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{cols?:number, rows?:number, gap?:number, placeholder?:string}} opts
 *   cols × rows: the tiles expected, the empty box's shape until data says
 *   otherwise; gap: canvas pixels between tiles; placeholder: the words shown
 *   while there is nothing to show.
 */
export function create(canvas, { cols = 1, rows = 1, gap = 0, placeholder = 'Nothing to show yet' } = {}) {
  const ctx = canvas.getContext('2d');
  let img = null; // reused while the size stays: no garbage per frame
  let shape = { n: cols * rows, c: cols }; // the last layout, which an empty box keeps
  let words = null; // the placeholder shown, or null when showing images
  // The box's CSS width, as the observer reports it (reading clientWidth
  // would force a layout). The words are redrawn when the box changes, e.g.
  // when a hidden panel is shown, so they are never drawn for a 0-pixel box.
  let cssW = 0;
  new ResizeObserver(([e]) => {
    cssW = e.contentRect.width;
    if (words !== null) drawWords();
  }).observe(canvas);
  canvas.setAttribute('role', 'img');
  const name = canvas.getAttribute('aria-label') || '';

  function layout(n, c) {
    c = Math.max(1, Math.min(n, c));
    const r = Math.max(1, Math.ceil(n / c));
    return { c, w: c * SIDE + (c - 1) * gap, h: r * SIDE + (r - 1) * gap };
  }

  function drawWords() {
    const { w, h } = layout(shape.n, shape.c);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const k = Math.max(1, Math.min(Math.ceil((cssW * dpr) / w), Math.floor(MAX_CANVAS / Math.max(w, h))));
    if (canvas.width !== k * w || canvas.height !== k * h) {
      canvas.width = k * w;
      canvas.height = k * h;
    }
    const W = canvas.width, H = canvas.height;
    const px = cssW > 0 ? W / cssW : 1; // canvas pixels per CSS pixel
    ctx.fillStyle = '#eef0f4';
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = '#b9bfcc';
    ctx.lineWidth = px;
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.strokeRect(px / 2, px / 2, W - px, H - px);
    ctx.setLineDash([]);
    // The largest size up to 13 CSS px at which the words, wrapped, fit.
    const margin = 4 * px;
    let size = 13, lines;
    for (; ; size--) {
      ctx.font = `${size * px}px system-ui, sans-serif`;
      lines = wrap(words, W - 2 * margin);
      if (size <= 7 || lines.length * size * 1.25 * px <= H - 2 * margin) break;
    }
    ctx.fillStyle = '#5a6072';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const lh = size * 1.25 * px;
    lines.forEach((line, i) => ctx.fillText(line, W / 2, H / 2 + (i - (lines.length - 1) / 2) * lh));
  }

  function wrap(text, width) {
    const lines = [];
    for (const word of text.split(/\s+/)) {
      const last = lines.length - 1;
      if (last >= 0 && ctx.measureText(`${lines[last]} ${word}`).width <= width) lines[last] += ` ${word}`;
      else lines.push(word);
    }
    return lines;
  }

  /**
   * @param {{pixels: Float32Array|null, n?: number, cols?: number, label?: string, placeholder?: string}|null} data
   *   null, or pixels null: the placeholder in the last (or the given) layout
   *   of n tiles; label: the accessible name for these images.
   */
  function update(data) {
    if (data?.pixels || data?.n !== undefined) {
      shape = { n: data.n ?? Math.floor(data.pixels.length / (SIDE * SIDE)), c: data.cols ?? cols };
    }
    if (!data?.pixels) {
      words = data?.placeholder ?? placeholder;
      canvas.dataset.empty = '';
      canvas.setAttribute('aria-label', name ? `${name}: ${words}` : words);
      drawWords();
      return;
    }
    words = null;
    delete canvas.dataset.empty;
    const n = shape.n;
    canvas.setAttribute('aria-label', data.label ?? (name || `${n} image${n === 1 ? '' : 's'} of 28 by 28 pixels`));
    const { c, w, h } = layout(n, shape.c);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    if (!img || img.width !== w || img.height !== h || img.n !== n) {
      img = ctx.createImageData(w, h);
      img.n = n;
      for (let k = 3; k < img.data.length; k += 4) img.data[k] = 255; // opaque; gaps stay black
    }
    const out = img.data;
    for (let t = 0; t < n; t++) {
      const ox = (t % c) * (SIDE + gap);
      const oy = Math.floor(t / c) * (SIDE + gap);
      const base = t * SIDE * SIDE;
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          const v = data.pixels[base + y * SIDE + x];
          const g = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0; // NaN -> black
          const o = 4 * ((oy + y) * w + ox + x);
          out[o] = out[o + 1] = out[o + 2] = g;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  update(null);
  return { update };
}
