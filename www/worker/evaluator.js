// The training worker's side of evaluation beside training: a second worker
// (evaluation-worker.js) evaluates the test set on a snapshot of the weights
// while training goes on here. At most one snapshot is on its way; the next
// is taken when the figures for that one come back. On one core, or if the
// second worker fails, `available` is false and the loop evaluates in place
// (worker-training.js), as before.

export class Evaluator {
  /**
   * @param {string} build  the core build the training worker runs (the evaluation worker runs the same)
   * @param {(pending: {step, epoch, gen}, figures: object, ms: number) => void} onFigures
   * @param {() => void} onFailed  the evaluation worker failed: evaluate in place from now on
   */
  constructor(build, onFigures, onFailed) {
    this.onFigures = onFigures;
    this.onFailed = onFailed;
    this.pending = null; // {step, epoch, gen} of the snapshot being evaluated
    this.broken = null; // why evaluation beside training stopped, or null
    this.hasData = false;
    this.worker = new Worker(new URL(`./evaluation-worker.js?build=${build}`, import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (e) => this.fail(e.message || 'the evaluation worker stopped');
  }

  /** Whether a snapshot can go now. */
  get available() {
    return !this.broken && this.hasData && !this.pending;
  }

  /** The test set (IDX bytes, copied: the training worker keeps its own). */
  setData(images, labels, binary) {
    this.worker.postMessage({ type: 'data', images: images.slice(), labels: labels.slice(), binary });
    this.hasData = true;
  }

  /** Sends `bytes` (a snapshot at `step`) to be evaluated; false if one is on its way already. */
  evaluate(bytes, step, epoch, gen) {
    if (!this.available) return false;
    this.pending = { step, epoch, gen };
    this.worker.postMessage({ type: 'evaluate', bytes }, [bytes.buffer]);
    return true;
  }

  receive(msg) {
    const pending = this.pending;
    this.pending = null;
    if (msg.type === 'failed') return this.fail(msg.message);
    if (pending) this.onFigures(pending, msg.figures, msg.ms);
  }

  fail(message) {
    if (this.broken) return;
    this.broken = message;
    this.pending = null;
    this.worker.terminate();
    this.onFailed();
  }
}
