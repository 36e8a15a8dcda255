// The lessons: each opens its link on the main page and trains its models
// side by side on real MNIST in real workers for a short run; the card judges
// the figures the page measured (`data-result`) by the core's rules, and for
// six lessons those figures are the native core's (whose full-length verdicts
// tests/claims.rs proves). Every side of every lesson, as it is and under its
// neutral link, gets the native core's settings. The index page lists every
// lesson, a lesson link embeds, and the page stays usable on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { cargoNative, setup, until, byTestId, NATIVE, ROOT } from './harness.mjs';
import { CLAIMS } from '../../www/lesson/lessons/claims.js';
import { LESSONS } from '../../www/lesson/lessons/catalogue.js';
import { parseLessonHash } from '../../www/lesson/lesson-link.js';
import { sideState } from '../../www/lesson/compare.js';
import { datasetFacts, toInit } from '../../www/shared/run-settings.js';
import { FILES } from '../../www/worker/dataset-download.js';

let env;
before(async () => {
  env = await setup();
  cargoNative('build', ['--bin', 'ae-playground'], { stdio: 'inherit' });
});
after(() => env?.close());

/** A lesson whose batch count stands still this long (measuring included) has hung. */
const STUCK_MS = 90_000;

/**
 * The measured runs share one context, each on its own page: a lesson opened
 * there again finds the datasets in the Cache API and the core compiled, as a
 * returning visitor does, and costs about 1.5 CPU-seconds less than in a fresh
 * context (16 runs: 15 lessons, 1 at full length). A first visit is first-visit.test.mjs's and offline.test.mjs's.
 */
let runs;
const runContext = async () => (runs ??= await env.browser.newContext({ viewport: { width: 1280, height: 900 } }));

