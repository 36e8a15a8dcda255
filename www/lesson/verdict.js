// A measured lesson's verdict on its card: each sentence of the claim with
// its number, its rule and the native 5-seed range (src/claims).

import { el } from './elements.js';

/** A number as the card writes it: three significant digits. */
const num = (x) => (x === null || x === undefined || !Number.isFinite(x) ? 'not measured' : Number(x.toPrecision(3)).toLocaleString('en', { maximumSignificantDigits: 3 }));

/** What a rule asks of its number, in words. */
export function ruleText(r) {
  const parts = [];
  if (r.above !== null && r.above !== undefined) parts.push(`above ${num(r.above)}`);
  if (r.below !== null && r.below !== undefined) parts.push(`below ${num(r.below)}`);
  return parts.join(' and ');
}

/** One sentence of a claim with its number, its rule and the 5-seed range. */
export function ruleItem(r) {
  const seeds = `seeds 1–5 gave ${num(r.seeds[0])} to ${num(r.seeds[1])} natively`;
  const detail = r.earned
    ? `Measured: ${r.measure} = ${num(r.value)} (it holds ${ruleText(r)}). What you should see: ${seeds} (this page’s build rounds differently, so a run can land a little outside).`
    : `Measured: ${r.measure} = ${num(r.value)}. Not counted whichever way it goes: ${seeds}, on both sides of ${ruleText(r)}.`;
  return el(
    'li',
    { 'data-rule': r.id, 'data-holds': String(r.holds), 'data-earned': String(r.earned) },
    el('strong', { text: r.holds ? '✓ Holds: ' : r.earned ? '✗ Does not hold: ' : '✗ Not earned: ' }),
    `${r.says} `,
    el('span', { class: 'subtle', text: detail }),
  );
}
