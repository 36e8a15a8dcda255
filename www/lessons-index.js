// The lessons' index page: the catalogue, grouped by the lecture's parts.
import { LESSONS, PARTS } from './lessons/catalogue.js';

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
    li.append(a, line);
    ol.append(li);
  }
  list.append(h, ol);
});
$('embed-snippet').textContent = `<iframe src="${base}#lesson=denoising&embed=1" width="720" height="900" title="Denoising autoencoder: an AE Playground lesson"></iframe>`;