/** Opens a lesson, lets it run to its end, and returns the card's figures; close its page when done. */
async function runLesson(t, name, extra = '', { timeout = 600_000 } = {}) {
  const page = await (await runContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${env.url}#lesson=${name}${extra}`);
  const card = page.locator(`${byTestId('lesson')}[data-lesson="${name}"]`);
  await card.waitFor({ timeout: 30_000 });
  // Done, failed, or stuck: a lesson whose batch count has not moved for a minute has hung, and the
  // test says so then rather than at the overall limit.
  let last = { value: -1, at: Date.now() };
  await until(
    async () => {
      if ((await card.getAttribute('data-result')) !== null) return true;
      if (/^(Could not|Stopped)/.test(await page.locator(`${byTestId('lesson')} ${byTestId('status')}`).textContent())) return true;
      const value = Number(await page.locator(`${byTestId('lesson')} progress`).getAttribute('value'));
      if (value !== last.value) last = { value, at: Date.now() };
      else if (Date.now() - last.at > STUCK_MS) throw new Error(`lesson ${name} made no progress for ${STUCK_MS / 1000} s at ${value} batches`);
      return false;
    },
    { timeout, what: `lesson ${name} measured` },
  );
  const statusText = await page.locator(`${byTestId('lesson')} ${byTestId('status')}`).textContent();
  const raw = await card.getAttribute('data-result');
  assert.ok(raw, `the lesson did not measure: ${statusText}`);
  const result = JSON.parse(raw);
  const holds = await card.getAttribute('data-claim-holds');
  const figure = await page.locator(byTestId('lesson-figure')).textContent();
  t.diagnostic(`${name}: ${figure}`);
  t.diagnostic(`${name}: ${raw}`);
  assert.deepEqual(errors, [], 'no page errors');
  return { page, result, holds, figure };
}

/** A measured lesson (src/claims): the card lists every rule of the core's table with its outcome. */
async function assertJudged(page, name, result, holds) {
  const rules = await page.locator(`${byTestId('lesson-figure')} li[data-rule]`).evaluateAll((ls) => ls.map((l) => [l.dataset.rule, l.dataset.holds]));
  assert.deepEqual(rules.map(([id]) => id), CLAIMS[name].rules.map((r) => r.id), 'one sentence per rule, in order');
  assert.deepEqual(Object.keys(result.values), CLAIMS[name].rules.map((r) => r.id));
  // The card's overall verdict is every sentence's.
  assert.equal(holds, String(rules.every(([, h]) => h === 'true')));
  for (const [id, h] of rules) {
    const rule = CLAIMS[name].rules.find((r) => r.id === id);
    const v = result.values[id];
    const ok = rule.earned && Number.isFinite(v) && (rule.above === null || v > rule.above) && (rule.below === null || v < rule.below);
    assert.equal(h, String(ok), `${id}: ${v} against ${JSON.stringify(rule)}`);
  }
  return rules;
}

// The statistics are native (tests/claims.rs: every lesson at seeds 1-5, the lesson's own among
// them, at its full length, and neutralised). Here every lesson is wired: a short run measures every
// side and the card judges every sentence by the core's rules. For six lessons the page's figures
// after a short run are the native CLI's for the same link and batches (`ae-playground lesson
// --batches`), to rounding: what the page shows is what tests/claims.rs proves.
const SHORT = 20;
const NATIVE_TOO = ['backprop', 'cross-entropy', 'likelihood', 'hashing', 'denoising', 'contractive'];

/** The native CLI's `lesson NAME ...args`: the JSON it prints for each side, by side key. */
function nativeLesson(name, args) {
  const out = execFileSync(path.join(NATIVE, 'ae-playground'), ['lesson', name, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Object.fromEntries([...out.matchAll(/^ {2}(\S+): (\{.*\})$/gm)].map(([, key, json]) => [key, JSON.parse(json)]));
}

/** Every side's figures at `batches`, as the page's data-result holds them. */
const nativeFigures = (name, batches) => nativeLesson(name, ['--batches', String(batches)]);

/** Every side's settings (`--configs`), as {model, train, dataset}. */
const nativeConfigs = (name, neutral) => nativeLesson(name, ['--configs', ...(neutral ? ['--set', 'neutral'] : [])]);

/** The page's figures against the native ones: the same keys, each number the same to rounding (wasm and native GEMMs round alike to ~1e-6; a short run carries it a little further). */
function assertNative(page, native, what) {
  let worst = { d: 0 };
  const walk = (got, want, where) => {
    if (typeof want === 'number' && typeof got === 'number') {
      const d = Math.abs(got - want) / Math.max(1, Math.abs(want));
      if (d > worst.d || Number.isNaN(d)) worst = { d, where, got, want };
    } else if (want && typeof want === 'object') {
      assert.ok(got && typeof got === 'object', `${what}: ${where} is ${JSON.stringify(got)} in the page`);
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${what}: the keys of ${where}`);
      for (const k of Object.keys(want)) walk(got[k], want[k], `${where}.${k}`);
    } else {
      assert.deepEqual(got, want, `${what}: ${where}`);
    }
  };
  walk(page, native, 'figures');
  assert.ok(!(worst.d > TOLERANCE) && !Number.isNaN(worst.d), `${what}: ${worst.where} is ${worst.got} in the page and ${worst.want} natively`);
  return worst;
}
const TOLERANCE = 1e-3;


// What some lessons draw beside their figures, checked on the same short run.
const VIEWS = {
  // Each side's code is shown as 32 bits, and the test images with the fewest differing bits beside it.
  async hashing(page) {
    const bits = await page.locator(byTestId('hashing-bits')).textContent();
    // One group of four bytes per side: 1, 0, or · for a unit still between them.
    assert.equal(bits.match(/: [01·]{8} [01·]{8} [01·]{8} [01·]{8}/g)?.length, 2, bits);
    for (const key of ['bits', 'smooth']) {
      const inked = await page.locator(byTestId(`hamming-${key}`)).evaluate((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 0 && v > 128));
      assert.ok(inked, `${key}: the neighbours are drawn`);
    }
    assert.match(await page.locator(byTestId('hashing-readout')).textContent(), /by pixel distance \(3,136 bytes an image\): [\d.]+; by ITQ’s 32 bits: [\d.]+\./);
    // The precision–recall chart: four curves from the core's figures, each running to recall 1 at the last cut.
    const pr = page.locator(byTestId('hashing-pr'));
    assert.match(await pr.getAttribute('aria-label'), /^Precision against recall\. mAP of the top 1,000: noisy bits [\d.]+, smooth code cut [\d.]+, pixels [\d.]+, ITQ [\d.]+\.$/);
    const { figures } = JSON.parse(await page.locator(`${byTestId('lesson')}[data-lesson="hashing"]`).getAttribute('data-result'));
    for (const [f, prefix] of [[figures.bits, ''], [figures.smooth, ''], [figures.bits, 'pixels '], [figures.bits, 'itq ']]) {
      assert.equal(f[`${prefix}recall@9000`], 1, `${prefix || 'own bits'}: every image ranked`);
      assert.ok(f[`${prefix}precision@1`] > f[`${prefix}precision@9000`], `${prefix || 'own bits'}: precision falls as recall grows`);
    }
    const drawn = await pr.evaluate((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0));
    assert.ok(drawn, 'the chart is drawn');
  },
  // The same codes from N(0, I) decoded by the VAE and by VAE-GAN, with grey, ink and the classifier's reading of each.
  async generation(page) {
    for (const key of ['vae', 'vaegan']) {
      const inked = await page.locator(byTestId(`generated-${key}`)).evaluate((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 0 && v > 128));
      assert.ok(inked, `${key}: its samples are drawn`);
    }
    assert.match(await page.locator(byTestId('generation-readout')).textContent(), /^Grey pixels in 500 samples: VAE [\d.]+%, VAE-GAN [\d.]+% .*Read with probability above 0\.9: VAE [\d.]+%, VAE-GAN [\d.]+%/);
  },
};

for (const name of Object.keys(CLAIMS)) {
  const native = NATIVE_TOO.includes(name);
  test(`${name}: the page measures every side and judges every sentence by the core’s rules${native ? ', with the native figures' : ''}${VIEWS[name] ? ', and draws its views' : ''}; a ${SHORT}-batch run says it is shorter than the lesson`, async (t) => {
    const { page, result, holds, figure } = await runLesson(t, name, `&batches=${SHORT}`);
    assert.deepEqual(Object.keys(result.figures), CLAIMS[name].sides.map((s) => s.key));
    assert.equal(result.batches, SHORT);
    await assertJudged(page, name, result, holds);
    assert.match(figure, new RegExp(`the lesson’s own length is ${CLAIMS[name].batches.toLocaleString('en')} batches`));
    if (native) t.diagnostic(`largest difference from native: ${JSON.stringify(assertNative(result.figures, nativeFigures(name, SHORT), name))}`);
    await VIEWS[name]?.(page);
    await page.close();
  });
}

// Taking away what a lesson credits (its neutral link) must turn its verdict: natively for every
// lesson (tests/claims.rs), which trains each side with the settings `side_configs` gives it
// (src/claims/link.rs). Here: the page gives every side of every lesson, as it is and under its
// neutral link, exactly those settings, as its worker reads them (the lesson link, compare.js's
// sideState, run-settings.js's toInit, then the core's own parser, as worker.js calls it). With the
// same settings the page measures what the native core does: the short runs above compare the
// figures, and tests/web/wasm-core.test.mjs the training. (No training here: the settings are the
// one part a neutral link changes.)
test('every lesson’s sides, as they are and under their neutral link, get the settings the native core trains them with', async (t) => {
  const glue = await import(pathToFileURL(path.join(ROOT, 'site/pkg/plain/ae_playground.js')));
  glue.initSync({ module: readFileSync(path.join(ROOT, 'site/pkg/plain/ae_playground_bg.wasm')) });
  /** A side's settings as the page's worker builds its model from them (worker.js onInit). */
  const inPage = (name, overrides, i) => {
    const link = parseLessonHash(`#lesson=${name}${overrides ? `&${overrides}` : ''}`);
    assert.deepEqual(link.problems, []);
    const { state, problems } = sideState(CLAIMS[name].sides[i].link, link.overrides['abcd'[i]]);
    assert.deepEqual(problems, [], `${name} side ${i}`);
    const init = toInit(state);
    const pg = new glue.Playground(JSON.stringify(init.model), JSON.stringify(init.train));
    const out = { model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()), dataset: init.dataset ?? 'mnist' };
    pg.free();
    return out;
  };
  let changed = 0;
  for (const name of Object.keys(CLAIMS)) {
    const neutral = CLAIMS[name].neutral;
    const [own, off] = [nativeConfigs(name, false), nativeConfigs(name, true)];
    let changedHere = 0;
    CLAIMS[name].sides.forEach((side, i) => {
      assert.deepEqual(inPage(name, '', i), own[side.key], `${name}, side ${side.key}`);
      assert.deepEqual(inPage(name, neutral, i), off[side.key], `${name}, side ${side.key}, under ${neutral}`);
      if (!isDeepStrictEqual(own[side.key], off[side.key])) changedHere++;
    });
    // The comparison can fail: the neutral link changes some side's settings in every lesson.
    assert.ok(changedHere > 0, `${name}: ${neutral} changes no side`);
    changed += changedHere;
  }
  t.diagnostic(`${Object.keys(CLAIMS).length} lessons, ${changed} sides changed by their neutral link`);
});

test('likelihood: the page draws each decoder’s chance of white, and σ = 1’s is a near coin toss everywhere', async (t) => {
  const { page } = await runLesson(t, 'likelihood');
  // The first tile of each side's strip: its chance of white, one canvas pixel per image pixel (0–255).
  const tile = (key) =>
    page.locator(byTestId(`decoder-draws-${key}`)).evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => d[4 * i]);
    });
  const [bernoulli, gaussian] = [await tile('bernoulli'), await tile('gaussian')];
  // σ = 1: Φ((μ − ½)/1) with μ in (0, 1) lies between Φ(−½) = 0.31 and Φ(½) = 0.69 (79 to 176 of 255).
  assert.ok(gaussian.every((v) => v >= 78 && v <= 177), `σ = 1 chances from ${Math.min(...gaussian)} to ${Math.max(...gaussian)}`);
  // The Bernoulli is sure of its black background and of its stroke.
  assert.ok(Math.min(...bernoulli) < 10 && Math.max(...bernoulli) > 245, `Bernoulli chances from ${Math.min(...bernoulli)} to ${Math.max(...bernoulli)}`);
  assert.match(await page.locator(byTestId('likelihood-readout')).textContent(), /as a probability of the image .* in its own terms/);
  await page.close();
});

