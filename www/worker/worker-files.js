// The worker's model files: `export` and `import` (safetensors, src/io.rs and
// src/checkpoint.rs) and the autosave snapshots the page keeps in IndexedDB
// (saved-run.js). The worker owns the model and the training loop; it hands
// this file a way to read the model and dataset name of the moment, its
// `post`, and on import the core, the loaded data and a way to replace the
// model. Messages as in worker.js's protocol
// (typed arrays travel as transferred buffers; a reply carries its request's id):
//
// main -> worker
//   autosave {on}   Snapshots for the page's autosave (the playground turns them
//        on; lessons and compare mode never do). While on, the worker posts
//        `snapshot` whenever the model has changed since the last one: every
//        AUTOSAVE_MS (5 s) of training, but no more often than AUTOSAVE_RATIO (20)
//        times the last export's cost, so exporting takes at most ~5% of the
//        training time; and once when training stops (pause, the end of a step,
//        divergence), after an import and after set_lr.
//   snapshot {id?}   -> snapshot {id, …} at once if the model changed since the
//        last snapshot, else snapshot {id, blob: null}. The page asks on
//        `pagehide` and when the tab is hidden.
//   export {id?} -> exported {id, bytes: ArrayBuffer, filename}
//        safetensors with the config, training settings and session (steps,
//        epochs, samples_seen, dataset) in its metadata, the keys the CLI writes,
//        and what continuing the run bit for bit needs (src/checkpoint.rs): the
//        optimisers' state as tensors `optim.<param>.m|v|velocity` (an AAE's other
//        two optimisers under `optim.disc.` and `optim.gen.`) and, in the metadata's
//        `resume`, their step counts, the training generator, the epoch's shuffle
//        and the position in it.
//   import {id?, bytes: ArrayBuffer, restored?}
//        -> imported {id, model, train, params, step, epoch, samplesSeen, dataset}, then test;
//        or error{where:'import'} with the current model untouched: a corrupt
//        file, or a valid one the page cannot use (the core's check_data: image
//        size and labels against the loaded data; shared/run-settings.js's modelBeyondPage:
//        the settings table's page limits). `dataset` is
//        what the file says it was trained on ('mnist'|'fashion'|null); the
//        loaded dataset stays as it is. The run goes on where the file stopped:
//        training on gives exactly the figures the exporting run would have (a
//        file without optimiser state, such as the CLI's, restarts the moments).
//        `restored`: the page is reopening its own autosave, so no snapshot of
//        it follows (any other import is followed by one, when autosave is on).
//
// worker -> main
//   snapshot {id?, blob: Blob | null, step, epoch, samplesSeen, model, train, dataset, ms, blobMs}
//        The current run as `export` writes it, as a Blob (IndexedDB refuses
//        values over ~127 MiB but stores Blobs of any size, and making it here
//        keeps the copy off the page's thread), the configs it holds (as in
//        `ready`), the loaded dataset; `ms`: how long the export took, `blobMs`
//        the Blob.

import { modelBeyondPage } from '../shared/run-settings.js';
import { errorText } from './messages.js';

/** Autosave snapshots while training: at most every AUTOSAVE_MS, and at most AUTOSAVE_RATIO⁻¹ of the time. */
const AUTOSAVE_MS = 5000;
const AUTOSAVE_RATIO = 20;

export class ModelFiles {
  /**
   * @param {object} worker  what this file uses of the worker
   * @param {() => object|null} worker.model  the model of the moment (a Playground; init and import replace it)
   * @param {() => string|null} worker.dataName  the loaded dataset's name, which a file records
   * @param {(msg: object, transfer?: Transferable[]) => void} worker.post  a message to the page
   */
  constructor({ model, dataName, post }) {
    this.model = model;
    this.dataName = dataName;
    this.post = post;
    // Autosave (`autosave {on}`): whether the model changed since the last snapshot, and when and how long that took.
    this.autosave = false;
    this.unsaved = false;
    this.lastSnapshotAt = 0;
    this.lastSnapshotMs = 0;
  }

  /** Whether a snapshot is due while training (autosave on, the model changed, the gap passed). */
  snapshotDue() {
    return this.autosave && this.unsaved && performance.now() - this.lastSnapshotAt >= Math.max(AUTOSAVE_MS, AUTOSAVE_RATIO * this.lastSnapshotMs);
  }

