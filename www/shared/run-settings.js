// The run's configuration <-> the URL hash, the worker's init message and a
// loaded model. Nothing here names a setting: every one comes from the table
// in settings-table.js, generated from the core's src/settings.rs, so the page and
// the core agree on names, limits and defaults. Every value is checked: a
// number outside its range, a word outside its choices or a malformed list
// falls back to its default and is reported, never passed on. Parsing runs in
// time linear in the (capped) hash: no regular expressions on its text.

import { SETTINGS } from './settings-table.js';

/** @typedef {{name:string, path:string, type:'choice'|'int'|'float'|'list'|'init'|'bool', default:any,
 *   options?:string[], optionLabels?:Object<string,string>, params?:Object<string,string|null>,
 *   min?:number, max?:number, maxLength?:number, label:string, help:string, learn:string, basic:boolean, only:string[]}} Prop
 *   help: the command line's words; learn: the page's, for a learner; basic: shown unfolded. */

/** The settings a link and the form carry, with the page's limits. @type {Prop[]} */
export const PROPS = SETTINGS.filter((s) => !s.fixed).map((s) =>
  Object.freeze({
    name: s.key,
    path: s.path,
    type: s.type,
    label: s.label,
    help: s.help,
    learn: s.learn,
    basic: s.basic,
    only: s.only,
    default: s.page_default,
    min: s.page_min,
    max: s.page_max,
    maxLength: s.page_max_len,
    options: s.page_choices ?? s.choices,
    optionLabels: s.choice_labels,
    params: s.params,
  }),
);

/** Settings the page never changes (input size, classes): always their default. */
const FIXED = SETTINGS.filter((s) => s.fixed);

const BY_NAME = new Map(PROPS.map((p) => [p.name, p]));

/** What the core says of a model kind (src/config.rs `ModelKind`, through the table):
 *  {variational, conditional, adversarial, prior, caption}; all false for an unknown kind. */
export function modelFacts(kind) {
  const facts = SETTINGS.find((s) => s.key === 'model')?.choice_facts?.[kind];
  return facts ?? { variational: false, conditional: false, adversarial: false, prior: false, caption: '' };
}

/** What the core says of a dataset (src/data/mnist.rs `DatasetName`, through the table):
 *  {dir, binary, title, classes, item, items, made}: the folder its files are in, whether
 *  its pixels are made black or white after loading, and the page's words for it
 *  (src/settings/choice_facts.rs). Throws, naming the known ones, for an unknown name. */
export function datasetFacts(name) {
  const all = SETTINGS.find((s) => s.key === 'dataset').choice_facts;
  if (!Object.hasOwn(all, name)) throw new Error(`unknown dataset “${name}” (expected ${Object.keys(all).join(', ')})`);
  return all[name];
}

/** The page's words for a dataset (`datasetFacts`); MNIST's for a name the core does not know,
 *  since the page must still say something while it reports the bad name. */
export function datasetOf(name) {
  const all = SETTINGS.find((s) => s.key === 'dataset').choice_facts;
  return all[Object.hasOwn(all, name) ? name : 'mnist'];
}

/** Whether a setting may change while the model trains without a rebuild (the table's `live`). */
export function isLive(key) {
  return SETTINGS.some((s) => s.key === key && s.live);
}

/** A link longer than this is not read at all; a full one is about 250 characters. */
export const MAX_HASH_LENGTH = 2000;
/** A value longer than this (before decoding) is refused unread. */
export const MAX_VALUE_LENGTH = 100;

export function defaults() {
  const s = {};
  for (const p of PROPS) s[p.name] = Array.isArray(p.default) ? [...p.default] : p.default;
  return s;
}

// (One formatter for all: toLocaleString builds a new one per call, which
// made most of the cost of reading a link with a bad value. Made when first
// needed: the first of a page or worker costs it 20–45 ms, ICU's locale
// data, and the workers that import this file seldom need it.)
let plain;
/** A limit as a learner reads it: 0.000001, not 1e-6. */
const plainLimit = (x) => (Number.isInteger(x) ? String(x) : (plain ??= new Intl.NumberFormat('en', { maximumFractionDigits: 20, useGrouping: false })).format(x));

/** The limits in a learner's words, for the form's help (a menu shows its own choices). */
export function limitsText(p) {
  switch (p.type) {
    case 'int':
    case 'float':
      return `From ${plainLimit(p.min)} to ${plainLimit(p.max)}.`;
    case 'list':
      return `Up to ${p.maxLength} sizes, each from ${p.min} to ${p.max}.`;
    case 'init':
      return `A spread from ${plainLimit(p.min)} to ${plainLimit(p.max)}.`;
  }
  return '';
}