// Each side is a worker that loads its own data; on a first visit the first side on a data set's
// files downloads them, and the others read what it put in the Cache API. (They all downloaded
// them at once before: this visit fetched 46.2 MB where the page fetches 11.) The fourth side is
// made black and white: the same files under another data set's name.
test('a first visit to a lesson with four sides downloads each data file once', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const from = env.requests.length;
  await page.goto(`${env.url}#lesson=initialisation&batches=5&d.dataset=mnist_binary`);
  const card = page.locator(`${byTestId('lesson')}[data-lesson="initialisation"]`);
  await until(async () => (await card.getAttribute('data-result')) !== null, { timeout: 120_000, what: 'the lesson measured' });
  const folder = `/data/${datasetFacts('mnist').dir}/`;
  const counts = {};
  for (const p of env.requests.slice(from).filter((p) => p.startsWith(folder))) counts[p] = (counts[p] ?? 0) + 1;
  assert.deepEqual(counts, Object.fromEntries(FILES.map((f) => [`${folder}${f}.gz`, 1])));
  await context.close();
});

test('the index lists every lesson in the lecture’s order, and each link opens its lesson', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}lessons.html`);
  const names = await page.locator(`${byTestId('lesson-index')} a`).evaluateAll((as) => as.map((a) => a.dataset.lesson));
  assert.deepEqual(names, LESSONS.map((l) => l.name));
  assert.deepEqual(names, ['gradient-descent', 'backprop', 'cross-entropy', 'initialisation', 'likelihood', 'manifold', 'denoising', 'contractive', 'ae-vs-vae', 'beta', 'cvae', 'aae', 'generation', 'retrieval', 'hashing']);
  // The index shows each lesson's evidence: every lesson is judged, one line per measured sentence.
  for (const name of names) {
    assert.ok(CLAIMS[name], `${name} has rules in the core (src/claims)`);
    assert.equal(await page.locator(`[data-evidence="${name}"] li`).count(), CLAIMS[name].rules.length, name);
  }
  assert.match(await page.locator('#embed-snippet').textContent(), /<iframe src="[^"]+#lesson=denoising&embed=1"/);
  await page.locator(`${byTestId('lesson-index')} a[data-lesson="beta"]`).click();
  await page.locator(`${byTestId('lesson')}[data-lesson="beta"]`).waitFor({ timeout: 30_000 });
  await context.close();
});

test('a lesson link waits with autoplay=0, honours per-side overrides and reports bad ones; the old loss lab redirects', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}losses.html`);
  await page.locator(`${byTestId('lesson')}[data-lesson="cross-entropy"]`).waitFor({ timeout: 30_000 });
  await page.goto(`${env.url}#lesson=denoising&autoplay=0&b.noise_level=7&batches=20`);
  const card = page.locator(byTestId('lesson'));
  await until(async () => /^Ready: 20 batches/.test(await card.locator(byTestId('status')).textContent()), { timeout: 60_000, what: 'ready and waiting' });
  assert.match(await card.locator('.notice').textContent(), /noise/i);
  // A lesson that autoplays starts in the same turn that says Ready (lesson-page.js start()),
  // so its Run button would already read Pause.
  assert.match(await page.locator(byTestId('lesson-run')).textContent(), /Run/, 'autoplay=0 does not start');
  assert.match(await card.locator(byTestId('status')).textContent(), /^Ready/);
  await page.locator(byTestId('lesson-run')).click();
  await until(async () => (await card.getAttribute('data-result')) !== null, { timeout: 120_000, what: '20 batches measured' });
  assert.equal(JSON.parse(await card.getAttribute('data-result')).batches, 20);
  await context.close();
});