  /** Posts the run as `export` writes it, for the page to keep in IndexedDB. */
  postSnapshot(id) {
    const pg = this.model();
    const dataName = this.dataName();
    const t0 = performance.now();
    const bytes = pg.save(dataName ?? '');
    const t1 = performance.now();
    const blob = new Blob([bytes]);
    this.lastSnapshotAt = performance.now();
    this.lastSnapshotMs = this.lastSnapshotAt - t0;
    this.unsaved = false;
    const msg = { type: 'snapshot', id, blob, step: pg.step, epoch: pg.epoch, samplesSeen: pg.samples_seen, dataset: dataName, ms: t1 - t0, blobMs: this.lastSnapshotAt - t1 };
    this.post({ ...msg, model: JSON.parse(pg.model_config_json()), train: JSON.parse(pg.train_config_json()) });
  }

  /** A snapshot when autosave is on and the model changed since the last one (training has just stopped). */
  snapshotIfChanged() {
    if (this.autosave && this.unsaved && this.model()) this.postSnapshot();
  }

  /** `snapshot {id}`: one now if the model changed since the last, else a reply without one. */
  answerSnapshot(id) {
    if (this.model() && this.unsaved) return this.postSnapshot(id);
    return this.post({ type: 'snapshot', id, blob: null });
  }

  exportModel(msg) {
    const pg = this.model();
    const dataName = this.dataName();
    if (!pg) throw new Error('no model to export yet');
    const bytes = pg.save(dataName ?? '');
    const m = JSON.parse(pg.model_config_json());
    const filename = `${m.kind}-${[m.input, ...m.hidden, m.kind === 'classifier' ? m.classes : m.latent].join('-')}-${dataName ?? 'model'}-step${pg.step}.safetensors`;
    this.post({ type: 'exported', id: msg.id, bytes: bytes.buffer, filename }, [bytes.buffer]);
  }

  /**
   * `import`, once the core has loaded: the file's model goes to `adopt`,
   * which makes it the worker's model, unless the file is refused (then the
   * current model stays untouched). Returns whether it was adopted.
   * @param {object} msg  the request
   * @param {object} opening  what opening a file takes
   * @param {object} opening.Playground  the core's model class, which loads the file
   * @param {object|null} opening.data  the loaded data (MnistData) the file's model must fit, or null
   * @param {(next: object) => void} opening.adopt  makes the opened model the worker's
   */
  importModel(msg, { Playground, data, adopt }) {
    if (!(msg.bytes instanceof ArrayBuffer)) throw new Error('import needs the file as an ArrayBuffer');
    // Refused before load copies it into wasm memory, which would stay grown.
    const max = Playground.max_file_bytes();
    if (msg.bytes.byteLength > max) throw new Error(`This file is larger than the largest model file (${max} bytes), so it is not a model this playground can open.`);
    let next;
    try {
      next = Playground.load(new Uint8Array(msg.bytes));
    } catch (e) {
      // A trap goes on to `trapped`.
      if (e instanceof WebAssembly.RuntimeError) throw e;
      this.post({ type: 'error', where: 'import', message: errorText(e) });
      return false;
    }
    // A valid file the page cannot use is refused before it replaces anything.
    const unusable = refusal(next, data);
    if (unusable) {
      next.free();
      this.post({ type: 'error', where: 'import', message: unusable });
      return false;
    }
    adopt(next);
    this.post({
      type: 'imported',
      id: msg.id,
      model: JSON.parse(next.model_config_json()),
      train: JSON.parse(next.train_config_json()),
      params: next.params,
      step: next.step,
      epoch: next.epoch,
      samplesSeen: next.samples_seen,
      dataset: next.trained_on ?? null,
    });
    this.unsaved = !msg.restored;
    this.snapshotIfChanged();
    return true;
  }
}

/** Why the page cannot use an imported model (with the loaded data, within its limits), or null if it can. */
function refusal(next, data) {
  try {
    if (data) next.check_data(data);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    return errorText(e);
  }
  const beyond = modelBeyondPage(JSON.parse(next.model_config_json()));
  return beyond.length ? `This model is beyond what this page can show: ${beyond.join('; ')}.` : null;
}
