// The benchmark's reference models, shared by bench.js (our core) and
// bench-tfjs.js (TensorFlow.js on the same models, loss and optimiser).
import { modelFacts } from '../shared/run-settings.js';

/** The reference models (Adam, lr 1e-3): the playground's defaults and Kingma & Welling's VAE. */
export const MODELS = [
  {
    name: 'AE 784-512-256-2 (ReLU, linear code, Bernoulli), batch 64',
    model: { kind: 'ae', input: 784, hidden: [512, 256], latent: 2, activation: 'relu', decoder: 'bernoulli' },
    train: { optimizer: 'adam', lr: 1e-3, batch: 64, seed: 1 },
  },
  {
    name: 'VAE 784-400-20 (ReLU, Bernoulli), batch 128',
    model: { kind: 'vae', input: 784, hidden: [400], latent: 20, activation: 'relu', decoder: 'bernoulli' },
    train: { optimizer: 'adam', lr: 1e-3, batch: 128, seed: 1 },
  },
];

/** Multiply–adds of one forward pass per sample, from the layer widths. */
export function macs(m) {
  const facts = modelFacts(m.kind);
  const cond = facts.conditional ? 10 : 0;
  const variational = facts.variational;
  const enc = [m.input + cond, ...m.hidden, variational ? 2 * m.latent : m.latent];
  const dec = [m.latent + cond, ...[...m.hidden].reverse(), m.input];
  let n = 0;
  for (const sizes of [enc, dec]) for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1];
  return n;
}