test('a lesson link repeating a bad pair hundreds of times gets a short note: five problems and how many more', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}#lesson=denoising&autoplay=0&${Array(300).fill('zz=1').join('&')}`);
  const card = page.locator(byTestId('lesson'));
  await until(async () => /^Ready/.test(await card.locator(byTestId('status')).textContent()), { timeout: 60_000, what: 'ready and waiting' });
  const note = await card.locator('.notice').textContent();
  assert.equal(note.match(/ignored “zz”/g)?.length, 5, note.slice(0, 300));
  assert.match(note, /and 295 more problems$/);
  await context.close();
});

test('an embedded lesson shows only its card and views, with a link back to the full playground', async () => {
  const context = await env.browser.newContext({ viewport: { width: 720, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.url}#lesson=contractive&embed=1&autoplay=0`);
  await page.locator(byTestId('lesson')).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('.lesson-nav').isVisible(), false);
  const back = page.locator('.embed-only a');
  assert.equal(await back.isVisible(), true);
  assert.doesNotMatch(await back.getAttribute('href'), /embed=1/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 720, `no horizontal scroll (${width})`);
  await context.close();
});

test('an unknown lesson says so and lists the real ones', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}#lesson=%3Cimg%20src=x%3E`);
  await until(async () => (await page.locator('[role="alert"]').count()) > 0, { what: 'the message' });
  assert.match(await page.locator('[role="alert"]').textContent(), /no lesson called/);
  assert.equal(await page.locator('[role="alert"] li').count(), LESSONS.length);
  assert.equal(await page.locator('img').count(), 0);
  await context.close();
});

