// The URL hash <-> configuration: a link round-trips, and anything malformed
// or hostile falls back to the default field by field. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROPS, defaults, parseHash, toHash, toInit, fromWorker, parseValue, MAX_HASH_LENGTH } from '../../www/shared/run-settings.js';
import { SETTINGS } from '../../www/shared/settings-table.js';

test('a configuration survives the round trip through the hash', () => {
  const s = { ...defaults(), model: 'cvae', hidden: [512, 128], latent: 8, lr: 0.0003, batch: 64, seed: 1234567, dataset: 'fashion', decoder: 'gaussian', init: 'normal:0.02' };
  const { state, problems } = parseHash(toHash(s));
  assert.deepEqual(problems, []);
  assert.deepEqual(state, s);
});

test('an empty hash gives the defaults', () => {
  assert.deepEqual(parseHash('').state, defaults());
  assert.deepEqual(parseHash('#').state, defaults());
});

test('hostile values fall back to defaults, each with a plain-text problem', () => {
  const { state, problems } = parseHash('#lr=NaN&model=%3Cscript%3Ealert(1)%3C%2Fscript%3E&hidden=999999999&latent=2&seed=-1&batch=1e999&noise_level=Infinity&dataset=..%2F..%2Fetc');
  const d = defaults();
  for (const k of ['lr', 'model', 'hidden', 'seed', 'batch', 'noise_level', 'dataset']) assert.deepEqual(state[k], d[k], k);
  assert.equal(state.latent, 2);
  assert.equal(problems.length, 7);
  assert.ok(problems.some((p) => p.includes('<script>')), 'the notice quotes the bad value (shown as text)');
});

test('numbers are range-checked and only plain decimals are accepted', () => {
  const bad = ['0x10', '', ' ', '1e999', 'Infinity', '1,5', '--1'];
  for (const raw of bad) assert.equal(parseHash(`#batch=${encodeURIComponent(raw)}`).state.batch, defaults().batch, raw);
  assert.equal(parseHash('#lr=1e-3').state.lr, 0.001);
  assert.equal(parseHash('#latent=65').state.latent, defaults().latent);
  assert.equal(parseHash('#latent=2.5').state.latent, defaults().latent);
  assert.equal(parseHash('#hidden=1,2,3,4,5').state.hidden.join(), defaults().hidden.join());
  assert.deepEqual(parseHash('#hidden=300,%20100').state.hidden, [300, 100]);
});

test('unknown keys and undecodable escapes do not break the rest, and are reported', () => {
  const { state, problems } = parseHash('#foo=bar&seed=%E0%A4%A&latent=3&__proto__=1&constructor=x');
  assert.equal(state.latent, 3);
  assert.equal(state.seed, defaults().seed);
  assert.equal(problems.length, 2);
  assert.match(problems[1], /does not know: “foo”, “__proto__”, “constructor”/);
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
});

test('#garbage and a 200,000-character hash give the defaults, each with a problem that says so', () => {
  const garbage = parseHash('#garbage');
  assert.deepEqual(garbage.state, defaults());
  assert.deepEqual(garbage.problems, ['The link (“garbage”) names no setting this page knows; using the defaults.']);

  const huge = '#model=ae&' + 'a'.repeat(200_000);
  const long = parseHash(huge);
  assert.deepEqual(long.state, defaults(), 'not even the valid model=ae at its start is read');
  assert.equal(long.problems.length, 1);
  assert.match(long.problems[0], /200,009 characters long, more than the 2,000/);
  // At the cap it is still read.
  const atCap = '#model=ae&x=' + 'a'.repeat(MAX_HASH_LENGTH - 'model=ae&x='.length);
  assert.equal(parseHash(atCap).state.model, 'ae');
});

test('an over-long value is refused unread, and hostile numbers are checked in linear time', () => {
  const { state, problems } = parseHash('#latent=' + '1'.repeat(101) + '&batch=64');
  assert.equal(state.latent, defaults().latent);
  assert.equal(state.batch, 64);
  assert.match(problems[0], /latent size: a value of 101 characters is too long/);
  // Inputs that make backtracking number patterns quadratic or worse are refused with a reason
  // (how fast is scripts/bench-hash.mjs's to print, not a test's to assert).
  const p = PROPS.find((q) => q.name === 'lr');
  assert.ok(parseValue(p, '1'.repeat(99) + 'x').error, 'a near-number is refused');
});

test('six 100,000-digit numbers in a link are refused unread by parseHash (which load and hashchange both call)', () => {
  // They once took 69 s in a backtracking pattern. The hash cap refuses the link before any value is
  // read, and a value handed straight to parseValue is refused by its length before any pattern runs;
  // scripts/bench-hash.mjs prints how long both take.
  const digits = '1'.repeat(100_000);
  const link = '#' + ['lr', 'batch', 'seed', 'latent', 'noise_level', 'contractive'].map((k) => `${k}=${digits}`).join('&');
  const { state, problems } = parseHash(link);
  for (const name of ['lr', 'batch', 'seed', 'latent']) assert.deepEqual(parseValue(PROPS.find((q) => q.name === name), digits).error.slice(0, 12), 'is too long;');
  assert.deepEqual(state, defaults());
  assert.match(problems[0], /characters long, more than the 2,000/);
});

