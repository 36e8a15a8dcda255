// Configuration changes: from the form, from the link and from an imported
// model, and Reset. A change that only moves the learning rate keeps the model;
// any other rebuilds it, after asking when that discards training or builds a
// model this machine would train very slowly. Reset asks too.
import * as state from '../shared/run-settings.js';
import { fmtInt, estimateSeconds, SLOW_BATCH_SECONDS } from './status.js';

/**
 * @param {object} page  what the settings flow uses of the page
 * @param {object} page.app  the page's state (page-state.js)
 * @param {import('./worker-client.js').WorkerClient} page.client  asks the worker (count_params, set_lr)
 * @param {{show: Function, ask: Function, clear: Function}} page.notice  the notices (notices.js)
 * @param {(id: string) => HTMLElement} page.$  an element by id
 * @param {{write: (s: object) => void}} page.form  the settings form (settings-form.js), shown what runs
 * @param {{setNames: Function, clearPicked: Function, refresh: Function}} page.pictures  the views (pictures.js)
 * @param {() => void} page.render  redraws the page from its state (render.js)
 * @param {(o?: {resume}) => void} page.init  builds the model of app.config (main.js)
 * @param {() => void} page.expectReady  forgets the current model's figures and views (main.js)
 */
export function createConfigFlow({ app, client, notice, $, form, pictures, render, init, expectReady }) {
  const ready = () => !app.awaitingReady && Boolean(app.info);

  /**
   * Applies a new configuration. A change only of settings the table marks
   * live (the learning rate) keeps the model (the worker's optimiser takes
   * it); any other change rebuilds, and if the model has trained, the page
   * asks first. `train`: training starts once the new model is built (the
   * Start here steps), as it goes on when it was running.
   */
  function applyConfig(next, { changed = [], confirmed = false, fromLink = false, train = false } = {}) {
    const onlyLive = changed.length > 0 && changed.every((k) => state.isLive(k)) && ready();
    const trained = (app.progress?.step ?? 0) > 0;
    if (!onlyLive && trained && !confirmed && !fromLink) {
      const steps = fmtInt(app.progress.step);
      // The changed fields are marked until the question is answered.
      const fields = changed.map((k) => document.querySelector(`#config [name="${k}"]`)?.closest('.field')).filter(Boolean);
      const answered = (run) => () => (fields.forEach((f) => f.classList.remove('pending')), run());
      fields.forEach((f) => f.classList.add('pending'));
      notice.ask(
        'rebuild',
        `Changing ${changed.join(', ') || 'the settings'} builds a new model: the ${steps} batches trained so far will be discarded (download the model first to keep it).`,
        [
          { label: 'Rebuild', run: answered(() => applyConfig(next, { changed, train, confirmed: true })) },
          { label: 'Keep the trained model', run: answered(() => form.write(app.config)) },
        ],
      );
      return;
    }
    notice.clear('rebuild');
    if (!onlyLive && !confirmed && !fromLink && ready()) {
      // Ask the core how big the model would be before building it.
      client.request({ type: 'count_params', model: state.toInit(next).model }).then(
        (r) => r && !warnedSlow(next, changed, r.params) && applyConfig(next, { changed, train, confirmed: true }),
        () => applyConfig(next, { changed, train, confirmed: true }),
      );
      return;
    }
    const datasetChanged = next.dataset !== app.config.dataset;
    app.config = next;
    history.replaceState(null, '', state.toHash(next));
    form.write(next);
    if (datasetChanged) fillLabels();
    if (onlyLive) {
      client.send({ type: 'set_lr', lr: next.lr });
      notice.show('lr', `Learning rate ${next.lr} applies from the next batch; the model keeps its training.`, 'info');
      render();
      return;
    }
    init({ resume: train || app.running });
  }

  /**
   * Before building a model this machine would train very slowly, say how slow
   * (estimated from its parameter count and the speed measured so far) and ask.
   * Returns true when it warned (and the build waits for an answer).
   */
  function warnedSlow(next, changed, params) {
    const t = estimateSeconds(params, next.batch, app.flopsPerSec);
    if (t.batch < SLOW_BATCH_SECONDS) return false;
    const secs = (s) => (s < 10 ? s.toFixed(1) : fmtInt(s));
    notice.show(
      'slow',
      `This model has ${fmtInt(params)} parameters: on this machine one batch of ${next.batch} would take about ${secs(t.batch)} s and each test evaluation about ${secs(t.evaluation)} s, so the page will feel slow.`,
      'warn',
      [
        { label: 'Build it anyway', run: () => applyConfig(next, { changed, confirmed: true }) },
        { label: 'Keep the current model', run: () => form.write(app.config) },
      ],
    );
    return true;
  }

  function showHashProblems(problems) {
    if (problems.length === 0) return;
    notice.show('hash', { title: 'Some settings in the link were not usable and were reset to their defaults:', items: problems });
  }

  /** The labels a model reads: the dataset's classes, then one's own when a CVAE was built with them (own-data.js). */
  const labelNames = () => [...state.datasetOf(app.config.dataset).classes, ...(app.info?.ownClasses ?? [])];
  client.listen((m) => m.type === 'ready' && $('draw-label').options.length !== labelNames().length && fillLabels());

  function fillLabels() {
    const sel = $('draw-label');
    const names = labelNames();
    sel.replaceChildren(
      ...names.map((name, k) => {
        const o = document.createElement('option');
        o.value = String(k);
        o.textContent = name;
        return o;
      }),
    );
    // A new data set's classes are other things: start from the first.
    sel.value = '0';
    $('draw-label-why').textContent = '';
    pictures.setNames(names);
    app.testImages = null;
    pictures.clearPicked();
  }

  /** The worker opened a model; `quiet`: a saved run being restored (saved-run.js says so itself). */
  function onImported(m, { quiet = false } = {}) {
    const { state: next, problems } = state.fromWorker(m.model, m.train, app.config.dataset, app.config);
    app.config = next;
    history.replaceState(null, '', state.toHash(next));
    form.write(next);
    const name = app.importName ?? 'model';
    const restored = app.restoring || quiet;
    app.restoring = false;
    app.awaitingImport = false;
    app.importPending = !restored;
    if (restored) {
      // The crash notice already says what happened.
    } else if (problems.length) {
      notice.show('import', { title: `Opened “${name}”, but some of its settings are beyond this page's controls, so the link and the form do not describe it:`, items: problems });
    } else {
      notice.show('import', `Opened “${name}”: ${next.model.toUpperCase()}, hidden ${next.hidden.join(',') || 'none'}, latent ${next.latent}, trained ${fmtInt(m.step ?? 0)} batches.`);
    }
    // The imported model replaces the current one at once: no `ready` follows.
    expectReady();
    app.info = { ...app.info, model: m.model, train: m.train, params: m.params };
    app.awaitingReady = false;
    app.progress = { epoch: m.epoch ?? 0, epochProgress: 0, step: m.step ?? 0, samplesSeen: m.samplesSeen ?? 0, train: null };
    pictures.refresh(['recon', 'latent', 'generate']);
    render();
  }


  /**
   * Reset: the same settings and seed, built afresh. Asks first when that
   * discards training, and clears the notices about the run it ends (a
   * "Restored your training" would be stale). `forgetSaved` drops the
   * autosaved run, so a reload does not bring it back.
   */
  function reset(forgetSaved) {
    const go = () => {
      for (const key of ['restored', 'import', 'lr', 'rebuild', 'crash']) notice.clear(key);
      forgetSaved();
      expectReady();
      client.send({ type: 'reset' });
      render();
    };
    if (!((app.progress?.step ?? 0) > 0)) return go();
    notice.ask('reset', `Reset starts again from the seed: the ${fmtInt(app.progress.step)} batches trained so far will be discarded (download the model first to keep it).`, [
      { label: 'Reset', run: go },
      { label: 'Keep the trained model', run: () => {} },
    ]);
  }

  return { applyConfig, showHashProblems, fillLabels, onImported, reset };
}
