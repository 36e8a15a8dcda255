// The worker's training loop: trains and evaluates the test set in time
// slices, yielding between them so that pause and drawing requests get
// through, and reports how training goes. The worker decides what the loop
// does (play, pause, step, evaluate a new model) and hands it ways to read
// the model, data and background classifier of the moment, its `post`, and
// its model files for the snapshots due when training stops (the
// constructor lists them). Messages as in worker.js's protocol (typed arrays
// travel as transferred buffers); `state` and `stepped`, which answer play,
// pause and step, are documented there:
//
// worker -> main
//   progress {epoch, step, samplesSeen, samplesPerSec, epochProgress,
//             train: {...figures, batches} | null, running}
//        figures: the core's `Stats::named` by name (src/stats.rs: loss, recon, kl…),
//        passed on as the core made them, so no name is retyped here.
//        At most ~10/s while training; train figures are the core's mean over
//        the `batches` trained since the last progress message (null if none);
//        samplesPerSec counts training time only.
//   test {id?, step, epoch, ...figures, klPerDim: Float32Array, ms, beside?}
//        A figure a model kind does not report is 0 (src/config.rs ModelKind::terms).
//        The full 10,000-image test set (nats per image): after init/reset/import,
//        on pause, after step, at each epoch's end, and while running whenever
//        training has run 8× as long as the last evaluation took (≥ 3 s), so
//        evaluation costs ≤ ~11% of the time. `ms`: how long it took.
//        While running, with a second core, the evaluation runs beside training
//        (evaluator.js) on a snapshot of the weights at `step` (then `beside` is true):
//        training does not pause for it, and the figures are that batch's, bit for bit.
//        Figures for a batch older than ones already posted are dropped.
//   evaluating {done, total}   a test-set evaluation under way (images done of total),
//        at most once per slice; the `test` message ends it. Pause, a new model or
//        an import cancels it between two slices.
//   diverged {message}   training paused; the core has rolled the weights back.
//
// Determinism: a seed and a config give the same run whatever the chunking,
// so `step {n}` and the test figures after it are identical every time.

import { errorText } from './messages.js';

/** Time slice for training/evaluation before yielding to incoming messages. */
const SLICE_MS = 40;
const PROGRESS_MS = 100;
/** Evaluate while running once training time reaches this multiple of the last evaluation's cost. */
const EVAL_RATIO = 8;
const EVAL_MIN_GAP_MS = 3000;

export class TrainingLoop {
  /**
   * @param {object} worker  what the loop uses of the worker; the functions read it as it is now
   *   (init, import and a new dataset replace the model, the data and the classifier)
   * @param {() => object|null} worker.model  the model and its trainer (a Playground), or null
   * @param {() => object|null} worker.data  the loaded data (MnistData), or null
   * @param {() => object|null} worker.trainData  what training reads: the loaded data, or it with one's own images (MnistData.with_own)
   * @param {() => string|null} worker.dataName  the loaded dataset's name
   * @param {() => object|null} worker.classifier  the BackgroundClassifier that proposes a CVAE's labels, or null
   * @param {() => number} worker.generation  bumps when the model is replaced: an error from an older one is not reported
   * @param {(msg: object, transfer?: Transferable[]) => void} worker.post  a message to the page
   * @param {(e: unknown) => boolean} worker.trapped  handles a wasm trap; true when `e` was one
   * @param {import('./worker-files.js').ModelFiles} worker.files  told when training changed the model, asked for snapshots
   * @param {() => import('./evaluator.js').Evaluator|null} worker.evaluator  evaluates beside training, or null (one core)
   */
  constructor({ model, data, trainData, dataName, classifier, generation, post, trapped, files, evaluator }) {
    this.model = model;
    this.data = data;
    this.trainData = trainData;
    this.dataName = dataName;
    this.classifier = classifier;
    this.generation = generation;
    this.post = post;
    this.trapped = trapped;
    this.files = files;
    this.evaluator = evaluator;
    this.besideDue = false; // figures are due while a snapshot is being evaluated: send the next when it returns
    this.running = false; // play mode
    this.halted = false; // the core trapped: no slice runs again
    this.haltedTicks = 0; // slices that found it so (tests/web/worker.test.mjs waits for one)
    this.stepsLeft = 0; // from `step {n}`
    this.evalDue = false;
    this.lastEvalStep = -1;
    this.lastEvalMs = 0;
    this.evalMs = 0; // spent on the evaluation under way
    this.trainMsSinceEval = 0;
    this.scheduled = false;
    this.msPerBatch = 0; // running estimate, sizes the chunks
    // Throughput since the last progress message (the loss figures are averaged in the core).
    this.acc = { samples: 0, ms: 0 };
    this.stepId = undefined; // id of the `step` request whose test figures are due
    this.stepQuiet = false; // the step under way answers `stepped`, without a test evaluation
    this.lastProgress = 0;
    this.samplesPerSec = 0;
    this.clfTurn = 0;
    // MessageChannel rather than setTimeout(0): timers nest-clamp to 4 ms, and a
    // port message queues behind messages already waiting from the page, so
    // pause/reconstruct get through between slices.
    this.tickChannel = new MessageChannel();
    this.tickChannel.port1.onmessage = () => {
      this.scheduled = false;
      this.tick();
    };
  }

