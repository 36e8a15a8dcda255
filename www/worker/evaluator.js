// The training worker's side of the evaluation worker (evaluation-worker.js),
// which evaluates the test set and answers the latent space's requests on a
// snapshot of the weights while training goes on here.
//
// - At most one snapshot is on its way at a time. The next test figures wait
//   for it (they are sent when it is answered); a view request that finds one
//   on its way rides on it, since the evaluation worker takes messages in order.
// - A view request takes a new snapshot only when the one held there is of
//   other weights, and at least SPACING times the last snapshot's own cost
//   after it: snapshots then take at most 1/SPACING of training's time, even
//   for the largest model (whose views ride on older weights instead).
// - On one core, or if the second worker fails, `available` is false and the
//   training worker does both in place (worker-training.js, worker.js), as
//   before; requests it had sent are answered in place then.

/** A view snapshot waits at least this many times the last snapshot's cost. */
const SPACING = 20;

export class Evaluator {
  /**
   * @param {string} build  the core build the training worker runs (the evaluation worker runs the same)
   * @param {object} hooks
   * @param {() => {bytes: Uint8Array, step: number, epoch: number, gen: number}} hooks.snapshot  the weights now (Playground.save_weights)
   * @param {(taken: {step, epoch, gen}, figures: object, ms: number) => void} hooks.onFigures  the test figures of snapshot `taken`
   * @param {(reply: object, buffers: ArrayBuffer[]) => void} hooks.onView  a view request's reply, for the page
   * @param {() => void} hooks.onIdle  no snapshot is on its way any more: figures that waited may go
   * @param {(requests: object[]) => void} hooks.onFailed  the evaluation worker failed: do everything in place from
   *        now on, beginning with `requests`, the view requests it had not answered (in the order they came)
   */
  constructor(build, hooks) {
    this.hooks = hooks;
    this.onTheWay = null; // the message carrying the snapshot on its way: {kind: 'evaluate'|'view', step, epoch, gen, seq?}
    this.sent = null; // {step, gen} of the last snapshot sent: what a view request without one is answered on
    this.snapshotAt = -Infinity; // performance.now() when it was taken
    this.snapshotMs = 0; // what taking it cost
    this.broken = null; // why the evaluation worker stopped, or null
    this.hasData = false;
    this.seq = 0;
    this.views = new Map(); // seq -> a view request sent and not yet answered
    this.worker = new Worker(new URL(`./evaluation-worker.js?build=${build}`, import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev) => this.receive(ev.data);
    this.worker.onerror = (e) => this.fail(e.message || 'the evaluation worker stopped');
  }

  /** Whether test figures can go now. */
  get available() {
    return !this.broken && this.hasData && !this.onTheWay;
  }

  /** The test set (IDX bytes, copied: the training worker keeps its own). */
  setData(images, labels, binary) {
    this.worker.postMessage({ type: 'data', images: images.slice(), labels: labels.slice(), binary });
    this.hasData = true;
  }

  /** A snapshot of the weights now, timed, for the message `msg`. */
  take(msg) {
    const t0 = performance.now();
    const s = this.hooks.snapshot();
    this.snapshotAt = performance.now();
    this.snapshotMs = this.snapshotAt - t0;
    this.sent = { step: s.step, gen: s.gen };
    this.onTheWay = { kind: msg.type, step: s.step, epoch: s.epoch, gen: s.gen, seq: msg.seq };
    Object.assign(msg, { bytes: s.bytes, step: s.step, gen: s.gen });
    this.worker.postMessage(msg, [s.bytes.buffer]);
  }

  /** Sends a snapshot to have its test figures computed; false if one is on its way already. */
  evaluate() {
    if (!this.available) return false;
    this.take({ type: 'evaluate' });
    return true;
  }

  /**
   * Sends the page's view request `request` (a latent-space.js request, its
   * seed filled in) to be answered on a snapshot of the model at `now`
   * {step, gen}, or one a little older of the same model; false if it must be
   * answered in place (no data there yet, or only another model's weights).
   */
  view(request, now) {
    if (this.broken || !this.hasData) return false;
    const msg = { type: 'view', seq: ++this.seq, request };
    const same = this.sent?.gen === now.gen;
    const due = !same || (this.sent.step !== now.step && performance.now() - this.snapshotAt >= SPACING * this.snapshotMs);
    if (due && !this.onTheWay) this.take(msg);
    else if (same) this.worker.postMessage(msg);
    else return false;
    this.views.set(msg.seq, request);
    return true;
  }

  receive(msg) {
    if (msg.type === 'failed') return this.fail(msg.message);
    const taken = this.onTheWay;
    const answered = msg.type === 'evaluated' ? taken?.kind === 'evaluate' : taken?.kind === 'view' && taken.seq === msg.seq;
    if (msg.type === 'viewed') {
      this.views.delete(msg.seq);
      this.hooks.onView(msg.reply, msg.buffers);
    } else if (taken) {
      this.hooks.onFigures(taken, msg.figures, msg.ms);
    }
    if (answered) {
      this.onTheWay = null;
      this.hooks.onIdle();
    }
  }

  fail(message) {
    if (this.broken) return;
    this.broken = message;
    this.onTheWay = null;
    this.worker.terminate();
    const lost = [...this.views.values()];
    this.views.clear();
    this.hooks.onFailed(lost);
  }
}
