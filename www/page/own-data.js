// The own-data panel (data-testid="own-data"): add drawings and image files
// (chosen or dropped) as classes of your own, see each as the model will
// (MNIST's 28×28), rename, delete, clear, see them on the latent plot
// (pictures.js asks `ownForPlot`), train on them with the dataset or alone
// (the worker's `own` message), and export the set as the one file the CLI
// trains on (`ae-playground train --data-file`). Files are refused one by one, with
// the file's name and the reason, before anything is lost: a file's header
// is read before it is decoded, and decoding (createImageBitmap) happens off
// the main thread, one file at a time.
import { el } from '../lesson/elements.js';
import { SIDE } from './mnist-preprocess.js';
import * as store from './own-store.js';
import { MAX_FILE_BYTES, MAX_FILES_AT_ONCE, MAX_IMAGES, MAX_NAME_CHARS, classesAndLabels, photoToMnist, readSetFile, recordsFile, setFileBytes, sniff, tooLarge } from './own-images.js';
import { MAX_LINK_IMAGES, linkPart, readLink } from './own-link.js';

/** Files are drawn at most this many pixels a side before preprocessing: a digit needs no more. */
const WORKING_SIDE = 280;

/** Test images the novelty of one's own is measured against (the first of the test set). */
const NOVELTY_TEST_IMAGES = 2000;

const $ = (id) => document.getElementById(id);
let images = []; // the store's records, oldest first
let page = null; // {client: the worker's, step(): the batches trained}
/** id -> the share of the test images the model rebuilds better (as measured last). */
let novelty = new Map();
let sortByNovelty = false;
/** What training reads: 'off' (the dataset), 'mixed' (it and your images) or 'only' (your images). */
let trainOn = 'off';
const listeners = new Set();

/** Calls `fn` whenever the set changes (pictures.js redraws the plot's diamonds). */
export function onOwnChange(fn) {
  listeners.add(fn);
}

/** The set as the model's input (the latent plot's diamonds, novelty): every image as [0,1] floats, its class's index, the class names; null when empty. */
export function ownForPlot() {
  if (!images.length) return null;
  const { classes: names, labels } = classesAndLabels(images);
  const pixels = new Float32Array(images.length * SIDE * SIDE);
  images.forEach((it, i) => pixels.set(Float32Array.from(it.pixels, (v) => v / 255), i * SIDE * SIDE));
  return { pixels, classes: labels, names };
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const classesOf = (list) => classesAndLabels(list).classes;

function say(lines, isError = false) {
  const box = $('own-message');
  box.replaceChildren(...[lines].flat().map((l) => el('span', { text: l })));
  box.classList.toggle('error', isError);
}

function thumbnail(pixels, label) {
  const c = el('canvas', { width: SIDE, height: SIDE, class: 'img28 own-thumb', role: 'img', 'aria-label': label });
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(SIDE, SIDE);
  pixels.forEach((v, i) => img.data.set([v, v, v, 255], 4 * i));
  ctx.putImageData(img, 0, 0);
  return c;
}

function render() {
  const classes = classesOf(images);
  $('own-summary').textContent = `${images.length ? `${plural(images.length, 'image')} in ${plural(classes.length, 'class', 'classes')}` : 'No images of your own yet'}. Nothing you add leaves this browser.`;
  $('own-export').disabled = $('own-link').disabled = $('own-clear').disabled = $('own-novelty').disabled = images.length === 0;
  $('own-sort').disabled = novelty.size === 0;
  $('own-sort').setAttribute('aria-pressed', String(sortByNovelty));
  $('own-classes').replaceChildren(
    ...classes.map((cls) => {
      const mine = images.filter((it) => it.cls === cls);
      if (sortByNovelty) mine.sort((a, b) => (novelty.get(b.id) ?? -1) - (novelty.get(a.id) ?? -1));
      const name = el('input', { type: 'text', value: cls, maxlength: String(MAX_NAME_CHARS), 'aria-label': `New name for the class ${cls}` });
      const rename = el('button', { type: 'button', text: 'Rename' });
      rename.addEventListener('click', () => renameClass(cls, name.value));
      return el(
        'li',
        { 'data-class': cls },
        el('div', { class: 'own-class-head' }, el('strong', { text: `${cls} (${mine.length})` }), name, rename),
        el(
          'div',
          { class: 'own-thumbs' },
          mine.map((it, i) => {
            const del = el('button', { type: 'button', class: 'own-delete', text: '×', 'aria-label': `Delete image ${i + 1} of ${cls}` });
            del.addEventListener('click', () => removeImage(it.id));
            const share = novelty.get(it.id);
            const unusual = share === undefined ? null : el('span', { class: 'own-novelty', text: `more unusual than ${(100 * share).toFixed(1)}%` });
            return el('span', { class: 'own-item', 'data-novelty': share ?? null }, thumbnail(it.pixels, `Image ${i + 1} of ${cls}, as the model sees it`), unusual, del);
          }),
        ),
      );
    }),
  );
}

async function reload() {
  images = await store.all();
  render();
  for (const fn of listeners) fn();
  if (trainOn !== 'off') await sendTraining();
}

/** The class name typed, checked as the core checks it. */
function className() {
  const name = $('own-class').value.trim();
  if (!name || name.length > MAX_NAME_CHARS) throw new Error(`Name the class first: 1 to ${MAX_NAME_CHARS} characters.`);
  return name;
}

async function keep(items) {
  await store.add(items);
  await reload();
}

async function addDrawing() {
  try {
    const cls = className();
    const c = $('input28');
    if ('empty' in c.dataset) throw new Error('Draw something first: the pad is empty.');
    if (images.length >= MAX_IMAGES) throw new Error(`The set is full: it holds at most ${MAX_IMAGES} images.`);
    const d = c.getContext('2d').getImageData(0, 0, SIDE, SIDE).data;
    await keep([{ cls, pixels: Uint8Array.from({ length: SIDE * SIDE }, (_, i) => d[4 * i]) }]);
    say(`Added your drawing to “${cls}”.`);
  } catch (e) {
    say(e.message, true);
  }
}

/** One file -> 784 bytes of ink, or throws the reason it is refused. */
async function decode(file) {
  if (file.size === 0) throw new Error('the file is empty');
  if (file.size > MAX_FILE_BYTES) throw new Error(`it is ${(file.size / 2 ** 20).toFixed(1)} MB, more than the ${MAX_FILE_BYTES / 2 ** 20} MB this page reads`);
  const head = sniff(new Uint8Array(await file.slice(0, 64 << 10).arrayBuffer()));
  if (head.error) throw new Error(head.error);
  const big = tooLarge(head);
  if (big) throw new Error(big);
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`the browser could not decode it as ${head.type.toUpperCase()}`);
  }
  const s = Math.min(1, WORKING_SIDE / Math.max(bitmap.width, bitmap.height));
  const [w, h] = [Math.max(1, Math.round(bitmap.width * s)), Math.max(1, Math.round(bitmap.height * s))];
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = '#fff'; // transparency reads as paper
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const ink = photoToMnist(ctx.getImageData(0, 0, w, h).data, w, h);
  if (!ink) throw new Error('no ink stands out from the background');
  return Uint8Array.from(ink, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
}