test('compare mode: the playground links to it, and two models from one link train in step and are both measured', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}#model=cae&hidden=64&latent=4&seed=9&autoplay=0`);
  const link = page.locator(byTestId('compare-link'));
  await until(async () => /a\.model=/.test(await link.getAttribute('href')), { timeout: 30_000, what: 'the compare link filled in' });
  const href = await link.getAttribute('href');
  assert.match(href, /^#compare=1&/);
  assert.match(href, /&a\.model=cae&/);
  assert.match(href, /&b\.model=vae&/);
  assert.match(href, /&b\.seed=9(&|$)/);
  await page.goto(`${env.url}#compare=1&a.model=ae&a.hidden=64&a.latent=2&b.model=vae&b.hidden=64&b.latent=2&batches=40`);
  const card = page.locator(byTestId('lesson'));
  await until(async () => (await card.getAttribute('data-result')) !== null, { timeout: 120_000, what: 'both measured' });
  const result = JSON.parse(await card.getAttribute('data-result'));
  assert.equal(result.batches, 40);
  assert.equal(result.testLoss.length, 2);
  for (const l of result.testLoss) assert.ok(l > 50 && l < 600, `test loss ${l}`);
  assert.equal(await card.getAttribute('data-claim-holds'), null, 'a free comparison makes no claim');
  assert.equal(await page.locator('.lesson-side').count(), 2);
  await context.close();
});

