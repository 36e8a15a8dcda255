// The settings form's wiring: reads it on every change, and hands the page a
// whole, valid configuration with the names of the settings that changed, or
// the list of what is wrong (each invalid field also says so next to itself).
import * as state from './state.js';

/**
 * @param {HTMLFormElement} form
 * @param {{onApply: (next: object, changed: string[]) => void, onInvalid: (errors: string[]) => void, onValid: () => void}} handlers
 */
export function wireConfigForm(form, { onApply, onInvalid, onValid }) {
  let current = state.defaults();

  function write(s) {
    current = s;
    for (const p of state.PROPS) {
      const el = form.elements[p.name];
      if (el) el.value = state.formatValue(p, s[p.name]);
      if (el) markField(el, p, null);
    }
  }

  function markField(el, p, error) {
    let help = document.getElementById(`${p.name}-error`);
    if (!help) {
      help = document.createElement('p');
      help.id = `${p.name}-error`;
      help.className = 'field-error';
      help.setAttribute('aria-live', 'polite');
      (el.closest('label') ?? el).after(help);
      const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
      ids.add(help.id);
      el.setAttribute('aria-describedby', [...ids].join(' '));
    }
    help.textContent = error ?? '';
    help.hidden = !error;
    el.classList.toggle('invalid', Boolean(error));
    el.setAttribute('aria-invalid', String(Boolean(error)));
  }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => {
    const next = { ...current };
    const errors = [];
    for (const p of state.PROPS) {
      const el = form.elements[p.name];
      if (!el) continue;
      const r = state.parseValue(p, el.value.trim());
      const error = 'value' in r ? null : `${p.label[0].toUpperCase()}${p.label.slice(1)} ${r.error}.`;
      markField(el, p, error);
      if (error) errors.push(error);
      else next[p.name] = r.value;
    }
    if (errors.length) return onInvalid(errors);
    onValid();
    const changed = state.PROPS.filter((p) => state.formatValue(p, next[p.name]) !== state.formatValue(p, current[p.name])).map((p) => p.name);
    if (changed.length) onApply(next, changed);
  });

  // A fresh seed from the browser's CSPRNG (what getrandom uses in wasm too);
  // it lands in the hash like any setting, so the new run is still shareable.
  form.querySelector('#new-seed')?.addEventListener('click', () => {
    form.elements.seed.value = crypto.getRandomValues(new Uint32Array(1))[0];
    form.dispatchEvent(new Event('change'));
  });

  return { write };
}