async function addFiles(files) {
  let cls;
  try {
    cls = className();
  } catch (e) {
    return say(e.message, true);
  }
  if (files.length > MAX_FILES_AT_ONCE) return say(`${plural(files.length, 'file')} chosen: at most ${MAX_FILES_AT_ONCE} at once. Nothing was added.`, true);
  const added = [];
  const refused = [];
  for (const [i, file] of files.entries()) {
    say(`Reading ${i + 1} of ${files.length}: ${file.name}…`);
    if (images.length + added.length >= MAX_IMAGES) {
      refused.push(`${file.name}: refused, the set is full (at most ${MAX_IMAGES} images).`);
      continue;
    }
    try {
      added.push({ cls, pixels: await decode(file) });
    } catch (e) {
      refused.push(`${file.name}: refused, ${e.message}.`);
    }
  }
  if (added.length) await keep(added);
  say([`Added ${plural(added.length, 'image')} to “${cls}”.`, ...refused], refused.length > 0);
}

async function removeImage(id) {
  await store.remove(id);
  await reload();
  say('Deleted one image.');
}

async function renameClass(from, to) {
  to = to.trim();
  if (!to || to.length > MAX_NAME_CHARS) return say(`A class name is 1 to ${MAX_NAME_CHARS} characters.`, true);
  if (to !== from && classesOf(images).includes(to)) return say(`There is already a class called “${to}”.`, true);
  await store.rename(from, to);
  await reload();
  say(`Renamed “${from}” to “${to}”.`);
}

async function clearAll() {
  if (!confirm(`Delete all ${plural(images.length, 'image')} of your own from this browser? Export your set first to keep a copy.`)) return;
  await store.clear();
  await reload();
  say('Cleared: no images of your own are kept.');
}

/** Mean squared error per image between `x` and its reconstruction `r` (784 pixels per image). */
function errors(x, r) {
  const n = x.length / (SIDE * SIDE);
  return Array.from({ length: n }, (_, i) => {
    let e = 0;
    for (let k = i * SIDE * SIDE; k < (i + 1) * SIDE * SIDE; k++) e += (x[k] - r[k]) ** 2;
    return e / (SIDE * SIDE);
  });
}

