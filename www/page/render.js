// Rendering: the status line, the training figures, the loss chart, the
// captions and the words that follow the data set, all derived from the
// page's state each time something changes.
import * as state from '../shared/run-settings.js';
import * as chartView from '../views/chart.js';
import * as barsView from '../views/bars.js';
import * as diagramView from '../views/model-diagram.js';
import { statusText, loadFraction, fmtInt } from './status.js';
import { MANIFOLD_N } from './picture-sizes.js';

/** What `Playground.simd()` reports, in words. */
const BUILD_NAMES = { 'relaxed-simd': 'relaxed SIMD', simd128: 'SIMD', none: 'no SIMD' };


/**
 * Writes `text` only when it differs: render() runs on every message (a
 * download's progress, each batch), and a text node replaced, even by the
 * same words, is laid out again.
 */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** What the latent plot shows for this kind of model. */
function latentCaption(c, facts) {
  const dots = 'Each dot is a test image’s code, coloured by its class.';
  if (facts.adversarial)
    return `${dots} The discriminator pushes the codes into the ${c.prior} prior’s shape, drawn under them as hollow squares${c.aae_labels ? ', each class into its own part' : ''}.`;
  if (facts.conditional) return `${dots} The decoder is told the class, so the codes need only hold the style: the classes overlap.`;
  if (facts.variational) return `${dots} The KL term pulls the codes towards the prior N(0, I), so the space fills in.`;
  return `${dots} Nothing pulls a plain autoencoder’s codes into a chosen shape: expect gaps and stretches.`;
}

