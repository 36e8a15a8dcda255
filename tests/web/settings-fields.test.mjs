// The settings form built from the table: one labelled field per setting with
// its limits in the help, values written and read back, and an invalid field
// explained next to itself (aria-describedby, aria-invalid) while the form
// reports that the whole is not valid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open } from './harness.mjs';

let env;
let page;
before(async () => {
  env = await setup();
  page = await open(env, '', { ready: false });
  // A form of its own, away from the page's: the module alone is under test.
  await page.evaluate(async () => {
    const { createForm } = await import('./page/settings-fields.js');
    const state = await import('./shared/run-settings.js');
    const el = document.createElement('form');
    el.id = 'test-form';
    el.className = 'config'; // the page's form class, so the page's style sheet applies as it does there
    document.body.append(el);
    window.__changes = [];
    window.__form = createForm(el, { onChange: (s, r) => window.__changes.push({ state: s, ...r }) });
    window.__form.write(state.defaults());
    window.__state = state;
  });
});
after(() => env?.close());

const change = (name, value) =>
  page.evaluate(([name, value]) => {
    const input = document.querySelector(`#test-form [name="${name}"]`);
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return window.__changes.at(-1);
  }, [name, value]);

test('one labelled field per setting of the table, with its limits in the help', async () => {
  const fields = await page.evaluate(() =>
    [...document.querySelectorAll('#test-form .field')].map((row) => ({
      name: row.querySelector('[name]').name,
      label: row.querySelector('label').textContent,
      labelled: row.querySelector('label').control === row.querySelector('[name]'),
      help: row.querySelector('.hint').textContent,
    })),
  );
  // The basic settings first, the rest folded under "More settings".
  const props = await page.evaluate(() => [...window.__state.PROPS.filter((p) => p.basic), ...window.__state.PROPS.filter((p) => !p.basic)].map((p) => p.name));
  assert.deepEqual(fields.map((f) => f.name), props);
  assert.deepEqual(props.slice(0, 4), ['model', 'hidden', 'latent', 'lr']);
  const folded = await page.evaluate(() => [...document.querySelectorAll('#test-form details.more-settings [name]')].map((i) => i.name));
  assert.deepEqual(folded, props.slice(4));
  assert.ok(props.includes('init') && props.includes('dataset'));
  for (const f of fields) assert.ok(f.labelled, `${f.name} has a label bound to it`);
  const lr = fields.find((f) => f.name === 'lr');
  assert.equal(lr.label, 'Learning rate');
  // Help for a learner, with the limits in plain numbers, and no list of codes where a menu shows the choices.
  assert.match(lr.help, /^How big a step .* From 0\.000001 to 10\.$/);
  assert.match(fields.find((f) => f.name === 'hidden').help, /Up to 4 sizes, each from 1 to 2048\.$/);
  for (const f of fields) assert.doesNotMatch(f.help, /Allowed: one of|SCALE|STD|after_init/, f.name);
  const models = await page.evaluate(() => [...document.querySelector('#test-form [name="model"]').options].map((o) => [o.value, o.textContent]));
  assert.deepEqual(models.map(([v]) => v), ['ae', 'dae', 'cae', 'vae', 'cvae', 'aae', 'hash', 'vaegan']);
  assert.deepEqual(models[3], ['vae', 'Variational AE (VAE)']);
  assert.deepEqual(models[5], ['aae', 'Adversarial AE']);
  // An on/off setting is a checkbox (shown for its model only: the test below).
  const labels = await page.evaluate(() => document.querySelector('#test-form [name="aae_labels"]').type);
  assert.equal(labels, 'checkbox');
});

test('what is written is read back; a change reports the new state as valid', async () => {
  const r = await change('init', 'normal:0.02');
  assert.equal(r.valid, true);
  assert.deepEqual(r.errors, {});
  assert.equal(r.state.init, 'normal:0.02');
  const read = await page.evaluate(() => window.__form.read());
  const want = await page.evaluate(() => ({ ...window.__state.defaults(), init: 'normal:0.02' }));
  assert.deepEqual(read, { state: want, errors: {} });
});