/**
 * Novelty: how badly the current model rebuilds each of one's own images,
 * as the share of test images it rebuilds better. A model trained on digits
 * rebuilds a triangle as something digit-like, and that error says "new to me".
 */
async function measureNovelty() {
  if (!page?.client.worker) return say('The model is not ready yet: wait until it says Ready.', true);
  const step = page.step();
  const when = `the model as it is now${step ? ` (after ${plural(step, 'batch', 'batches')})` : ''}`;
  say(`Measuring with ${when}…`);
  try {
    const test = await page.client.request({ type: 'latent', limit: NOVELTY_TEST_IMAGES, withImages: true });
    const mine = images.slice();
    const testX = Float32Array.from(test.images, (v) => v / 255);
    const ownX = ownForPlot().pixels;
    const [rt, ro] = await Promise.all([page.client.request({ type: 'reconstruct', pixels: testX.slice() }), page.client.request({ type: 'reconstruct', pixels: ownX.slice() })]);
    if (!rt || !ro) return say('The model changed while measuring: measure again.', true);
    const testErrors = errors(testX, rt.pixels).sort((a, b) => a - b);
    const below = (e) => {
      let lo = 0;
      for (let hi = testErrors.length; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (testErrors[mid] < e) lo = mid + 1;
        else hi = mid;
      }
      return lo / testErrors.length;
    };
    const ownErrors = errors(ownX, ro.pixels);
    novelty = new Map(ownErrors.map((e, i) => [mine[i].id, below(e)]));
    render();
    const top = Math.max(...novelty.values());
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    say([
      `With ${when}: each image’s reconstruction error (mean squared), against that of ${plural(testErrors.length, 'test image')}. The most unusual of yours is more unusual than ${(100 * top).toFixed(1)}% of them.`,
      `Mean error: yours ${mean(ownErrors).toPrecision(3)}, the test images’ ${mean(testErrors).toPrecision(3)}.`,
    ]);
  } catch (e) {
    say(`Could not measure: ${e.message}`, true);
  }
}

/**
 * Tells the worker what training reads from the next batch on. The model
 * goes on from where it is: fine-tuning, not a new start. With no images, or
 * a model that cannot take new labels (a CVAE knows the 10 digits), the
 * worker refuses and training stays on the dataset.
 */
async function sendTraining() {
  const mode = images.length ? trainOn : 'off';
  const { classes, labels } = classesAndLabels(images);
  const pixels = new Uint8Array(images.length * SIDE * SIDE);
  images.forEach((it, i) => pixels.set(it.pixels, i * SIDE * SIDE));
  try {
    const r = await page.client.request({ type: 'own', mode, images: pixels, labels, classes });
    if (r) showTraining(r);
  } catch (e) {
    showTraining({ mode: 'off', why: e.message });
  }
}

/** What the worker says training reads (its reply to `own`, or its `own` event after a new model). */
function showTraining({ mode, trainImages, pending, why }) {
  const note = $('own-train-note');
  trainOn = mode;
  document.querySelector(`input[name="own-train"][value="${mode}"]`).checked = true;
  // Refused is an error; waiting for Reset (a CVAE to be rebuilt with the classes) is an instruction.
  note.classList.toggle('error', Boolean(why) && !pending);
  if (pending) return void (note.textContent = why);
  if (mode === 'off') {
    note.textContent = why ?? (images.length ? 'Training reads the dataset only.' : 'Training reads the dataset only: add images of your own to train on them.');
    return;
  }
  const what = mode === 'only' ? 'your images only' : 'the dataset and your images';
  if (trainImages === null) return void (note.textContent = `Training will read ${what} once the model is built.`);
  note.textContent = `From the next batch on, training reads ${what}: ${plural(trainImages, 'image')}, each of your classes repeated to come up as often as one digit. The model goes on from where it is. The test figures and the plot’s points stay the dataset’s test images.`;
}

/** A link with the page's settings, your images (at most MAX_LINK_IMAGES) and what training reads. */
async function makeLink() {
  try {
    const link = $('share-link').value.replace(/&?autoplay=0/, '') + (await linkPart(images, trainOn));
    const box = $('own-link-text');
    box.hidden = false;
    box.value = link;
    box.select();
    const copied = await navigator.clipboard?.writeText(link).then(() => true, () => false);
    say(`${copied ? 'Copied a link' : 'A link is in the box below: copy it'} with the settings and your ${plural(images.length, 'image')} (${link.length.toLocaleString('en')} characters). Whoever opens it sees your images here, and training reads ${trainOn === 'off' ? 'the dataset only' : trainOn === 'only' ? 'your images only' : 'the dataset and your images'}.`);
  } catch (e) {
    say(e.message, true);
  }
}

/**
 * A link's images (own-link.js) join the set, except those already in it
 * (the same class and pixels: opening a link twice adds nothing), and what
 * training reads is told to the worker before the page builds the model,
 * so the run a link starts reads them from its first batch.
 */
