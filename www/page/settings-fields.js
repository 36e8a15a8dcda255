// The settings form, built from the table (shared/run-settings.js's PROPS, generated from
// src/settings.rs): one labelled input per setting, its limits in its help
// text, and a per-field error message tied to the input by aria-describedby
// (with aria-invalid), so a screen reader reads what is wrong and what is
// allowed. The form only reports: the page decides what to do with a state
// that is, or is not, valid.
//
//   const form = createForm(formEl, { onChange(state, { valid, errors }) {…} });
//   form.write(state);                  // fills the inputs, clears the errors
//   const { state, errors } = form.read(); // errors: {name: message}, {} when valid
//   form.fields.seed.row.append(button);   // each field's {row, input, help, error}

import { PROPS, formatValue, limitsText, parseValue } from '../shared/run-settings.js';

/**
 * Replaces `formEl`'s children with one field per setting.
 * @param {HTMLFormElement} formEl
 * @param {{onChange?: (state: object, r: {valid: boolean, errors: Object<string,string>}) => void}} [opts]
 */
export function createForm(formEl, { onChange } = {}) {
  const doc = formEl.ownerDocument;
  const id = formEl.id || 'config';
  /** @type {Object<string, {row: HTMLElement, input: HTMLInputElement|HTMLSelectElement, help: HTMLElement, error: HTMLElement}>} */
  const fields = {};
  let base = {};

  for (const p of PROPS) {
    const row = doc.createElement('div');
    row.className = 'field';
    const label = doc.createElement('label');
    label.htmlFor = `${id}-${p.name}`;
    label.textContent = capitalise(p.label);
    const input = makeInput(doc, p);
    input.id = `${id}-${p.name}`;
    input.name = p.name;
    const help = doc.createElement('p');
    help.className = 'hint';
    help.id = `${id}-${p.name}-help`;
    help.textContent = [p.learn, limitsText(p)].filter(Boolean).join(' ');
    const error = doc.createElement('p');
    error.className = 'field-error';
    error.id = `${id}-${p.name}-error`;
    error.hidden = true;
    input.setAttribute('aria-describedby', `${error.id} ${help.id}`);
    row.append(label, input, error, help);
    if (p.type === 'init') row.append(choiceList(doc, p, input));
    fields[p.name] = { row, input, help, error };
  }
  // The generated rows replace whatever the form held: the basic ones, then the rest folded.
  const more = doc.createElement('details');
  more.className = 'more-settings';
  const summary = doc.createElement('summary');
  summary.textContent = 'More settings';
  more.append(summary, ...PROPS.filter((p) => !p.basic).map((p) => fields[p.name].row));
  formEl.replaceChildren(...PROPS.filter((p) => p.basic).map((p) => fields[p.name].row), more);

  function showError(name, message) {
    const f = fields[name];
    // A mistake in a folded setting unfolds it: an error nobody can see helps nobody.
    if (message && more.contains(f.row)) more.open = true;
    f.error.hidden = !message;
    f.error.textContent = message ? capitalise(`${PROPS.find((p) => p.name === name).label} ${message}.`) : '';
    f.input.classList.toggle('invalid', Boolean(message));
    if (message) f.input.setAttribute('aria-invalid', 'true');
    else f.input.removeAttribute('aria-invalid');
  }

  /** The inputs' values checked against the table; invalid fields keep the last written value in `state`. */
  function read() {
    const state = { ...base };
    const errors = {};
    for (const p of PROPS) {
      const input = fields[p.name].input;
      const r = parseValue(p, p.type === 'bool' ? String(input.checked) : input.value.trim());
      if ('value' in r) state[p.name] = r.value;
      else errors[p.name] = r.error;
      showError(p.name, errors[p.name]);
    }
    return { state, errors };
  }

  /** Shows the fields meant for `model` (the table's `only`; none means every model) and hides the rest. */
  function showFor(model) {
    for (const p of PROPS) fields[p.name].row.hidden = p.only.length > 0 && !p.only.includes(model);
  }

  function write(state) {
    base = { ...state };
    for (const p of PROPS) {
      if (p.type === 'bool') fields[p.name].input.checked = Boolean(state[p.name]);
      else fields[p.name].input.value = formatValue(p, state[p.name]);
      showError(p.name, undefined);
    }
    showFor(state.model);
  }

  function report() {
    const { state, errors } = read();
    showFor(state.model);
    onChange?.(state, { valid: Object.keys(errors).length === 0, errors });
  }

  // A closed menu changes its value, and fires 'change', on every arrow key: stepping through
  // the models would apply each one on the way. A change made with the keys waits, marked
  // pending, until the user commits it: Enter, or leaving the menu.
  let keyed = null; // the menu whose keyboard change waits
  formEl.addEventListener('keydown', (e) => {
    if (e.target.tagName !== 'SELECT') return;
    if (e.key === 'Enter' && keyed === e.target) commit();
    else if (e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End' || e.key === 'PageUp' || e.key === 'PageDown') e.target.dataset.keyed = '';
  });
  function commit() {
    if (!keyed) return;
    keyed.closest('.field').classList.remove('pending');
    delete keyed.dataset.keyed;
    keyed = null;
    report();
  }
  formEl.addEventListener('focusout', (e) => e.target === keyed && commit());
  formEl.addEventListener('submit', (e) => e.preventDefault());
  formEl.addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT' && 'keyed' in e.target.dataset) {
      keyed = e.target;
      keyed.closest('.field').classList.add('pending');
      return;
    }
    report();
  });

  return { fields, read, write };
}

/** The input for one setting of the table (also compare mode's form, lesson/compare-form.js). */
export function makeInput(doc, p) {
  if (p.type === 'choice') {
    const select = doc.createElement('select');
    for (const o of p.options) {
      const option = doc.createElement('option');
      option.value = o;
      option.textContent = p.optionLabels?.[o] ?? o;
      select.append(option);
    }
    return select;
  }
  const input = doc.createElement('input');
  input.spellcheck = false;
  if (p.type === 'bool') {
    input.type = 'checkbox';
  } else if (p.type === 'int' || p.type === 'float') {
    // type=number with the table's limits: the browser's spinner and keyboard follow them;
    // the text is still checked by parseValue, which also says what is wrong.
    input.type = 'number';
    input.min = String(p.min);
    input.max = String(p.max);
    input.step = p.type === 'int' ? '1' : 'any';
  } else {
    input.type = 'text';
    if (p.type === 'list') input.inputMode = 'numeric';
  }
  return input;
}

/** Suggestions for an init field: the plain names, and `name:` for those that take a value. */
function choiceList(doc, p, input) {
  const list = doc.createElement('datalist');
  list.id = `${input.id}-choices`;
  for (const o of p.options) {
    const option = doc.createElement('option');
    option.value = p.params[o] ? `${o}:` : o;
    list.append(option);
  }
  input.setAttribute('list', list.id);
  return list;
}

function capitalise(s) {
  return s[0].toUpperCase() + s.slice(1);
}