test("errors say what is allowed, with the page's limits from the table", () => {
  const lr = PROPS.find((q) => q.name === 'lr');
  assert.deepEqual(parseValue(lr, '-1'), { error: 'must be between 0.000001 and 10' });
  assert.deepEqual(parseValue(lr, '10'), { value: 10 });
  assert.deepEqual(parseValue(lr, '1e-6'), { value: 1e-6 });
  const hidden = PROPS.find((q) => q.name === 'hidden');
  assert.match(parseValue(hidden, '1,2,3,4,5').error, /up to 4 whole numbers between 1 and 2048/);
  const init = PROPS.find((q) => q.name === 'init');
  assert.deepEqual(parseValue(init, 'uniform:0.05'), { value: 'uniform:0.05' });
  for (const bad of ['uniform', 'uniform:0', 'he:1', 'lecun', 'normal:1e999']) assert.ok('error' in parseValue(init, bad), bad);
});

test('the props are the generated table: page limits, choices and defaults, nothing retyped', () => {
  const shown = SETTINGS.filter((s) => !s.fixed);
  assert.deepEqual(PROPS.map((p) => p.name), shown.map((s) => s.key));
  for (const [p, s] of PROPS.map((p, i) => [p, shown[i]])) {
    assert.deepEqual(p.default, s.page_default, p.name);
    if (s.type === 'choice') assert.deepEqual(p.options, s.page_choices, p.name);
    else assert.deepEqual([p.min, p.max], [s.page_min, s.page_max], p.name);
  }
  const model = PROPS.find((p) => p.name === 'model');
  assert.ok(!model.options.includes('classifier') && SETTINGS.find((s) => s.key === 'model').choices.includes('classifier'));
  // Every value just outside a page limit is refused, every value at it accepted.
  for (const p of PROPS.filter((q) => q.type === 'int' || q.type === 'float')) {
    assert.ok('value' in parseValue(p, String(p.min)) && 'value' in parseValue(p, String(p.max)), p.name);
    const step = p.type === 'int' ? 1 : Math.max(Math.abs(p.max), 1) * 1e-9;
    assert.ok('error' in parseValue(p, String(p.max + step)), `${p.name} above ${p.max}`);
    if (p.min > 0 || p.type === 'int') assert.ok('error' in parseValue(p, String(p.min - (p.type === 'int' ? 1 : p.min / 2))), `${p.name} below ${p.min}`);
    else assert.ok('error' in parseValue(p, '-0.001'), `${p.name} below 0`);
  }
});

test('every prop has a default inside its own range or options', () => {
  for (const p of PROPS) {
    const { state, problems } = parseHash(toHash(defaults()));
    assert.deepEqual(problems, [], p.name);
    assert.deepEqual(state[p.name], p.default, p.name);
  }
});

test("the init message carries the config by the table's paths; a worker config maps back", () => {
  const s = { ...defaults(), model: 'dae', hidden: [100], lr: 0.01, init: 'uniform:0.05', dataset: 'fashion' };
  const m = toInit(s);
  assert.deepEqual(Object.keys(m).sort(), ['dataset', 'model', 'train', 'type']);
  assert.equal(m.type, 'init');
  assert.equal(m.dataset, 'fashion');
  assert.deepEqual(m.model, {
    kind: 'dae', hidden: [100], latent: 2, activation: 'relu', init: { kind: 'uniform', scale: 0.05 }, decoder: 'bernoulli',
    noise: 'mask', noise_level: 0.3, contractive: 0.1, beta: 1, prior: 'gaussian', aae_labels: false, disc_hidden: [400, 400], disc_conv: [],
    gamma: 0.1, pixel_weight: 0.1, balance_equilibrium: 0.68, balance_margin: 0.35, code_noise: 16, input: 784, classes: 10,
  });
  assert.deepEqual(m.train, { optimizer: 'adam', lr: 0.01, disc_lr: 0.001, gen_steps: 1, lr_decay: 0.8, batch: 100, seed: 1, batch_order: 'after_init' });
  m.model.hidden.push(7);
  assert.deepEqual(s.hidden, [100], "the message does not share the state's arrays");
  m.model.hidden.pop();
  // The whole round trip: state -> init message -> state.
  assert.deepEqual(fromWorker(m.model, m.train, m.dataset), { state: s, problems: [] });
  // f32 noise from the worker is rounded back to the shared value.
  const { state: back, problems } = fromWorker({ ...m.model, noise_level: 0.30000001192092896 }, { ...m.train, lr: 0.009999999776482582 }, 'mnist');
  assert.deepEqual(problems, []);
  assert.equal(back.lr, 0.01);
  assert.equal(back.noise_level, 0.3);
  assert.equal(back.model, 'dae');
});

test('a model file beyond the controls (a classifier, 4096 wide, 12 classes) is reported, not silently misdescribed', () => {
  const { state: s, problems } = fromWorker({ kind: 'classifier', hidden: [4096], latent: 2, classes: 12, init: { kind: 'normal', std: 0.009999999776482582 } }, { lr: 0.001 }, 'mnist');
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.ok(problems[2].includes('number of classes 12'), problems[2]);
  assert.equal(s.init, 'normal:0.01');
  assert.equal(s.model, defaults().model);
  assert.deepEqual(s.hidden, defaults().hidden);
});

test('autoplay is a link flag, not a setting: read without a problem, never written', () => {
  const r = parseHash('#model=ae&autoplay=0');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.flags, { autoplay: '0' });
  assert.equal(r.settings, 1);
  assert.ok(!toHash(r.state).includes('autoplay'));
  const bad = parseHash('#model=ae&autoplay=maybe');
  assert.equal(bad.problems.length, 1, 'a flag with a value it does not take is reported like any unknown key');
});