  /** Training or stepping: the model is changing. */
  get busy() {
    return this.running || this.stepsLeft > 0;
  }

  play(id) {
    this.stepsLeft = 0;
    this.setRunning(true, id);
  }

  pause(id) {
    const busy = this.busy;
    // A step cut short is answered at once; the figures that follow answer this pause.
    this.answerStepCut();
    this.stepsLeft = 0;
    this.stepQuiet = false;
    this.running = false;
    this.besideDue = false; // the pause's own figures follow
    // The run's last figures go before `state`: once the page hears it has
    // paused, no figure of the run is still on its way.
    if (busy && this.model()) this.postProgress();
    this.setRunning(false, id);
    this.files.snapshotIfChanged();
    if (busy && this.model()) this.evaluate();
  }

  /** `step {n}`, n already checked; `quiet`: answer `stepped` instead of evaluating. */
  step(id, n, quiet) {
    if (this.running) this.setRunning(false);
    // The earlier step's batches carry on under this one, which answers for both.
    this.answerStepCut();
    this.stepsLeft += n;
    this.stepId = id;
    this.stepQuiet = quiet;
    this.schedule();
  }

  /**
   * Answers the step under way (its batches or its evaluation), if any, as cut
   * short: every step gets an answer, so the page knows when all are done.
   */
  answerStepCut() {
    if (this.stepId !== undefined) this.post({ type: 'stepped', id: this.stepId, step: this.model()?.step, cut: true });
    this.stepId = undefined;
  }

  /** Evaluates the test set in the next slices (a new model, or training just stopped). */
  evaluate() {
    this.evalDue = true;
    this.schedule();
  }

  stop() {
    this.running = false;
    this.stepsLeft = 0;
    this.evalDue = false;
    this.besideDue = false;
  }

  /** The core trapped: no more slices of any kind, not even one already queued. */
  halt() {
    this.halted = true;
    this.stop();
  }

  /** A new model replaced the old one: forget the old one's figures (after stop()). */
  newModel() {
    this.stepId = undefined;
    this.lastEvalStep = -1;
    this.trainMsSinceEval = 0;
    this.msPerBatch = 0;
    this.samplesPerSec = 0;
    this.evalMs = 0;
    this.resetAccumulator();
  }

  setRunning(on, id) {
    this.running = on;
    this.post({ type: 'state', id, running: on });
    if (on) {
      this.lastProgress = performance.now();
      this.files.lastSnapshotAt = this.lastProgress; // the first snapshot after AUTOSAVE_MS of training
      this.schedule();
    }
  }

  schedule() {
    if (!this.scheduled) {
      this.scheduled = true;
      this.tickChannel.port2.postMessage(null);
    }
  }

  tick() {
    const pg = this.model();
    const data = this.data();
    const post = this.post;
    if (this.halted) return void this.haltedTicks++;
    if (!pg || !data) return;
    const gen = this.generation();
    const clf = this.classifier();
    const mainBusy = () => this.evalDue || this.running || this.stepsLeft > 0;
    try {
      // The background classifier gets the idle slices, and every fourth one while training.
      if (clf && !clf.trained && pg.conditional && clf.dataName === this.dataName() && (!mainBusy() || ++this.clfTurn % 4 === 0)) {
        clf.slice(data, SLICE_MS);
      } else if (this.evalDue) {
        this.evaluateSlice();
      } else if (this.running || this.stepsLeft > 0) {
        this.trainSlice();
        if (this.running && this.files.snapshotDue()) this.files.postSnapshot();
      }
    } catch (e) {
      if (this.trapped(e) || gen !== this.generation()) return;
      this.answerStepCut();
      this.stop();
      post({ type: 'error', where: 'train', message: errorText(e) });
      post({ type: 'state', running: false });
      return;
    }
    if (mainBusy() || (clf && !clf.trained && pg.conditional)) this.schedule();
  }

