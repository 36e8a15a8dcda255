// The URL hash <-> configuration: a link round-trips, and anything malformed
// or hostile falls back to the default field by field. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROPS, defaults, parseHash, toHash, toInit, fromWorker } from '../../www/state.js';

test('a configuration survives the round trip through the hash', () => {
  const s = { ...defaults(), model: 'cvae', hidden: [512, 128], latent: 8, lr: 0.0003, batch: 64, seed: 1234567, dataset: 'fashion', decoder: 'gaussian' };
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

test('unknown keys and undecodable escapes do not break the rest', () => {
  const { state, problems } = parseHash('#foo=bar&seed=%E0%A4%A&latent=3&__proto__=1&constructor=x');
  assert.equal(state.latent, 3);
  assert.equal(state.seed, defaults().seed);
  assert.equal(problems.length, 1);
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
});

test('every prop has a default inside its own range or options', () => {
  for (const p of PROPS) {
    const { state, problems } = parseHash(toHash(defaults()));
    assert.deepEqual(problems, [], p.name);
    assert.deepEqual(state[p.name], p.default, p.name);
  }
});

test('the init message carries the config; a worker config maps back', () => {
  const s = { ...defaults(), model: 'dae', hidden: [100], lr: 0.01 };
  const m = toInit(s);
  assert.equal(m.type, 'init');
  assert.equal(m.model.kind, 'dae');
  assert.deepEqual(m.model.hidden, [100]);
  assert.equal(m.train.lr, 0.01);
  // f32 noise from the worker is rounded back to the shared value.
  const { state: back, problems } = fromWorker({ ...m.model, noise_level: 0.30000001192092896 }, { ...m.train, lr: 0.009999999776482582 }, 'mnist');
  assert.deepEqual(problems, []);
  assert.equal(back.lr, 0.01);
  assert.equal(back.noise_level, 0.3);
  assert.equal(back.model, 'dae');
});

test('a model file beyond the controls (a classifier, 4096 wide) is reported, not silently misdescribed', () => {
  const { state: s, problems } = fromWorker({ kind: 'classifier', hidden: [4096], latent: 2 }, { lr: 0.001 }, 'mnist');
  assert.equal(problems.length, 2);
  assert.equal(s.model, defaults().model);
  assert.deepEqual(s.hidden, defaults().hidden);
});
