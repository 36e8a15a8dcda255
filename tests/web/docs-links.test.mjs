// The README and docs/ link to each other by file and heading: every such
// link must reach a file that exists and a heading it has (GitHub's anchors:
// lower case, punctuation dropped, spaces as hyphens, repeats numbered).
// No browser: the files are read as they are in the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './site.mjs';

const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The anchors GitHub gives a Markdown file's headings (outside fenced code). */
export function anchors(markdown) {
  const seen = new Map();
  const out = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

test('anchors follow GitHub: punctuation dropped, spaces as hyphens, repeats numbered', () => {
  const a = anchors("# A tour\n## Where a threaded step's time goes (issue 23)\n### The hashing model (`--model hash`)\n```\n# not a heading\n```\n## A tour");
  assert.deepEqual([...a], ['a-tour', 'where-a-threaded-steps-time-goes-issue-23', 'the-hashing-model---model-hash', 'a-tour-1']);
});

test('every link between the README and docs/ reaches a file and a heading that exist', () => {
  const broken = [];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(path.join(ROOT, page), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // another site
      const [file, anchor] = target.split('#');
      const resolved = file ? path.join(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
      checked++;
      if (!existsSync(resolved)) broken.push(`${page}: ${target} (no such file)`);
      else if (anchor && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
    }
  }
  assert.ok(checked > 20, `only ${checked} links found`);
  assert.deepEqual(broken, []);
});