/** What `p` allows, in words, for an error: "between 0.000001 and 10", "one of ae, dae, …". */
export function allowed(p) {
  switch (p.type) {
    case 'choice':
      return 'one of ' + p.options.join(', ');
    case 'int':
      return `a whole number between ${plainLimit(p.min)} and ${plainLimit(p.max)}`;
    case 'float':
      return `between ${plainLimit(p.min)} and ${plainLimit(p.max)}`;
    case 'list':
      return `up to ${p.maxLength} whole numbers between ${p.min} and ${p.max}, separated by commas`;
    case 'bool':
      return '1 (on) or 0 (off)';
    case 'init': {
      const forms = p.options.map((o) => (p.params[o] ? `${o}:${p.params[o].toUpperCase()}` : o));
      return `one of ${forms.join(', ')}, with ${Object.values(p.params).filter(Boolean).map((x) => x.toUpperCase()).join(' or ')} between ${plainLimit(p.min)} and ${plainLimit(p.max)}`;
    }
  }
  return '';
}

const isDigit = (c) => c >= '0' && c <= '9';

/** Plain decimals only, checked in one pass: Number() would also take '0x10', '1e999', ' ', 'Infinity' and '' (as 0). */
function decimal(s) {
  let i = 0;
  let digits = 0;
  if (s[i] === '+' || s[i] === '-') i++;
  while (i < s.length && isDigit(s[i])) (i++, digits++);
  if (s[i] === '.') {
    i++;
    while (i < s.length && isDigit(s[i])) (i++, digits++);
  }
  if (digits === 0) return NaN;
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    let e = 0;
    while (i < s.length && isDigit(s[i])) (i++, e++);
    if (e === 0 || e > 3) return NaN;
  }
  return i === s.length ? Number(s) : NaN;
}

function inRange(p, x) {
  return x >= p.min && x <= p.max;
}

/** Parses one raw string for `p`; returns {value} or {error} (the error says what is allowed). */
export function parseValue(p, raw) {
  if (typeof raw !== 'string' || raw.length > MAX_VALUE_LENGTH) return { error: `is too long; it must be ${allowed(p)}` };
  const wrong = { error: `must be ${allowed(p)}` };
  switch (p.type) {
    case 'choice':
      return p.options.includes(raw) ? { value: raw } : wrong;
    case 'bool':
      // 1/0 in a link; true/false as a config or a checkbox says it.
      return raw === '1' || raw === 'true' ? { value: true } : raw === '0' || raw === 'false' ? { value: false } : wrong;
    case 'int': {
      const x = decimal(raw);
      return Number.isInteger(x) && inRange(p, x) ? { value: x } : wrong;
    }
    case 'float': {
      const x = decimal(raw);
      return Number.isFinite(x) && inRange(p, x) ? { value: x } : wrong;
    }
    case 'list': {
      if (raw.trim() === '') return { value: [] }; // no hidden layer: a linear map to the code
      const parts = raw.split(',').map((s) => s.trim());
      if (parts.length > p.maxLength) return wrong;
      const xs = parts.map((s) => (s.length >= 1 && s.length <= 9 && [...s].every(isDigit) ? Number(s) : NaN));
      return xs.every((x) => Number.isInteger(x) && inRange(p, x)) ? { value: xs } : wrong;
    }
    case 'init': {
      const colon = raw.indexOf(':');
      const kind = colon < 0 ? raw : raw.slice(0, colon);
      if (!p.options.includes(kind)) return wrong;
      if (!p.params[kind]) return colon < 0 ? { value: kind } : wrong;
      const x = colon < 0 ? NaN : decimal(raw.slice(colon + 1));
      return Number.isFinite(x) && inRange(p, x) ? { value: `${kind}:${x}` } : wrong;
    }
  }
  return { error: 'has an unknown type' };
}

export function formatValue(p, v) {
  if (p.type === 'bool') return v ? '1' : '0';
  return p.type === 'list' ? v.join(',') : String(v);
}

/** The value the config holds for a state's value (init 'normal:0.01' -> {kind: 'normal', std: 0.01}). */
function toConfigValue(p, v) {
  if (p.type === 'list') return [...v];
  if (p.type === 'init') {
    const [kind, x] = v.split(':');
    return p.params[kind] ? { kind, [p.params[kind]]: Number(x) } : { kind };
  }
  return v;
}

/** The reverse: a config's value as the raw string `parseValue` reads. */
function fromConfigValue(p, v) {
  if (p.type === 'list') return Array.isArray(v) ? v.join(',') : '';
  if (p.type === 'init') {
    const param = v && p.params[v.kind];
    return param ? `${v.kind}:${roundF32(v[param])}` : String(v?.kind);
  }
  return String(p.type === 'float' ? roundF32(v) : v);
}

// f32 round trips turn 0.001 into 0.0010000000474974513.
function roundF32(x) {
  return typeof x === 'number' ? Number(x.toPrecision(6)) : x;
}

function clip(s) {
  return s.length > 24 ? s.slice(0, 24) + '…' : s;
}

/**
 * How the page opens a link, not what it builds: `autoplay=0` waits for
 * Train instead of starting. These are not settings and never in toHash.
 */
const LINK_FLAGS = new Map([['autoplay', ['0', '1']]]);

/**
 * What a link carries for the own-data panel, which reads it itself
 * (page/own-link.js): a small set of images, long, and what training reads.
 * Neither a setting nor counted against MAX_HASH_LENGTH.
 */
export const OWN_LINK_KEYS = ['images', 'train_on'];

