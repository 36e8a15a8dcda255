// The run's configuration <-> the URL hash. One PROPS table drives both
// directions (as TensorFlow Playground's state.ts does), but every value is
// checked: a number outside its range, a word outside its options or a
// malformed list falls back to its default and is reported, never passed on.

/** @typedef {{name:string, type:'enum'|'int'|'float'|'list', default:any,
 *   options?:string[], min?:number, max?:number, maxLength?:number, label:string}} Prop */

/** @type {Prop[]} */
export const PROPS = [
  { name: 'dataset', type: 'enum', options: ['mnist', 'fashion'], default: 'mnist', label: 'dataset' },
  { name: 'model', type: 'enum', options: ['ae', 'dae', 'cae', 'vae', 'cvae'], default: 'vae', label: 'model' },
  { name: 'hidden', type: 'list', min: 1, max: 2048, maxLength: 4, default: [256], label: 'hidden layer sizes' },
  { name: 'latent', type: 'int', min: 1, max: 64, default: 2, label: 'latent size' },
  { name: 'activation', type: 'enum', options: ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'identity'], default: 'relu', label: 'activation' },
  { name: 'decoder', type: 'enum', options: ['bernoulli', 'gaussian', 'gaussian_learned_var'], default: 'bernoulli', label: 'decoder' },
  { name: 'noise', type: 'enum', options: ['mask', 'gaussian'], default: 'mask', label: 'noise kind' },
  { name: 'noise_level', type: 'float', min: 0, max: 0.95, default: 0.3, label: 'noise level' },
  { name: 'contractive', type: 'float', min: 0, max: 100, default: 0.1, label: 'contractive weight' },
  { name: 'optimizer', type: 'enum', options: ['adam', 'momentum', 'sgd'], default: 'adam', label: 'optimiser' },
  { name: 'lr', type: 'float', min: 1e-6, max: 10, default: 0.001, label: 'learning rate' },
  { name: 'batch', type: 'int', min: 1, max: 1024, default: 100, label: 'batch size' },
  { name: 'seed', type: 'int', min: 0, max: 4294967295, default: 1, label: 'seed' },
];

const BY_NAME = new Map(PROPS.map((p) => [p.name, p]));

export function defaults() {
  const s = {};
  for (const p of PROPS) s[p.name] = Array.isArray(p.default) ? [...p.default] : p.default;
  return s;
}

// Plain decimal numbers only: Number() would also take '0x10', '1e999', ' ',
// 'Infinity' and '' (as 0).
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;

/** Parses one raw string for `p`; returns {value} or {error}. */
export function parseValue(p, raw) {
  const inRange = (x) => x >= p.min && x <= p.max;
  switch (p.type) {
    case 'enum':
      return p.options.includes(raw) ? { value: raw } : { error: 'is not one of ' + p.options.join(', ') };
    case 'int': {
      const x = NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(x)) return { error: 'is not a whole number' };
      return inRange(x) ? { value: x } : { error: `is outside ${p.min}–${p.max}` };
    }
    case 'float': {
      const x = NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(x)) return { error: 'is not a number' };
      return inRange(x) ? { value: x } : { error: `is outside ${p.min}–${p.max}` };
    }
    case 'list': {
      const parts = raw.split(',').map((s) => s.trim());
      if (raw.trim() === '') return { value: [] }; // no hidden layer: a linear map to the code
      if (parts.length > p.maxLength) return { error: `has more than ${p.maxLength} entries` };
      const xs = parts.map((s) => (/^\d{1,9}$/.test(s) ? Number(s) : NaN));
      if (!xs.every((x) => Number.isInteger(x) && inRange(x))) return { error: `needs whole numbers in ${p.min}–${p.max}` };
      return { value: xs };
    }
  }
  return { error: 'has an unknown type' };
}

export function formatValue(p, v) {
  return p.type === 'list' ? v.join(',') : String(v);
}

/**
 * Reads a hash like '#model=vae&lr=0.001'. Unknown keys are ignored (a newer
 * link may carry more); bad values fall back to the default.
 * @returns {{state: object, problems: string[]}} problems are plain text
 */
export function parseHash(hash) {
  const state = defaults();
  const problems = [];
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body) return { state, problems };
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let raw = eq < 0 ? '' : pair.slice(eq + 1);
    const p = BY_NAME.get(key);
    if (!p) continue;
    try {
      raw = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      problems.push(`${p.label}: unreadable value, using ${formatValue(p, p.default)}`);
      continue;
    }
    const r = parseValue(p, raw);
    if ('value' in r) state[p.name] = r.value;
    else problems.push(`${p.label} “${clip(raw)}” ${r.error}; using ${formatValue(p, p.default)}`);
  }
  return { state, problems };
}

export function toHash(state) {
  return '#' + PROPS.map((p) => `${p.name}=${encodeURIComponent(formatValue(p, state[p.name]))}`).join('&');
}

/** The worker's init message for a state (the protocol's model/train/dataset). */
export function toInit(state) {
  return {
    type: 'init',
    model: {
      kind: state.model,
      input: 784,
      hidden: [...state.hidden],
      latent: state.latent,
      activation: state.activation,
      decoder: state.decoder,
      noise: state.noise,
      noise_level: state.noise_level,
      contractive: state.contractive,
      classes: 10,
    },
    train: { optimizer: state.optimizer, lr: state.lr, batch: state.batch, seed: state.seed },
    dataset: state.dataset,
  };
}

/**
 * The state described by a model the worker reports (after an import).
 * @returns {{state: object, problems: string[]}} problems: settings the
 *   controls cannot express (they keep `base`'s value)
 */
export function fromWorker(model, train, dataset, base = defaults()) {
  const s = { ...base };
  const problems = [];
  const raw = {
    model: model?.kind, hidden: model?.hidden?.join(','), latent: model?.latent, activation: model?.activation,
    decoder: model?.decoder, noise: model?.noise, noise_level: model?.noise_level, contractive: model?.contractive,
    optimizer: train?.optimizer, lr: train?.lr, batch: train?.batch, seed: train?.seed, dataset,
  };
  for (const p of PROPS) {
    let v = raw[p.name];
    if (v === undefined || v === null) continue;
    // f32 round trips turn 0.001 into 0.0010000000474974513
    if (p.type === 'float' && typeof v === 'number') v = Number(v.toPrecision(6));
    const r = parseValue(p, String(v));
    if ('value' in r) s[p.name] = r.value;
    else problems.push(`${p.label} “${clip(String(v))}” ${r.error}`);
  }
  return { state: s, problems };
}

function clip(s) {
  return s.length > 24 ? s.slice(0, 24) + '…' : s;
}
