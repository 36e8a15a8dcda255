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
 * @returns {{show(key: string, content: string|{title: string, items: string[]}, kind?: 'warn'|'bad'|'info', actions?: {label: string, run: () => void}[]): void, clear(key: string): void}}
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
  }
  return { show, clear };
}
