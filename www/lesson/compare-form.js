// Compare mode's form (`#compare=1`): the learner's basic settings (those the
// table marks basic: model, hidden sizes, latent size, learning rate) of
// each side, A and B, side by side. "Compare these" writes them into the
// link, which starts the comparison afresh (the page reloads on a new
// lesson link). A link without a side B compares A with A's other of AE and
// VAE: two models that differ in one setting, not two identical ones.
import * as state from '../shared/run-settings.js';
import { makeInput } from '../page/settings-fields.js';
import { el } from './elements.js';

/** The settings the form shows for each side. */
const BASIC = state.PROPS.filter((p) => p.basic);

/** The other of AE and VAE (a CVAE's plain VAE, anything else's VAE). */
const otherKind = (model) => (model === 'vae' ? 'ae' : 'vae');

/**
 * Side B's overrides when the link has none: side A's, with the model
 * switched, so the default comparison differs in exactly one setting.
 */
export function defaultSideB(link, sideState) {
  if (link.overrides.b.length) return link.overrides.b;
  const a = sideState('', link.overrides.a).state;
  return [...link.overrides.a.filter(([k]) => k !== 'model'), ['model', otherKind(a.model)]];
}

/**
 * The form, filled with each side's settings as they run.
 * @param {object} link  the parsed compare link (lesson-link.js)
 * @param {(base: string, overrides: [string, string][]) => {state: object}} sideState  compare.js
 */
export function compareForm(link, sideState) {
  const sides = ['a', 'b'].map((key) => ({ key, state: sideState('', link.overrides[key]).state, inputs: new Map() }));
  const fieldsets = sides.map((side) => {
    const rows = BASIC.map((p) => {
      const input = makeInput(document, p);
      input.name = `${side.key}.${p.name}`;
      input.id = `compare-${side.key}-${p.name}`;
      input.value = state.formatValue(p, side.state[p.name]);
      side.inputs.set(p.name, input);
      return el('div', { class: 'field' }, el('label', { for: input.id, text: p.label[0].toUpperCase() + p.label.slice(1) }), input);
    });
    return el('fieldset', { 'data-testid': `compare-side-${side.key}` }, el('legend', { text: `Model ${side.key.toUpperCase()}` }), rows);
  });
  const problems = el('p', { class: 'caption', role: 'status', 'aria-live': 'polite' });
  const form = el(
    'form',
    { class: 'compare-form', 'data-testid': 'compare-form', 'aria-label': 'The two models compared' },
    el('div', { class: 'compare-sides' }, fieldsets),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Compare these' })),
    problems,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const parts = ['compare=1'];
    const bad = [];
    for (const side of sides) {
      // The link's other settings for the side stay; the form's replace theirs.
      const kept = link.overrides[side.key].filter(([k]) => !side.inputs.has(k));
      for (const [k, v] of kept) parts.push(`${side.key}.${k}=${v}`);
      for (const p of BASIC) {
        const raw = side.inputs.get(p.name).value.trim();
        const parsed = state.parseValue(p, raw);
        if (parsed.error) bad.push(`Model ${side.key.toUpperCase()}, ${p.label}: ${parsed.error}`);
        else parts.push(`${side.key}.${p.name}=${state.formatValue(p, parsed.value)}`);
      }
    }
    if (link.batches) parts.push(`batches=${link.batches}`);
    if (bad.length) {
      problems.textContent = `Not compared: ${bad.join('; ')}.`;
      return;
    }
    location.hash = parts.join('&');
  });
  return form;
}
