// The denoising autoencoder's corruption q(x̃|x), as src/models/dae.rs applies
// it in training, so the page can show a visitor what the model is asked to
// undo. Seeded, so the same drawing keeps the same noise while it trains.

/** mulberry32: a tiny seeded generator; the page's noise needs no more. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** x̃ for `kind` 'mask' (each pixel dropped with probability `level`) or 'gaussian' (x + level·ε). */
export function corrupt(pixels, kind, level, seed) {
  const rand = generator(seed);
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    if (kind === 'mask') {
      out[i] = rand() < level ? 0 : pixels[i];
    } else {
      // Box–Muller; 1 − u keeps the logarithm finite.
      const eps = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      out[i] = pixels[i] + level * eps;
    }
  }
  return out;
}
