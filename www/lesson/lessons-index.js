// The lessons' index page: the catalogue, grouped by the lecture's parts,
// and for each lesson the evidence: what is measured, the 5-seed range
// (src/claims, tested natively by tests/claims.rs).
import { LESSONS, PARTS } from './lessons/catalogue.js';
import { CLAIMS } from './lessons/claims.js';

const num = (x) => Number(x.toPrecision(3)).toLocaleString('en', { maximumSignificantDigits: 3 });

/** What a lesson measures and what seeds 1–5 gave. */
function evidence(name) {
  const spec = CLAIMS[name];
  const box = document.createElement('ul');
  box.className = 'evidence subtle';
  box.dataset.evidence = name;
  for (const r of spec.rules) {
    const li = document.createElement('li');
    const rule = [r.above !== null ? `above ${num(r.above)}` : '', r.below !== null ? `below ${num(r.below)}` : ''].filter(Boolean).join(' and ');
    const seeds = `seeds 1–5 gave ${num(r.seeds[0])} to ${num(r.seeds[1])}`;
    li.textContent = r.earned
      ? `${r.measure}: holds ${rule}; ${seeds}, holding at all five${r.neutralised ? `, and failing at all five when ${spec.neutral} takes away what it credits` : ''}.`
      : `${r.measure}: not earned (${seeds}, on both sides of ${rule}), so the page never counts it as holding.`;
    box.append(li);
  }
  return box;
}

const $ = (id) => document.getElementById(id);
const base = new URL('./', location.href).href;
const list = $('lessons');
PARTS.forEach((part, p) => {
  const ofPart = LESSONS.filter((l) => l.part === p + 1);
  if (!ofPart.length) return;
  const h = document.createElement('h3');
  h.textContent = `${p + 1}. ${part}`;
  const ol = document.createElement('ol');
  ol.className = 'lesson-list';
  for (const l of ofPart) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `./#lesson=${l.name}`;
    a.textContent = l.title;
    a.dataset.lesson = l.name;
    const line = document.createElement('span');
    line.className = 'subtle';
    line.textContent = ` ${l.line}`;
    li.append(a, line, evidence(l.name));
    ol.append(li);
  }
  list.append(h, ol);
});
$('embed-snippet').textContent = `<iframe src="${base}#lesson=denoising&embed=1" width="720" height="900" title="Denoising autoencoder: an AE Playground lesson"></iframe>`;
