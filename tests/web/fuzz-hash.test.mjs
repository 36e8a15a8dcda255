// The URL-hash parsers survive mutated links: a seeded mutation fuzzer runs
// www/shared/run-settings.js `parseHash` (and the lesson link's `parseLessonHash` and
// compare mode's `sideState`, which end in it) on mutants of real links. No
// browser: the modules import in Node. It counts what must stay at zero:
//   throws    a parser threw (a link must never break the page)
//   invalid   parseHash returned a state the page would refuse: a value that
//             does not survive formatValue -> parseValue, or a state whose
//             own hash (toHash) does not parse back to it without problems
//   slow      a case slower than FUZZ_SLOW_MS (long runs only; the suite
//             reports the slowest case but never fails on the machine's speed)
// JavaScript has no allocation hook; the hash is capped (MAX_HASH_LENGTH) and
// the largest result (state and problems as JSON) is reported instead.
//
// In the test suite: FUZZ_CASES cases (default 10,000, a fixed number so the
// work does not depend on the machine), seed FUZZ_SEED (default 1);
// FUZZ_SECONDS stops earlier if set. A long run:
//   FUZZ_CASES=200000 FUZZ_SLOW_MS=1000 node --test tests/web/fuzz-hash.test.mjs
// Failing cases are written to target/fuzz-failures/hash-*.json (the hash as
// a JSON string); FUZZ_REPLAY=that-file runs one again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROPS, defaults, parseHash, parseValue, formatValue, toHash, toInit, MAX_HASH_LENGTH, MAX_VALUE_LENGTH } from '../../www/shared/run-settings.js';
import { parseLessonHash } from '../../www/lesson/lesson-link.js';
import { sideState } from '../../www/lesson/compare.js';
import { LESSONS } from '../../www/lesson/lessons/catalogue.js';

const env = (name, fallback) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : fallback);
const FAILURE_DIR = fileURLToPath(new URL('../../target/fuzz-failures/', import.meta.url));

/** mulberry32: a small seeded generator, so a seed and a case number give the same link. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)], chance: (p) => next() < p };
}

/** Real links: the defaults, the state tests' links, every lesson's sides, compare and lesson links. */
async function corpus() {
  const links = [
    toHash(defaults()),
    '#model=cvae&hidden=512%2C128&latent=8&lr=0.0003&batch=64&seed=1234567&dataset=fashion&decoder=gaussian&init=normal%3A0.02',
    '#lr=NaN&model=%3Cscript%3Ealert(1)%3C%2Fscript%3E&hidden=999999999&latent=2&seed=-1&batch=1e999&noise_level=Infinity&dataset=..%2F..%2Fetc',
    '#foo=bar&seed=%E0%A4%A&latent=3&__proto__=1&constructor=x',
    '#autoplay=0&model=aae&prior=mog10&aae_labels=1&disc_hidden=64,64&gen_steps=2&disc_lr=0.0005',
    '#model=dae&noise=gaussian&noise_level=0.5&activation=leaky_relu&optimizer=momentum',
    '#compare=1&a.model=ae&b.model=vae&b.latent=16',
    '#lesson=denoising&b.noise_level=0.7&batches=1000&autoplay=0&embed=1',
    '',
    '#',
  ];
  for (const p of PROPS) {
    for (const o of p.options ?? []) links.push(`#${p.name}=${encodeURIComponent(o)}`);
    links.push(`#${p.name}=${encodeURIComponent(formatValue(p, p.default))}`);
  }
  for (const l of LESSONS) {
    const lesson = await import(`../../www/lesson/lessons/${l.name}.js`);
    for (const s of lesson.sides ?? []) links.push('#' + s.hash);
    links.push(`#lesson=${l.name}&a.lr=0.01&batches=200`);
  }
  return links;
}