test('compare mode has a form for both models: a bare #compare=1 compares two models that differ in one setting, and the form rewrites the link', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}#compare=1&autoplay=0`);
  const form = page.locator(byTestId('compare-form'));
  await form.waitFor({ timeout: 30_000 });
  const values = (side) => form.locator(`${byTestId(`compare-side-${side}`)} :is(input, select)`).evaluateAll((xs) => Object.fromEntries(xs.map((x) => [x.name.slice(2), x.value])));
  const a = await values('a');
  const b = await values('b');
  assert.deepEqual(Object.keys(a), ['model', 'hidden', 'latent', 'lr'], 'the basic settings of the table');
  assert.deepEqual(Object.keys(a).filter((k) => a[k] !== b[k]), ['model'], `A ${JSON.stringify(a)} and B ${JSON.stringify(b)} differ in one setting`);

  // A bad value is refused with the reason, and the link stays.
  const before = await page.evaluate(() => location.hash);
  await form.locator('[name="b.hidden"]').fill('abc');
  await form.getByRole('button', { name: 'Compare these' }).click();
  assert.match(await form.locator('[role="status"]').textContent(), /^Not compared: Model B, hidden layer sizes: must be /);
  assert.equal(await page.evaluate(() => location.hash), before);

  await form.locator('[name="b.hidden"]').fill('32');
  await form.locator('[name="b.latent"]').fill('4');
  // The new link reloads the page: the fields below are the new page's, read from the link.
  await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Compare these' }).click()]);
  assert.match(await page.evaluate(() => location.hash), /b\.latent=4/);
  await page.locator(byTestId('compare-form')).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[name="b.latent"]').inputValue(), '4');
  assert.equal(await page.locator('[name="b.hidden"]').inputValue(), '32');
  assert.equal(await page.locator('[name="b.model"]').inputValue(), b.model, 'B keeps its model');
  await context.close();
});