  trainSlice() {
    const pg = this.model();
    const data = this.trainData();
    const post = this.post;
    const t0 = performance.now();
    const epochBefore = pg.epoch;
    while (this.running || this.stepsLeft > 0) {
      const elapsed = performance.now() - t0;
      if (elapsed >= SLICE_MS) break;
      let k = this.msPerBatch > 0 ? Math.floor((SLICE_MS - elapsed) / this.msPerBatch) : 1;
      k = Math.max(1, Math.min(k, 1000));
      if (this.stepsLeft > 0) k = Math.min(k, this.stepsLeft);
      const t = performance.now();
      const seen = pg.samples_seen;
      try {
        pg.train(data, k);
      } catch (e) {
        if (e?.name === 'DivergedError') return this.onDiverged(e.message);
        throw e;
      }
      const ms = performance.now() - t;
      this.files.unsaved = true;
      this.msPerBatch = this.msPerBatch > 0 ? 0.7 * this.msPerBatch + 0.3 * (ms / k) : ms / k;
      const samples = pg.samples_seen - seen;
      this.acc.samples += samples;
      this.acc.ms += ms;
      this.trainMsSinceEval += ms;
      if (this.stepsLeft > 0) {
        this.stepsLeft -= k;
        if (this.stepsLeft === 0) {
          this.postProgress();
          this.files.snapshotIfChanged();
          if (this.stepQuiet) {
            post({ type: 'stepped', id: this.stepId, step: pg.step });
            this.stepId = undefined;
            this.stepQuiet = false;
          } else this.evalDue = true;
          return;
        }
      }
      if (this.stepQuiet) continue; // a quiet step evaluates nothing on the way
      if (pg.epoch !== epochBefore) {
        this.dueWhileRunning(); // the end of an epoch
        break;
      }
      if (this.trainMsSinceEval >= Math.max(EVAL_MIN_GAP_MS, EVAL_RATIO * this.lastEvalMs)) {
        this.dueWhileRunning();
        break;
      }
    }
    if (performance.now() - this.lastProgress >= PROGRESS_MS) this.postProgress();
  }

  resetAccumulator() {
    this.acc = { samples: 0, ms: 0 };
    this.model()?.take_train_stats(); // drops the core's figures too
  }

  postProgress() {
    const pg = this.model();
    if (!pg) return;
    this.lastProgress = performance.now();
    const acc = this.acc;
    if (acc.ms > 0) {
      const rate = (1000 * acc.samples) / acc.ms;
      this.samplesPerSec = this.samplesPerSec > 0 ? 0.5 * this.samplesPerSec + 0.5 * rate : rate;
    }
    const train = pg.take_train_stats(); // the mean since the last call, or null
    this.acc = { samples: 0, ms: 0 };
    this.post({
      type: 'progress',
      epoch: pg.epoch,
      step: pg.step,
      samplesSeen: pg.samples_seen,
      samplesPerSec: this.samplesPerSec,
      epochProgress: pg.epoch_progress,
      train,
      running: this.running,
    });
  }

  evaluateSlice() {
    const pg = this.model();
    const data = this.data();
    const post = this.post;
    if (pg.step === this.lastEvalStep) {
      this.evalDue = false; // figures for this step were already posted
      return;
    }
    const t0 = performance.now();
    let r;
    // Test batches are 500 images (36 for the largest model, so Pause waits
    // for a fraction of a second: EvaluationPass::batch_for); a slice runs as many as fit.
    do {
      r = pg.evaluate_test_some(data, 1);
    } while (!r && performance.now() - t0 < SLICE_MS);
    this.evalMs += performance.now() - t0;
    if (!r) {
      const total = data.test_len;
      post({ type: 'evaluating', done: Math.round(pg.evaluation_progress(data) * total), total });
      return;
    }
    this.lastEvalMs = this.evalMs;
    this.evalMs = 0;
    this.evalDue = false;
    this.lastEvalStep = pg.step;
    this.trainMsSinceEval = 0;
    const id = this.stepsLeft === 0 ? this.stepId : undefined;
    if (id !== undefined) this.stepId = undefined;
    // r: the figures by name and klPerDim, from the core.
    post({ ...r, type: 'test', id, step: pg.step, epoch: pg.epoch, ms: Math.round(this.lastEvalMs) }, [r.klPerDim.buffer]);
  }

  /** Test figures are due while running: beside training when the evaluation worker can take a snapshot, else here. */
  dueWhileRunning() {
    const ev = this.evaluator();
    if (!this.running || !ev || ev.broken || !ev.hasData) return void (this.evalDue = true);
    this.trainMsSinceEval = 0;
    // The weights alone (evaluator.js takes them): the figures depend on nothing else.
    if (!ev.evaluate()) this.besideDue = true; // sent when the snapshot on its way is answered
  }

  /** Figures from the evaluation worker for the snapshot `taken` {step, epoch, gen}. */
  besideFigures(taken, figures, ms) {
    if (taken.gen === this.generation() && taken.step > this.lastEvalStep) {
      this.lastEvalStep = taken.step;
      this.post({ ...figures, type: 'test', step: taken.step, epoch: taken.epoch, ms: Math.round(ms), beside: true }, [figures.klPerDim.buffer]);
    }
  }

  /** No snapshot is on its way to the evaluation worker: figures that waited for it go now. */
  besideIdle() {
    if (this.besideDue && this.running && this.model()) {
      this.besideDue = false;
      this.evaluator().evaluate();
    }
  }

  /** The evaluation worker failed: figures owed by it are evaluated here. */
  besideFailed() {
    this.besideDue = false;
    if (this.model()) this.evaluate();
  }

  onDiverged(message) {
    const post = this.post;
    this.answerStepCut();
    this.stop();
    this.resetAccumulator();
    post({ type: 'diverged', message });
    post({ type: 'state', running: false });
    this.postProgress();
    this.files.snapshotIfChanged(); // the rolled-back weights
    this.evalDue = true;
  }
}
