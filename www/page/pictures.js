// The pictures the worker makes for the page: the image views and the latent
// plot, the requests that fill them (one slot per kind, so a late reply never
// overwrites a view that has moved on), and what each says while empty.
import { datasetOf, modelFacts } from '../shared/run-settings.js';
import * as gridView from '../views/grid.js';
import * as latentView from '../views/latent-plot.js';
import { fmtInt } from './status.js';
import { onOwnChange, ownForPlot } from './own-data.js';
import { LATENT_LIMIT, PRIOR_CLOUD, SAMPLES, INTERP_STEPS, NEIGHBOURS, MANIFOLD_N } from './picture-sizes.js';

/**
 * @param {{app: object, client: import('./worker-client.js').WorkerClient, $: (id: string) => HTMLElement}} page
 */
/** Test images whose reconstruction error is the drawing's yardstick. */
const TYPICAL = 200;

/** Σ over the pixels of image `i` of (reconstruction − image)², both in [0, 1]. */
function squaredError(images, recon, i, d = 784) {
  let total = 0;
  for (let k = i * d; k < (i + 1) * d; k++) total += (recon[k] - images[k]) ** 2;
  return total;
}

export function createPictures({ app, client, $ }) {
  const inputView = gridView.create($('input28'));
  const reconView = gridView.create($('reconstruction'));
  const corruptedView = gridView.create($('corrupted'));
  const neighboursView = gridView.create($('neighbours'), { cols: NEIGHBOURS, gap: 2 });
  const denoisedView = gridView.create($('denoised'));
  const manifoldView = gridView.create($('generation-grid'), { cols: MANIFOLD_N, rows: MANIFOLD_N });
  const samplesView = gridView.create($('samples'), { cols: 8, rows: SAMPLES / 8, gap: 2 });
  const classesView = gridView.create($('classes'), { cols: 10, gap: 2 });
  const interpView = gridView.create($('interp-strip'), { cols: INTERP_STEPS, gap: 2 });
  const pickedView = gridView.create($('picked-img'), { placeholder: 'Click the plot' });
  const hoverView = gridView.create($('hover-img'));
  const thumbA = gridView.create($('a-thumb'), { placeholder: 'No A yet' });
  const plot = latentView.create($('latent-plot'), { legend: $('legend'), onHover: hovered, onPick: picked });

  // What the core says of the model kind (the settings table's facts, from src/config.rs).
  const isConditional = () => modelFacts(app.config.model).conditional;
  const isAdversarial = () => modelFacts(app.config.model).adversarial;
  /** Models whose samples come from a prior: VAEs (N(0, I)) and the AAE (its own). */
  const hasPrior = () => modelFacts(app.config.model).prior;
  /** The AAE with labels: its samples and grid come one class per part of the prior. */
  const labelledPrior = () => isAdversarial() && Boolean(app.config.aae_labels);
  const drawLabel = () => Number($('draw-label').value) || 0;
  const labelFor = () => (isConditional() ? drawLabel() : undefined);
  const ready = () => !app.awaitingReady && Boolean(app.info);

  /** What each empty view says, in the data set's words. */
  function placeholders() {
    const { item } = datasetOf(app.config.dataset);
    return new Map([
      [inputView, `Draw a ${item} on the pad`],
      [reconView, 'Draw to see it rebuilt'],
      [corruptedView, 'Draw to see it corrupted'],
      [denoisedView, 'Draw to see it denoised'],
      [neighboursView, `Draw a ${item} to see its nearest test images`],
      [classesView, `Draw a ${item} to see its style in every class`],
      [interpView, `Keep a drawing as A, draw another ${item}, then Interpolate`],
      [manifoldView, 'The decoded grid appears once the model is built'],
      [samplesView, 'Samples appear once the model is built'],
    ]);
  }
  /** Empties views, each with its words. */
  function empty(...views) {
    const words = placeholders();
    for (const v of views) v.update({ pixels: null, placeholder: words.get(v) });
  }
  /** Asks the worker for fresh pictures of the given kinds. */
  function refresh(kinds) {
    if (!ready()) return;
    const now = performance.now();
    for (const kind of kinds) {
      app.last[kind] = now;
      if (kind === 'recon') requestRecon();
      else if (kind === 'latent') requestLatent();
      else if (kind === 'generate') requestGenerate();
    }
  }

  function requestLatent() {
    client.slot(
      'latent',
      () => ({ type: 'latent', limit: LATENT_LIMIT, withImages: app.testImages?.dataset !== app.config.dataset }),
      (m) => {
        onLatent(m);
        requestOwn();
        // The prior's cloud goes through the same projection as the codes just drawn.
        if (isAdversarial()) client.slot('prior', () => ({ type: 'prior', n: PRIOR_CLOUD, seed: app.sampleSeed }), (p) => plot.update({ prior: p.xy }));
        else plot.update({ prior: null });
      },
    );
  }

  /** One's own images (the own-data panel) as diamonds, through the projection of the codes just drawn. */
  function requestOwn() {
    const own = ownForPlot();
    if (!own || !app.latent) return plot.update({ own: null });
    client.slot('own-xy', () => [{ type: 'reconstruct', pixels: own.pixels }, [own.pixels.buffer]], (m) => plot.update({ own: { xy: m.xy, classes: own.classes, names: own.names } }));
  }
  onOwnChange(() => ready() && requestOwn());

  function requestRecon() {
    if (!app.input) return;
    if (isConditional() && !app.labelChosen) return requestLabel();
    client.slot(
      'recon',
      () => app.input && { type: 'reconstruct', pixels: app.input.slice(), label: labelFor() },
      (m) => {
        if (!app.input) return;
        reconView.update({ pixels: m.pixels, n: 1 });
        app.inputError = squaredError(app.input, m.pixels, 0);
        showFit();
        const xy = m.xy, std = m.xyStd;
        plot.update({ mark: xy ? { x: xy[0], y: xy[1], sx: std?.[0], sy: std?.[1] } : null });
      },
    );
    if (isConditional()) {
      client.slot('classes', () => app.input && { type: 'classes', pixels: app.input.slice(), label: drawLabel() }, (m) => app.input && classesView.update({ ...m, label: `Your drawing's style rendered as each of the ${m.n} classes` }));
    }
    if (app.config.model === 'dae') requestDenoised();
    requestNeighbours();
    if (app.interpolating && app.inputA) requestInterpolation();
  }

  /**
   * A CVAE needs the drawing's class. Until the person picks one, the class a
   * classifier (trained by the worker in the background) reads is proposed,
   * and said to be a proposal; then the pictures follow.
   */
  function requestLabel() {
    client.slot(
      'classify',
      () => app.input && { type: 'classify', pixels: app.input.slice() },
      (m) => {
        if (!app.input || app.labelChosen) return;
        let best = 0;
        for (let k = 1; k < m.probs.length; k++) if (m.probs[k] > m.probs[best]) best = k;
        $('draw-label').value = String(best);
        const names = datasetOf(app.config.dataset).classes;
        const learning = m.progress < 1 ? ` (the classifier is still learning: ${Math.round(100 * m.progress)}%)` : '';
        $('draw-label-why').textContent = `Proposed by a classifier: it reads “${names[best]}” with ${Math.round(100 * m.probs[best])}% confidence${learning}. Pick another to override.`;
        app.labelChosen = 'classifier';
        requestRecon();
        app.labelChosen = false;
      },
      () => {
        // No classifier (an older worker, or not a CVAE any more): go on with the label shown.
        app.labelChosen = 'fallback';
        requestRecon();
        app.labelChosen = false;
      },
    );
  }

  /** Retrieval, the lecture's first application: test images near the drawing in code space. */
  function requestNeighbours() {
    client.slot(
      'neighbours',
      () => app.input && { type: 'neighbours', pixels: app.input.slice(), k: NEIGHBOURS, label: labelFor() },
      (m) => {
        if (!app.input) return;
        neighboursView.update({ pixels: m.pixels, n: m.n ?? m.labels.length });
        const names = datasetOf(app.config.dataset).classes;
        const cvae = isConditional() ? ' A CVAE’s code holds only the style (the label goes in apart), so neighbours share the slant and stroke, not the class.' : '';
        $('neighbours-text').textContent = `Retrieval by code, nearest first: ${Array.from(m.labels, (l) => names[l]).join(', ')}.${cvae}`;
      },
    );
  }

  /** The DAE's own task on the drawing: corrupt it as in training (by the seeded core), then reconstruct. */
  function requestDenoised() {
    client.slot(
      'denoise',
      () => app.input && { type: 'corrupt', pixels: app.input.slice(), seed: app.config.seed },
      (c) => {
        if (!app.input) return;
        // Gaussian noise leaves [0, 1]; the picture clamps, the model sees it all.
        corruptedView.update({ pixels: c.pixels.map((v) => Math.min(1, Math.max(0, v))), n: 1 });
        client.slot('denoised', () => ({ type: 'reconstruct', pixels: c.pixels }), (m) => app.input && denoisedView.update({ pixels: m.pixels, n: 1 }));
      },
    );
  }

  function requestInterpolation() {
    if (!app.inputA || !app.input) return;
    client.slot(
      'interp',
      () => app.inputA && app.input && { type: 'interpolate', a: app.inputA.slice(), b: app.input.slice(), steps: INTERP_STEPS, label: labelFor() },
      (m) => interpView.update({ pixels: m.pixels, n: m.n }),
    );
  }

  function requestGenerate() {
    if (app.config.latent === 2) {
      // A CVAE's grid is drawn for the class chosen for the drawing.
      client.slot('manifold', () => ({ type: 'manifold', n: MANIFOLD_N, label: labelFor() }), (m) => manifoldView.update({ pixels: m.pixels, n: m.n, cols: MANIFOLD_N }));
    }
    if (!hasPrior()) return;
    // A fixed seed, so the samples change only as the decoder learns; the core draws the noise.
    // A CVAE built with one's own classes samples them too, after the digits.
    const known = 10 + (isConditional() ? app.info?.ownClasses?.length ?? 0 : 0);
    const labels = isConditional() || labelledPrior() ? Uint8Array.from({ length: SAMPLES }, (_, i) => i % known) : undefined;
    client.slot('samples', () => ({ type: 'sample', n: SAMPLES, seed: app.sampleSeed, labels }), (m) => samplesView.update({ pixels: m.pixels, n: m.n }));
  }

  function onLatent(m) {
    app.latent = m;
    if (m.images) app.testImages = { dataset: app.config.dataset, pixels: m.images, size: m.images.length / m.labels.length };
    requestTypical();
    const names = datasetOf(app.config.dataset).classes;
    const axes = m.projection === 'pca' ? ['PC 1', 'PC 2'] : m.dims === 1 ? ['z', '–'] : ['z₁', 'z₂'];
    plot.update({ xy: m.xy, labels: m.labels, names, axes, label: `Scatter plot of ${fmtInt(m.labels.length)} test codes coloured by class` });
    const n = fmtInt(m.labels.length);
    const explained = m.pca?.explained ? ` (${Math.round(100 * m.pca.explained)}% of the variance)` : '';
    $('latent-title').textContent =
      m.projection === 'pca' ? `${n} test images · PCA projection of ${m.dims}-D codes${explained}` : `${n} test images · ${m.dims}-D codes`;
  }

  let hoverAsked = null;
  function hovered(p) {
    const box = $('hover');
    if (!p) {
      box.hidden = true;
      hoverAsked = null;
      return;
    }
    const names = datasetOf(app.config.dataset).classes;
    const images = app.testImages?.dataset === app.config.dataset ? app.testImages : null;
    if (hoverAsked !== p.index && images && p.index < images.pixels.length / images.size) {
      // The point's own test image: what was encoded to put the dot there.
      hoverAsked = p.index;
      const raw = images.pixels.subarray(p.index * images.size, (p.index + 1) * images.size);
      $('hover-text').textContent = `${names[p.label]} (test image ${p.index + 1})`;
      hoverView.update({ pixels: Float32Array.from(raw, (v) => v / 255), n: 1, label: $('hover-text').textContent });
    } else if (hoverAsked !== p.index) {
      // Images not here yet: show what the decoder makes of the code instead.
      hoverAsked = p.index;
      const labels = isConditional() ? new Uint8Array([p.label]) : undefined;
      $('hover-text').textContent = `${names[p.label]}, decoded at its code`;
      client.slot('hover', () => ({ type: 'decode', xy: new Float32Array([p.x, p.y]), labels }), (m) => hoverView.update({ pixels: m.pixels, n: 1, label: $('hover-text').textContent }));
    }
    const wrap = box.parentElement.getBoundingClientRect();
    const x = p.clientX - wrap.left, y = p.clientY - wrap.top;
    box.style.left = `${Math.min(x + 12, wrap.width - 160)}px`;
    box.style.top = `${Math.max(0, y - 70)}px`;
    box.hidden = false;
  }

  function picked(p) {
    if (!ready()) return;
    // A CVAE decodes a clicked point with that point's own label (a click on
    // empty space keeps the drawing's label).
    const own = p.index >= 0 ? app.latent?.labels?.[p.index] : undefined;
    const label = isConditional() ? (own ?? drawLabel()) : undefined;
    app.picked = { x: p.x, y: p.y, label };
    const names = datasetOf(app.config.dataset).classes;
    client.slot(
      'pick',
      () => ({ type: 'decode', xy: new Float32Array([p.x, p.y]), labels: label === undefined ? undefined : new Uint8Array([label]) }),
      (m) => {
        if (!app.picked) return;
        pickedView.update({ pixels: m.pixels, n: 1 });
        const pca = app.latent?.projection === 'pca' ? ', mapped back through the PCA' : '';
        const as = label === undefined ? '' : ` as “${names[label]}”`;
        $('picked-text').textContent = `Decoded at (${p.x.toFixed(2)}, ${p.y.toFixed(2)})${pca}${as}.`;
      },
    );
    plot.update({ picked: { x: p.x, y: p.y } });
  }

  /**
   * How unlike the data set the drawing is, to the model: its reconstruction's squared error
   * beside the same figure for the first test images (their median and the error nine in ten
   * stay under), so a scribble rebuilt as a confident digit is seen to be no digit.
   */
  function requestTypical() {
    const images = app.testImages?.dataset === app.config.dataset ? app.testImages : null;
    if (!images) return;
    const n = Math.min(TYPICAL, images.pixels.length / images.size);
    const pixels = Float32Array.from(images.pixels.subarray(0, n * images.size), (v) => v / 255);
    client.slot('typical', () => ({ type: 'reconstruct', pixels }), (m) => {
      const errors = Array.from({ length: n }, (_, i) => squaredError(pixels, m.pixels, i)).sort((a, b) => a - b);
      app.typicalError = { median: errors[Math.floor(n / 2)], p90: errors[Math.floor(0.9 * n)] };
      showFit();
    });
  }

  function showFit() {
    const t = app.typicalError, e = app.inputError;
    const { item, items } = datasetOf(app.config.dataset);
    $('recon-fit').textContent =
      e === null || !t
        ? ''
        : `Squared error ${e.toFixed(1)}; for test ${items} typically ${t.median.toFixed(1)}, and 9 in 10 under ${t.p90.toFixed(1)}: ` +
          (e > t.p90 ? `this drawing is unlike the ${items} the model has learnt, so its rebuilt ${item} says little.` : `the model rebuilds it about as well as a real ${item}.`);
  }

  /** Views that show the drawing or its code: emptied, and their late replies dropped. */
  function clearDrawingViews() {
    app.inputError = null;
    showFit();
    app.labelChosen = false;
    for (const kind of ['classify', 'recon', 'classes', 'neighbours', 'denoise', 'denoised', 'interp']) client.forget(kind);
    empty(inputView, reconView, corruptedView, denoisedView, neighboursView, classesView, interpView);
    $('neighbours-text').textContent = `Retrieval by code: draw a ${datasetOf(app.config.dataset).item} to see the plotted test images whose codes lie nearest.`;
    plot.update({ mark: null, prior: null });
    app.interpolating = false;
  }

  /** Views that show the model's output: emptied on reset, rebuild or import. */
  function clearModelViews() {
    client.forget('typical');
    app.typicalError = null;
    app.inputError = null;
    showFit();
    clearPicked();
    empty(reconView, corruptedView, denoisedView, neighboursView, classesView, interpView, samplesView, manifoldView);
    $('neighbours-text').textContent = `Retrieval by code: draw a ${datasetOf(app.config.dataset).item} to see the plotted test images whose codes lie nearest.`;
    plot.update({ mark: null, prior: null });
    app.interpolating = false;
  }

  function clearPicked() {
    app.picked = null;
    pickedView.update(null);
    $('picked-text').textContent = 'Click anywhere in the plot to decode that point.';
    plot.update({ picked: null });
  }


  /** The drawing (or a chosen test image) as the model's input. */
  function showInput(pixels) {
    inputView.update({ pixels, n: 1 });
  }

  /** Keeps the drawing as A for interpolation, and shows it. */
  function keepA(pixels) {
    thumbA.update({ pixels, n: 1 });
    $('a-thumb').setAttribute('aria-label', 'Drawing A, kept for interpolation');
  }

  function setNames(names) {
    plot.update({ names });
  }

  return { refresh, requestRecon, requestInterpolation, clearDrawingViews, clearModelViews, clearPicked, showInput, keepA, setNames, empty };
}
