// Lecture 3: the contractive autoencoder (Rifai et al. 2011) adds λ‖∂h/∂x‖²_F
// to the loss: the code must not change when the input moves in directions
// the data does not vary in, so it is locally flat off the manifold. The
// verdict is the core's (src/claims/contractive.rs); this draws the views.
import { bars, fmt, mean, readout } from './figures.js';

export const claim =
  'A contractive autoencoder adds to its loss λ‖∂h/∂x‖²_F, the squared Frobenius norm of the encoder’s whole Jacobian: it pays for every direction in which a small change of the input moves the code. Both models here have the same layers, the same linear code layer, the same seed and the same batches; only λ differs (0 is a plain autoencoder).';
export const look = 'Below: each model’s Jacobian norm on 100 test images, and how far the code moves when each image is pushed by a random change of length 1 (a faint haze over the image).';
export const chunk = 25;

let views, text, found;

export async function setup(ctx) {
  views = ctx.sides.map((s) => bars(ctx, { title: `${s.label}: ‖∂h/∂x‖_F on 20 test images`, testid: `jacobian-${s.key}` }));
  text = readout(ctx, 'jacobian-readout');
}

export async function refresh(ctx, all) {
  if (!all) return;
  const pixels = ctx.testImages(100);
  const [jac, shift] = await Promise.all([ctx.cmp.probeAll('jacobian', { pixels }), ctx.cmp.probeAll('code_shift', { pixels, radius: 1, seed: 5 })]);
  found = ctx.sides.map((s, i) => ({ jacobian: mean(jac[i].norms), shift: mean(shift[i].shifts) }));
  views.forEach((v, i) => v.update({ values: Array.from(jac[i].norms.subarray(0, 20)), unit: '' }));
  text.textContent = ctx.sides.map((s, i) => `${s.label}: mean ‖J‖ ${fmt(found[i].jacobian)}, code moves ${fmt(found[i].shift)}`).join(' · ');
}

