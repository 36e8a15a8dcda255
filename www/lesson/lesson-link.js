// A lesson link's own parts (`#lesson=…&a.lr=0.01&batches=200&embed=1&autoplay=0`);
// each side's settings are read by compare.js's sideState through the settings table.

/** Longest run a link may ask for. */
const MAX_BATCHES = 20000;

/** The lesson link's parts: name, per-side overrides, flags. */
export function parseLessonHash(hash) {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const out = { name: null, compare: false, overrides: { a: [], b: [], c: [], d: [] }, batches: null, embed: false, autoplay: true, problems: [] };
  if (body.length > 2000) {
    out.problems.push('The link is too long to read; using the lesson as it is.');
    return out;
  }
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (key === 'lesson') out.name = value;
    else if (key === 'compare') out.compare = value === '1';
    else if (key === 'embed') out.embed = value === '1';
    else if (key === 'autoplay') out.autoplay = value !== '0';
    else if (key === 'batches') {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 1 && n <= MAX_BATCHES) out.batches = n;
      else out.problems.push(`batches “${value.slice(0, 20)}” is not a whole number from 1 to ${MAX_BATCHES}; using the lesson's own.`);
    } else if (/^[abcd]\./.test(key)) out.overrides[key[0]].push([key.slice(2), value]);
    else if (key) out.problems.push(`ignored “${key.slice(0, 30)}”, which a lesson link does not use`);
  }
  return out;
}