/**
 * Reads a hash like '#model=vae&lr=0.001'. Bad values fall back to their
 * default, each with a problem; keys the page does not know are reported
 * together; a hash past MAX_HASH_LENGTH is not read at all.
 * @returns {{state: object, problems: string[], flags: Object<string,string>, settings: number}}
 *   problems are plain text; flags: the link flags present; settings: how many settings the link carries
 */
export function parseHash(hash) {
  const state = defaults();
  const problems = [];
  const flags = {};
  const body = (hash.startsWith('#') ? hash.slice(1) : hash)
    .split('&')
    .filter((pair) => !OWN_LINK_KEYS.includes(pair.slice(0, pair.indexOf('=') >>> 0)))
    .join('&');
  if (!body) return { state, problems, flags, settings: 0 };
  if (body.length > MAX_HASH_LENGTH) {
    problems.push(`The link's settings are ${body.length.toLocaleString('en')} characters long, more than the ${MAX_HASH_LENGTH.toLocaleString('en')} this page reads; using the defaults.`);
    return { state, problems, flags, settings: 0 };
  }
  const unknown = [];
  let known = 0;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let raw = eq < 0 ? '' : pair.slice(eq + 1);
    const p = BY_NAME.get(key);
    if (!p && LINK_FLAGS.get(key)?.includes(raw)) {
      flags[key] = raw;
      continue;
    }
    if (!p) {
      unknown.push(key);
      continue;
    }
    known++;
    const fallback = formatValue(p, p.default);
    if (raw.length > MAX_VALUE_LENGTH) {
      problems.push(`${p.label}: a value of ${raw.length.toLocaleString('en')} characters is too long; using ${fallback}`);
      continue;
    }
    try {
      raw = decodeURIComponent(raw.replaceAll('+', ' '));
    } catch {
      problems.push(`${p.label}: unreadable value, using ${fallback}`);
      continue;
    }
    const r = parseValue(p, raw);
    if ('value' in r) state[p.name] = r.value;
    else problems.push(`${p.label} “${clip(raw)}” ${r.error}; using ${fallback}`);
  }
  if (unknown.length) {
    const names = unknown.slice(0, 5).map((k) => `“${clip(k)}”`).join(', ') + (unknown.length > 5 ? ', …' : '');
    problems.push(known ? `ignored what this page does not know: ${names}` : `The link (${names}) names no setting this page knows; using the defaults.`);
  }
  return { state, problems, flags, settings: known };
}

export function toHash(state) {
  return '#' + PROPS.map((p) => `${p.name}=${encodeURIComponent(formatValue(p, state[p.name]))}`).join('&');
}

function setPath(target, path, v) {
  const parts = path.split('.');
  const last = parts.pop();
  let o = target;
  for (const k of parts) o = o[k] ??= {};
  o[last] = v;
}

function getPath(source, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), source);
}

/** The worker's init message for a state: {type, model, train, dataset}, each value at its table path. */
export function toInit(state) {
  const msg = { type: 'init', model: {}, train: {} };
  for (const p of PROPS) setPath(msg, p.path, toConfigValue(p, state[p.name]));
  for (const s of FIXED) setPath(msg, s.path, s.page_default);
  return msg;
}

/**
 * The state described by a model the worker reports (after an import): the
 * reverse of `toInit`, by the same paths.
 * @returns {{state: object, problems: string[]}} problems: settings the
 *   controls cannot express (they keep `base`'s value)
 */
/**
 * Why the page cannot show a model of this configuration (a ModelConfig), as
 * `fromWorker`'s problems, or [] if it can: its kind and sizes must be within
 * the page's limits, which its views and its speed are built for (a latent of
 * 1024 makes every latent-plot refresh take seconds). Settings that do not
 * matter for the kind (`only`) are not held against it; the input size and
 * classes are checked against the data by the core (`check_data`).
 */
export function modelBeyondPage(model) {
  const problems = [];
  for (const p of PROPS) {
    if (!p.path.startsWith('model.') || (p.only.length && !p.only.includes(model.kind))) continue;
    const v = getPath({ model }, p.path);
    if (v === undefined || v === null) continue;
    const raw = fromConfigValue(p, v);
    const r = parseValue(p, raw);
    if ('error' in r) problems.push(`${p.label} “${clip(raw)}” ${r.error}`);
  }
  return problems;
}

export function fromWorker(model, train, dataset, base = defaults()) {
  const s = { ...base };
  const problems = [];
  const source = { model, train, dataset };
  for (const p of PROPS) {
    const v = getPath(source, p.path);
    if (v === undefined || v === null) continue;
    const raw = fromConfigValue(p, v);
    const r = parseValue(p, raw);
    if ('value' in r) s[p.name] = r.value;
    else problems.push(`${p.label} “${clip(raw)}” ${r.error}`);
  }
  for (const f of FIXED) {
    const v = getPath(source, f.path);
    if (v !== undefined && v !== f.page_default) problems.push(`${f.label} ${clip(String(v))} is not the page's ${f.page_default}`);
  }
  return { state: s, problems };
}