const KEYS = [...PROPS.map((p) => p.name), 'autoplay', 'lesson', 'compare', 'embed', 'batches', 'a.lr', 'b.model', 'c.latent', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', ''];
const VALUES = [
  ...PROPS.flatMap((p) => p.options ?? []),
  '0', '-0', '1', '-1', '1e-6', '1e-7', '0.000001', '4096', '4097', '1024', '1025', '1e3', '1e999', '1.', '.5', '+1', '00001', '9'.repeat(400), '1'.repeat(MAX_VALUE_LENGTH),
  'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '1_000', '1,2,3,4,5', '1,2,3,4,5,6,7,8,9', ',', ',,', ' 8 ', '%', '%%', '%E0%A4%A', '%00', '%F0%9F%98%80', '%2C', '%26', '%3D',
  '+', '++', 'normal:0.01', 'normal:', 'normal:1e-7', 'uniform:10', 'uniform:10.000001', 'he:1', ':', 'true', 'false', 'null', 'undefined', '\u0000', '\ud800', '١٢', '１２',
  '<img src=x onerror=alert(1)>',
];
const CHARS = ['&', '=', '#', '%', '+', ',', '.', ':', ' ', '0', '9', 'e', '-', '\u0000', '\ud83d', '\ude00', 'é', '\n'];

/** encodeURIComponent, which throws on a lone surrogate: then the text as it is. */
function enc(s) {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

function pairsOf(hash) {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  return body === '' ? [] : body.split('&');
}

/** One mutation of a link. */
function mutateOnce(r, hash, links) {
  const pairs = pairsOf(hash);
  const join = (ps) => '#' + ps.join('&');
  const at = (n) => r.below(n + 1);
  switch (r.below(12)) {
    case 0: // a value replaced
      if (pairs.length) {
        const i = r.below(pairs.length);
        const key = pairs[i].split('=')[0];
        pairs[i] = `${key}=${r.chance(0.7) ? enc(r.pick(VALUES)) : r.pick(VALUES)}`;
        return join(pairs);
      }
      return `#${r.pick(KEYS)}=${r.pick(VALUES)}`;
    case 1: // a key replaced
      if (pairs.length) {
        const i = r.below(pairs.length);
        const eq = pairs[i].indexOf('=');
        pairs[i] = r.pick(KEYS) + (eq < 0 ? '' : pairs[i].slice(eq));
        return join(pairs);
      }
      return hash + r.pick(KEYS);
    case 2: // a pair added
      pairs.splice(at(pairs.length), 0, `${r.pick(KEYS)}=${enc(r.pick(VALUES))}`);
      return join(pairs);
    case 3: // a pair deleted or duplicated
      if (pairs.length) {
        const i = r.below(pairs.length);
        if (r.chance(0.5)) pairs.splice(i, 1);
        else pairs.splice(at(pairs.length), 0, pairs[i]);
      }
      return join(pairs);
    case 4: // characters inserted
      {
        const i = at(hash.length);
        const s = Array.from({ length: 1 + r.below(4) }, () => r.pick(CHARS)).join('');
        return hash.slice(0, i) + s + hash.slice(i);
      }
    case 5: // characters deleted
      {
        const i = at(hash.length);
        return hash.slice(0, i) + hash.slice(i + 1 + r.below(8));
      }
    case 6: // a random code unit written over one
      {
        const i = r.below(Math.max(1, hash.length));
        return hash.slice(0, i) + String.fromCharCode(r.below(0x10000)) + hash.slice(i + 1);
      }
    case 7: // a part repeated, towards and past the length caps
      {
        const i = at(hash.length);
        const j = Math.min(hash.length, i + 1 + r.below(40));
        const times = r.pick([2, 10, 50, 100, 400, 2000]);
        return (hash.slice(0, j) + hash.slice(i, j).repeat(times) + hash.slice(j)).slice(0, r.pick([MAX_HASH_LENGTH, MAX_HASH_LENGTH + 1, MAX_HASH_LENGTH + 2, 20000]));
      }
    case 8: // percent-encoding applied, or broken
      {
        const i = at(hash.length);
        const j = Math.min(hash.length, i + 1 + r.below(20));
        const mid = r.chance(0.5) ? enc(hash.slice(i, j)) : hash.slice(i, j).replaceAll('%', r.pick(['%%', '%2', '%G0', '']));
        return hash.slice(0, i) + mid + hash.slice(j);
      }
    case 9: // a splice with another link
      {
        const other = r.pick(links);
        return hash.slice(0, at(hash.length)) + other.slice(at(other.length));
      }
    case 10: // truncated
      return hash.slice(0, at(hash.length));
    default: // a value padded to the value cap
      if (pairs.length) {
        const i = r.below(pairs.length);
        pairs[i] += r.pick(['0', ' ', '%20', ',1']).repeat(r.pick([1, MAX_VALUE_LENGTH / 2, MAX_VALUE_LENGTH - 8, MAX_VALUE_LENGTH]));
      }
      return join(pairs);
  }
}

function caseInput(links, seed, i) {
  if (i < links.length) return links[i];
  const r = generator((Math.imul(seed, 0x9e3779b1) ^ Math.imul(i, 0x85ebca6b) ^ 0x5bd1e995) >>> 0);
  let h = r.pick(links);
  for (let k = 1 + r.below(4); k > 0; k--) h = mutateOnce(r, h, links);
  return h;
}

/** Runs one link through every parser; returns the problem found, or null, and the result's size. */
function runCase(hash, parse = parseHash) {
  let size;
  try {
    const { state, problems, flags, settings } = parse(hash);
    if (!Array.isArray(problems) || problems.some((p) => typeof p !== 'string')) return { kind: 'invalid', detail: 'problems are not strings' };
    if (typeof flags !== 'object' || !Number.isInteger(settings)) return { kind: 'invalid', detail: 'flags or settings missing' };
    for (const p of PROPS) {
      const r = parseValue(p, formatValue(p, state[p.name]));
      if (!('value' in r) || JSON.stringify(r.value) !== JSON.stringify(state[p.name])) {
        return { kind: 'invalid', detail: `${p.name} = ${JSON.stringify(state[p.name])} is not a value the page accepts` };
      }
    }
    const again = parseHash(toHash(state));
    if (again.problems.length || JSON.stringify(again.state) !== JSON.stringify(state)) {
      return { kind: 'invalid', detail: `the state's own hash does not read back: ${again.problems.join('; ')}` };
    }
    toInit(state);
    size = JSON.stringify({ state, problems }).length;
    const lesson = parseLessonHash(hash);
    for (const side of ['a', 'b', 'c']) sideState(toHash(defaults()).slice(1), lesson.overrides[side]);
    if (lesson.batches !== null && !Number.isInteger(lesson.batches)) return { kind: 'invalid', detail: `batches ${lesson.batches}` };
  } catch (e) {
    return { kind: 'throw', detail: String(e?.stack ?? e) };
  }
  return { kind: null, size };
}

export async function fuzz({ seed, cases, seconds, slowMs = 0 }) {
  const links = await corpus();
  const report = { cases: 0, throws: 0, invalid: 0, slow: 0, slowestMs: 0, slowestCase: -1, largestResult: 0, failures: [] };
  const t0 = performance.now();
  for (let i = 0; i < cases; i++) {
    if (seconds > 0 && performance.now() - t0 >= seconds * 1000) break;
    const hash = caseInput(links, seed, i);
    const t = performance.now();
    const out = runCase(hash);
    const ms = performance.now() - t;
    report.cases++;
    if (ms > report.slowestMs) [report.slowestMs, report.slowestCase] = [ms, i];
    report.largestResult = Math.max(report.largestResult, out.size ?? 0);
    const fails = [];
    if (out.kind === 'throw') (report.throws++, fails.push(out));
    if (out.kind === 'invalid') (report.invalid++, fails.push(out));
    if (slowMs > 0 && ms > slowMs) (report.slow++, fails.push({ kind: 'slow', detail: `${ms.toFixed(0)} ms` }));
    for (const f of fails) {
      if (report.failures.length >= 20) break;
      mkdirSync(FAILURE_DIR, { recursive: true });
      const file = `${FAILURE_DIR}hash-seed${seed}-case${i}-${f.kind}.json`;
      writeFileSync(file, JSON.stringify(hash));
      report.failures.push({ case: i, ...f, file });
    }
  }
  report.wallS = (performance.now() - t0) / 1000;
  report.slowMs = slowMs;
  return report;
}

function describe(r, seed) {
  const head = `hash: ${r.cases} cases (seed ${seed}), ${r.throws} throws, ${r.invalid} invalid states, ${r.slowMs > 0 ? `${r.slow} slower than ${r.slowMs} ms` : 'slowness not checked'} (slowest ${r.slowestMs.toFixed(2)} ms, case ${r.slowestCase}), largest result ${r.largestResult} characters, ${r.wallS.toFixed(1)} s`;
  return [head, ...r.failures.map((f) => `  ${f.kind} in case ${f.case}: ${f.detail.split('\n')[0]} (${f.file})`)].join('\n');
}

if (process.env.FUZZ_REPLAY) {
  test('replay one link', () => {
    const hash = JSON.parse(readFileSync(process.env.FUZZ_REPLAY, 'utf8'));
    const out = runCase(hash);
    console.log(JSON.stringify(hash), out);
    assert.equal(out.kind, null, out.detail);
  });
} else {
  test('the URL-hash parsers never throw and always give a state the page accepts', async () => {
    const seed = env('FUZZ_SEED', 1);
    const r = await fuzz({ seed, cases: env('FUZZ_CASES', 10000), seconds: env('FUZZ_SECONDS', 0), slowMs: env('FUZZ_SLOW_MS', 0) });
    console.log(describe(r, seed));
    assert.equal(r.throws + r.invalid + r.slow, 0, describe(r, seed));
  });

  test('the checks can fail: a parser that throws or lets a bad value through is caught', () => {
    assert.equal(runCase('#latent=3').kind, null);
    const throws = () => {
      throw new Error('deliberate');
    };
    assert.equal(runCase('#latent=3', throws).kind, 'throw');
    const lets = (h) => ({ ...parseHash(h), state: { ...parseHash(h).state, latent: 1e9 } });
    assert.equal(runCase('#latent=3', lets).kind, 'invalid');
    assert.equal(caseInput(['#a=1', '#b=2'], 1, 10), caseInput(['#a=1', '#b=2'], 1, 10), 'a seed and a case number give one link');
  });
}
