// Lecture 3: the contractive autoencoder (Rifai et al. 2011) adds λ‖∂h/∂x‖²_F
// to the loss: the code must not change when the input moves in directions
// the data does not vary in, so it is locally flat off the manifold.
import { bars, fmt, mean, readout } from './kit.js';

const NET = 'hidden=256&latent=16&activation=sigmoid&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1';
export const claim =
  'A contractive autoencoder pays for the encoder’s sensitivity, the Frobenius norm of its Jacobian ∂h/∂x, so its codes move less when an input is nudged. Trained from the same seed on the same batches, its Jacobian norm on test images is smaller than a plain autoencoder’s, and a small random change to an input moves its code less.';
export const look = 'Below: each model’s Jacobian norm on 100 test images, and how far the code moves when each image is pushed by a random change of length 1 (a faint haze over the image).';
export const sides = [
  { key: 'ae', label: 'Autoencoder', hash: `model=ae&${NET}` },
  { key: 'cae', label: 'Contractive autoencoder (λ = 1)', hash: `model=cae&contractive=1&${NET}` },
];
export const batches = 300;
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

export async function measure(ctx) {
  await refresh(ctx, true);
  const [ae, cae] = found;
  return {
    result: { aeJacobian: ae.jacobian, caeJacobian: cae.jacobian, aeShift: ae.shift, caeShift: cae.shift },
    holds: cae.jacobian < ae.jacobian && cae.shift < ae.shift,
    text: `the mean Jacobian norm on 100 test images is ${fmt(ae.jacobian)} for the autoencoder and ${fmt(cae.jacobian)} for the contractive one; a random change of length 1 moves the code by ${fmt(ae.shift)} and ${fmt(cae.shift)}`,
  };
}
