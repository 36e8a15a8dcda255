// The settings form's wiring: settings-fields.js builds and checks the fields from
// the table; this hands the page a whole, valid configuration with the names
// of the settings that changed, or the list of what is wrong (each invalid
// field also says so next to itself), and adds the page's extras to the rows.
import { PROPS, formatValue } from '../shared/run-settings.js';
import { createForm } from './settings-fields.js';

/**
 * @param {HTMLFormElement} formEl
 * @param {{onApply: (next: object, changed: string[]) => void, onInvalid: (errors: string[]) => void, onValid: () => void}} handlers
 */
export function wireConfigForm(formEl, { onApply, onInvalid, onValid }) {
  let current = null;
  const form = createForm(formEl, {
    onChange(next, { valid, errors }) {
      if (!valid) {
        const label = (name) => PROPS.find((p) => p.name === name).label;
        return onInvalid(Object.entries(errors).map(([name, e]) => `${label(name)} ${e}.`));
      }
      onValid();
      const changed = PROPS.filter((p) => formatValue(p, next[p.name]) !== formatValue(p, current[p.name])).map((p) => p.name);
      if (changed.length) onApply(next, changed);
    },
  });

  // What the model choice means, under it.
  const caption = document.createElement('p');
  caption.className = 'caption';
  caption.id = 'model-caption';
  form.fields.model.row.append(caption);

  // A fresh seed from the browser's CSPRNG (what getrandom uses in wasm too);
  // it lands in the hash like any setting, so the new run is still shareable.
  const seed = document.createElement('button');
  seed.type = 'button';
  seed.id = 'new-seed';
  seed.textContent = 'New seed';
  seed.addEventListener('click', () => {
    form.fields.seed.input.value = crypto.getRandomValues(new Uint32Array(1))[0];
    formEl.dispatchEvent(new Event('change'));
  });
  form.fields.seed.row.append(seed);

  return {
    write(s) {
      current = s;
      form.write(s);
    },
  };
}