/** @param {{app: object, $: (id: string) => HTMLElement}} page */
export function createRenderer({ app, $ }) {
  const chart = chartView.create($('loss-chart'));
  const klBars = barsView.create($('kl-bars'));
  const diagram = diagramView.create($('model-diagram'));
  const isVariational = () => state.modelFacts(app.config.model).variational;
  const isConditional = () => state.modelFacts(app.config.model).conditional;
  const isAdversarial = () => state.modelFacts(app.config.model).adversarial;
  const hasPrior = () => state.modelFacts(app.config.model).prior;
  const labelledPrior = () => isAdversarial() && Boolean(app.config.aae_labels);
  const ready = () => !app.awaitingReady && Boolean(app.info);
  // On a phone the pad is a screen below the Train button: once training runs, a button points there.
  $('to-pad').addEventListener('click', () => $('draw-pad').scrollIntoView({ block: 'center' }));

  /** The link that rebuilds what runs: always the full configuration. */
  function shareLink() {
    return location.href.replace(/#.*$/, '') + state.toHash(app.config);
  }

  /** The running core's build in words, or null before the worker is ready. */
  const buildName = () => (app.info ? BUILD_NAMES[app.info.simd] ?? 'no SIMD' : null);

  /**
   * What a link promises, with the build this run used: the same bits in the
   * same build, and within 1e-4 (relative) in the others and natively, as
   * tests/web/wasm-builds.test.mjs checks.
   */
  function shareCaption() {
    const build = buildName();
    const base = 'Opening the link rebuilds the same model from the same seed: the same steps give the same losses';
    if (!build) return `${base}.`;
    return `${base}, bit for bit in the same build of the core (this run: WebAssembly, ${build}); other builds and the command-line tool agree to about 1 part in 10,000.`;
  }

  /** Compare mode with this model as A and, as B, the same with the other of AE and VAE. */
  function compareLink(c) {
    const a = state.toHash({ ...c, batch_order: 'seed' }).slice(1);
    const b = state.toHash({ ...c, batch_order: 'seed', model: c.model === 'vae' ? 'ae' : 'vae' }).slice(1);
    const prefix = (side, h) => h.split('&').map((p) => `${side}.${p}`).join('&');
    return `#compare=1&${prefix('a', a)}&${prefix('b', b)}`;
  }

  function render() {
    const [text, kind] = statusText(app);
    const status = $('status');
    setText(status, text);
    status.dataset.kind = kind;

    // A model that has trained no batch yet rebuilds every drawing as the average image.
    const untrained = ready() && (app.progress?.step ?? 0) === 0;
    for (const el of document.querySelectorAll('[data-untrained]')) el.hidden = !untrained;
    $('to-pad-row').hidden = !(app.running && !app.input);

    const loading = app.load || app.problem?.kind === 'data';
    $('load').hidden = !loading;
    $('load-retry').hidden = app.problem?.kind !== 'data';
    const bar = $('load-bar');
    const frac = app.load ? loadFraction(app.load) : null;
    if (frac !== null) bar.value = frac;
    else bar.removeAttribute('value');

    const toggle = $('train-toggle');
    toggle.disabled = !ready();
    const label = app.running ? 'Pause' : 'Train';
    if (toggle.dataset.label !== label) {
      // The label says what a press does; the glyph is decoration for screen readers.
      const icon = document.createElement('span');
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = app.running ? '❚❚ ' : '▶ ';
      toggle.replaceChildren(icon, label);
      toggle.dataset.label = label;
    }
    $('step').disabled = !ready() || app.running;
    $('reset').disabled = !ready();
    $('model-export').disabled = !ready();

    const pr = app.progress;
    setText($('stat-epoch'), pr ? (pr.epoch + (pr.epochProgress ?? 0)).toFixed(2) : '0');
    setText($('stat-step'), fmtInt(pr?.step ?? 0));
    setText($('stat-seen'), fmtInt(pr?.samplesSeen ?? 0));
    const measured = pr && app.running && pr.samplesPerSec > 0;
    setText($('stat-speed'), measured ? fmtInt(pr.samplesPerSec) : '–');
    setText($('stat-gflops'), measured && app.flopsPerSec > 0 ? (app.flopsPerSec / 1e9).toFixed(1) : '–');
    const epochs = pr ? pr.epoch + (pr.epochProgress ?? 0) : 0; // samplesSeen / epochs: the images in an epoch
    setText($('stat-epoch-time'), measured && epochs > 0 ? `${(pr.samplesSeen / epochs / pr.samplesPerSec).toFixed(1)} s` : '–');
    setText($('stat-params'), app.info?.params ? fmtInt(app.info.params) : '–');
    setText($('stat-simd'), buildName() ?? '–');
    const th = app.threads;
    $('threads').hidden = !th || th.max <= 1;
    if (th && th.max > 1) $('threads').value = String(th.n);
    setText($('stat-threads'), !th ? '–' : th.max > 1 ? '' : `1 thread: ${th.why}`);

    const t = app.lastTest;
    setText($('test-loss'), t ? t.loss.toFixed(4) : '–');
    const ev = app.evaluating;
    setText($('test-evaluating'), ev ? `evaluating the ${fmtInt(ev.total)} test images… ${Math.floor((100 * ev.done) / ev.total)}%` : '');
    $('test-loss').dataset.step = t ? String(t.step) : '';
    // Which weights the figure describes: while training runs it is evaluated beside it, on a snapshot.
    setText($('test-at'), t ? `at batch ${fmtInt(t.step)}` : '');
    const kindTerms = shownTerms(state.modelFacts(app.config.model).terms);
    setText($('test-terms'), t ? termsLine(kindTerms, t) : '');
    $('test-terms').title = kindTerms.map((term) => `${term.label}: ${term.means}`).join('\n');
    if (pr?.train) app.lastTrain = pr.train;
    setText($('train-loss'), app.lastTrain ? app.lastTrain.loss.toFixed(4) : '–');

    const h = app.history;
    const series = [
      { label: 'train', color: '#3552c8', points: h.train },
      { label: 'test', color: '#e8590c', points: h.test, dots: true, width: 2 },
    ];
    // A term on the loss's own scale in green, one on the right-hand scale in purple.
    for (const term of kindTerms) {
      const points = h.terms[term.name] ?? [];
      series.push({ label: `test ${term.label}`, color: term.right ? '#9c36b5' : '#2f9e44', points, dash: [4, 3], ...(term.right && { axis: 'right' }) });
    }
    chart.update({ series, xLabel: 'batches' });

    const c = app.config;
    document.body.dataset.model = c.model;
    flag('variational', isVariational());
    flag('conditional', isConditional());
    flag('prior', hasPrior());
    const samples = isAdversarial()
      ? `z ~ p(z), the ${app.config.prior} prior, decoded${labelledPrior() ? ' (one class per part of the prior, 0–9 along the strip)' : ''}: the discriminator pushed the codes into it, so its samples look like digits.`
      : 'z ~ N(0, I), decoded: generation works as far as the codes really fill the prior.';
    setText($('samples-caption'), samples);
    flag('latent2', c.latent === 2);
    setText($('model-caption'), state.modelFacts(c.model).caption);
    setText($('latent-caption'), latentCaption(c, state.modelFacts(c.model)));
    const decoder = state.PROPS.find((p) => p.name === 'decoder');
    diagram.update(c, state.modelFacts(c.model), (decoder.optionLabels[c.decoder] ?? c.decoder).replace(/ \(.*\)$/, ''));
    const manifold = isAdversarial()
      ? `Decoding a ${MANIFOLD_N}×${MANIFOLD_N} grid over the prior’s support: the codes were pushed into the prior’s shape, so the grid walks through the digits there.` +
        (labelledPrior() ? ' With labels, each class has its own part of the prior.' : '')
      : isVariational()
      ? `Decoding a ${MANIFOLD_N}×${MANIFOLD_N} grid over z (Kingma & Welling 2014, fig. 4): each axis runs through the inverse Gaussian CDF, so the grid covers the prior N(0, I).` +
        (isConditional() ? ' The CVAE draws it with the class chosen for your drawing.' : '')
      : `Decoding a ${MANIFOLD_N}×${MANIFOLD_N} grid spread over the codes’ range: a plain AE has no prior, and the gaps between its clusters decode to blends or junk.`;
    setText($('manifold-caption'), manifold);
    setText($('settings-summary'), `${c.model.toUpperCase()} ${[784, ...c.hidden, c.latent].join('–')}, ${c.optimizer} ${c.lr}, seed ${c.seed}`);
    const link = shareLink();
    if ($('share-link').value !== link) $('share-link').value = link;
    const caption = shareCaption();
    setText($('share-caption'), caption);
    $('compare-link').href = compareLink(c);
    renderWords();
    renderInterp();
  }

  function flag(name, on) {
    if (on) document.body.dataset[name] = '';
    else delete document.body.dataset[name];
  }

  /** Words that follow the data set: "digit" or "garment", and how its images were made. */
  function renderWords() {
    const d = state.datasetOf(app.config.dataset);
    for (const el of document.querySelectorAll('[data-words]')) {
      const text = d[el.dataset.words];
      if (text) setText(el, text);
    }
    $('draw-pad').setAttribute('aria-label', `Drawing pad: draw a ${d.item} with mouse, finger or pen`);
  }

  function renderInterp() {
    const can = Boolean(app.inputA && app.input);
    $('interpolate').disabled = !can;
    const item = state.datasetOf(app.config.dataset).item;
    const why = !app.inputA
      ? `Keep a drawing as A, then draw another ${item}: Interpolate walks from A to it.`
      : !app.input
        ? `A is kept. Now draw a second ${item} to interpolate to.`
        : 'Ready: Interpolate decodes the straight line from A’s code to the drawing’s.';
    setText($('interp-why'), why);
  }


  /** The KL of each latent dimension, from the last test. */
  function klPerDim(values) {
    klBars.update(values ? { values, unit: 'nats' } : null);
  }

  return { render, renderInterp, klPerDim };
}

/** A kind's terms worth showing beside the loss: not a lone part, which is the loss itself. */
export function shownTerms(terms) {
  const parts = terms.filter((x) => x.form === 'part').length;
  return terms.filter((x) => x.form !== 'part' || parts > 1);
}

/**
 * The test figures beside the loss, as a learner reads them: the parts of the
 * loss added up ("recon 80.12 + KL 20.31"), then any other figure with what it
 * means; a figure the model has no value for (NaN) is left out.
 * @param {{name: string, label: string, form: 'part' | 'share' | 'nats' | 'figure', means: string}[]} terms  the model kind's
 * @param {object} t  the test figures by name
 */
export function termsLine(terms, t) {
  const parts = terms.filter((x) => x.form === 'part').map((x) => `${x.label} ${t[x.name].toFixed(2)}`);
  const value = (x) => (x.form === 'share' ? `${Math.round(100 * t[x.name])}%` : t[x.name].toFixed(x.form === 'figure' ? 3 : 2));
  const others = terms.filter((x) => x.form !== 'part' && Number.isFinite(t[x.name])).map((x) => `${x.label} ${value(x)}: ${x.means}`);
  const said = [parts.join(' + '), ...others].filter(Boolean);
  return said.length ? `(${said.join('; ')})` : '';
}