async function takeLink(hash) {
  const linked = await readLink(hash);
  if (!linked) return;
  if (linked.error) return say(linked.error, true);
  const skipped = await merge(linked.images);
  trainOn = linked.trainOn;
  document.querySelector(`input[name="own-train"][value="${trainOn}"]`).checked = true;
  say(`This link brought ${plural(linked.images.length, 'image')} of someone’s own${skipped}.`);
  await sendTraining();
}

/** Keeps the images of `list` not already in the set (the same class and pixels), up to MAX_IMAGES; says what was left out. */
async function merge(list) {
  const same = (a, b) => a.cls === b.cls && a.pixels.every((v, i) => v === b.pixels[i]);
  const fresh = list.filter((it) => !images.some((have) => same(have, it)));
  const room = fresh.slice(0, Math.max(0, MAX_IMAGES - images.length));
  if (room.length) await keep(room);
  const here = list.length - fresh.length;
  const full = fresh.length - room.length;
  return (here ? ` (${plural(here, 'was', 'were')} here already)` : '') + (full ? ` (${full.toLocaleString('en')} did not fit: the set holds at most ${MAX_IMAGES})` : '');
}

/** A set file (exported here or written by the CLI) joins the set. */
async function importSet(file) {
  try {
    if (file.size > setFileBytes(MAX_IMAGES)) throw new Error(`it is ${(file.size / 2 ** 20).toFixed(1)} MB, more than a set of ${MAX_IMAGES} images`);
    const list = readSetFile(new Uint8Array(await file.arrayBuffer()), MAX_IMAGES, 'this page keeps');
    const skipped = await merge(list);
    say(`Imported ${plural(list.length, 'image')} in ${plural(classesOf(list).length, 'class', 'classes')} from ${file.name}${skipped}.`);
  } catch (e) {
    say(`${file.name} was not imported, and nothing was lost: ${e.message}.`, true);
  }
}

function exportSet() {
  const bytes = recordsFile(images);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = el('a', { href: url, download: 'your-images.safetensors' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(`Exported ${plural(images.length, 'image')} as your-images.safetensors: train on it with ae-playground train --data-file your-images.safetensors.`);
}

/**
 * Wires the panel to the page: `client` the training worker's, `step()` the
 * batches trained so far. Resolves once the set is read and a link's images
 * (if the address has some) are kept and told to the worker: the page
 * builds the model after that.
 */
export async function startOwnData(deps) {
  if (!$('own-data')) return;
  page = deps;
  const linked = location.hash; // read now: the page rewrites its address to the settings alone
  $('own-novelty').addEventListener('click', measureNovelty);
  $('own-sort').addEventListener('click', () => {
    sortByNovelty = !sortByNovelty;
    render();
  });
  $('own-add-drawing').addEventListener('click', addDrawing);
  $('own-files').addEventListener('change', async (e) => {
    await addFiles([...e.target.files]);
    e.target.value = '';
  });
  $('own-export').addEventListener('click', exportSet);
  $('own-link').addEventListener('click', makeLink);
  $('own-import').addEventListener('change', async (e) => {
    if (e.target.files[0]) await importSet(e.target.files[0]);
    e.target.value = '';
  });
  $('own-link-note').textContent = `A link carries at most ${MAX_LINK_IMAGES} images, with the settings.`;
  page.client.listen((m) => {
    if (m.type === 'own') showTraining(m);
    // A worker started again after a crash knows nothing of the set: tell it again.
    if (m.type === 'ready' && trainOn !== 'off') sendTraining();
  });
  for (const radio of document.querySelectorAll('input[name="own-train"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      trainOn = radio.value;
      if (!page.client.worker) return say('The model is not ready yet: wait until it says Ready.', true);
      sendTraining();
    });
  }
  // Files dropped anywhere on the panel join like chosen ones.
  const panel = $('own-data');
  panel.addEventListener('dragover', (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    e.preventDefault();
    panel.classList.add('dropping');
  });
  panel.addEventListener('dragleave', (e) => !panel.contains(e.relatedTarget) && panel.classList.remove('dropping'));
  panel.addEventListener('drop', (e) => {
    e.preventDefault();
    panel.classList.remove('dropping');
    addFiles([...(e.dataTransfer?.files ?? [])]);
  });
  $('own-clear').addEventListener('click', clearAll);
  window.addEventListener('hashchange', () => takeLink(location.hash));
  try {
    await reload();
  } catch (e) {
    return say(`Your images could not be read from this browser’s storage. (Details: ${e.message})`, true);
  }
  try {
    await takeLink(linked);
  } catch (e) {
    say(`The images in this link could not be kept. (Details: ${e.message})`, true);
  }
}