test('an invalid field says what is allowed next to itself, and the form reports it is not valid', async () => {
  const r = await change('lr', '-1');
  assert.equal(r.valid, false);
  assert.deepEqual(Object.keys(r.errors), ['lr']);
  assert.equal(r.state.lr, 0.001, 'the state keeps the last valid value');
  const a11y = await page.evaluate(() => {
    const input = document.querySelector('#test-form [name="lr"]');
    const ids = input.getAttribute('aria-describedby').split(' ');
    return { invalid: input.getAttribute('aria-invalid'), described: ids.map((id) => document.getElementById(id)?.textContent), visible: !document.getElementById(ids[0]).hidden };
  });
  assert.equal(a11y.invalid, 'true');
  assert.equal(a11y.described[0], 'Learning rate must be between 0.000001 and 10.');
  assert.ok(a11y.visible);
  // Another field changes while lr is still wrong: still not valid, and the change is reported as such.
  const r2 = await change('latent', '8');
  assert.equal(r2.valid, false);
  assert.equal(r2.state.latent, 8);

  const fixed = await change('lr', '0.01');
  assert.equal(fixed.valid, true);
  const after = await page.evaluate(() => {
    const input = document.querySelector('#test-form [name="lr"]');
    return { invalid: input.getAttribute('aria-invalid'), hidden: document.getElementById(input.getAttribute('aria-describedby').split(' ')[0]).hidden };
  });
  assert.deepEqual(after, { invalid: null, hidden: true });
  assert.deepEqual(page.errors, []);
});

test('a field meant for some models shows only while the form holds one of them (the table’s `only`)', async () => {
  const models = await page.evaluate(() => window.__state.PROPS.find((p) => p.name === 'model').options);
  await page.evaluate(() => (document.querySelector('#test-form details.more-settings').open = true));
  for (const model of models) {
    const { shown, want } = await page.evaluate((model) => {
      window.__form.write({ ...window.__state.defaults(), model });
      const shown = [...document.querySelectorAll('#test-form .field')].filter((row) => row.checkVisibility()).map((row) => row.querySelector('[name]').name);
      const forModel = window.__state.PROPS.filter((p) => !p.only.length || p.only.includes(model));
      const want = [...forModel.filter((p) => p.basic), ...forModel.filter((p) => !p.basic)].map((p) => p.name);
      return { shown, want };
    }, model);
    assert.deepEqual(shown, want, model);
  }
  // Choosing another model in the form itself shows its fields at once.
  await page.evaluate(() => window.__form.write({ ...window.__state.defaults(), model: 'vae' }));
  await change('model', 'cae');
  assert.equal(await page.locator('#test-form [name="contractive"]').isVisible(), true);
  await change('model', 'ae');
  assert.equal(await page.locator('#test-form [name="contractive"]').isVisible(), false);
});

test('a menu stepped through with the arrow keys applies once, on Enter or when the focus leaves', async () => {
  await page.evaluate(() => window.__form.write({ ...window.__state.defaults(), model: 'ae' }));
  const count = () => page.evaluate(() => window.__changes.length);
  const before = await count();
  const menu = page.locator('#test-form [name="model"]');
  await menu.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await count(), before, 'no change reported while stepping');
  assert.match(await menu.evaluate((m) => m.closest('.field').className), /pending/);
  await page.keyboard.press('Enter');
  assert.equal(await count(), before + 1);
  assert.equal(await page.evaluate(() => window.__changes.at(-1).state.model), 'cae');
  assert.doesNotMatch(await menu.evaluate((m) => m.closest('.field').className), /pending/);
  // Stepping again and tabbing away commits too.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await count(), before + 2);
  assert.equal(await page.evaluate(() => window.__changes.at(-1).state.model), 'vae');
});
