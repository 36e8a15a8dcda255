// A 2-D canvas kept at its CSS size times the device pixel ratio and redrawn
// when either changes. `paint(ctx, w, h, data)` draws in CSS pixels on a
// cleared canvas; the returned view's update(data) repaints with new data.

export function create(canvas, paint) {
  const ctx = canvas.getContext('2d');
  let last = null;
  // The CSS size, as the observer reports it: reading clientWidth while
  // drawing would force a layout after every DOM update of the page.
  let cssW = 0, cssH = 0;
  new ResizeObserver(([e]) => {
    cssW = e.contentRect.width;
    cssH = e.contentRect.height;
    draw();
  }).observe(canvas);

  function draw() {
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const W = Math.max(1, Math.round(cssW * dpr));
    const H = Math.max(1, Math.round(cssH * dpr));
    if (canvas.width !== W || canvas.height !== H) {
      canvas.width = W;
      canvas.height = H;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = W / dpr, h = H / dpr;
    ctx.clearRect(0, 0, w, h);
    paint(ctx, w, h, last);
  }

  return {
    update(data) {
      last = data;
      draw();
    },
  };
}
