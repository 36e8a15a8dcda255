// Notices above the page: plain text (never HTML), one per key, so a newer
// notice about the same thing replaces the older one. A list shows its first
// few items and how many more: a hostile link repeating one bad pair
// hundreds of times gets a notice, not a page of them.

/** Items a list notice shows before "and N more problems". */
export const MAX_ITEMS = 5;

/** `items` cut to MAX_ITEMS, the rest counted in a last item. */
export function fewItems(items) {
  if (items.length <= MAX_ITEMS) return items;
  const more = items.length - MAX_ITEMS;
  return [...items.slice(0, MAX_ITEMS), `and ${more.toLocaleString('en')} more problem${more === 1 ? '' : 's'}`];
}

/**
 * @param {HTMLElement} box  the notices container
 * @returns {{show(key: string, content: string|{title: string, items: string[]}, kind?: 'warn'|'bad'|'info', actions?: {label: string, run: () => void}[]): void,
 *   ask(key: string, question: string, actions: {label: string, run: () => void}[]): void, clear(key: string): void}}
 */
export function create(box) {
  function clear(key) {
    box.querySelector(`[data-key="${CSS.escape(key)}"]`)?.remove();
  }
  function show(key, content, kind = 'warn', actions = []) {
    clear(key);
    const div = document.createElement('div');
    div.className = `notice ${kind}`;
    div.dataset.key = key;
    div.dataset.testid = `notice-${key}`;
    div.setAttribute('role', kind === 'bad' ? 'alert' : 'status');
    const p = document.createElement('p');
    if (typeof content === 'string') {
      p.textContent = content;
    } else {
      p.textContent = content.title;
      const ul = document.createElement('ul');
      for (const item of fewItems(content.items)) {
        const li = document.createElement('li');
        li.textContent = item;
        ul.append(li);
      }
      p.append(ul);
    }
    div.append(p);
    for (const a of actions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = a.label;
      b.addEventListener('click', () => {
        div.remove();
        a.run();
      });
      div.append(b);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.addEventListener('click', () => div.remove());
    div.append(close);
    box.append(div);
    return div;
  }
  /**
   * A question that must be answered before anything is lost (a rebuild, a
   * reset): a dialog for screen readers that takes the focus, on its first
   * answer, wherever the person was on the page. Escape answers with the last.
   */
  function ask(key, question, actions) {
    const div = show(key, question, 'warn', actions);
    div.setAttribute('role', 'alertdialog');
    div.setAttribute('aria-modal', 'false');
    const p = div.querySelector('p');
    p.id = `notice-${key}-question`;
    div.setAttribute('aria-labelledby', p.id);
    div.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      div.remove();
      actions.at(-1).run();
    });
    // Two answers and Escape; a Dismiss that answered nothing would leave the question open.
    [...div.querySelectorAll('button')].at(-1).remove();
    div.querySelector('button').focus();
  }
  return { show, ask, clear };
}
