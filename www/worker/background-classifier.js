// A small classifier the worker trains in the background, on the loaded data
// set, while a conditional VAE is the model: it proposes the drawing's label
// (a CVAE needs one, and a new user should not have to know that). It trains
// only in the worker's spare time slices and for a fixed number of batches.

// Its settings and length are the core's (src/claims/judge.rs): the lessons'
// verdicts read samples with this classifier, natively and here alike.

export class BackgroundClassifier {
  /** @param {typeof import('../pkg/simd/ae_playground.js').Playground} Playground */
  constructor(Playground, dataName) {
    this.pg = Playground.judge_classifier();
    this.batches = Playground.judge_batches();
    this.dataName = dataName;
    this.done = 0;
  }

  get trained() {
    return this.done >= this.batches;
  }

  /** Trains for up to `ms` milliseconds; returns true while there is more to do. */
  slice(data, ms) {
    const t0 = performance.now();
    while (!this.trained && performance.now() - t0 < ms) {
      const k = Math.min(10, this.batches - this.done);
      this.pg.train(data, k);
      this.done += k;
    }
    return !this.trained;
  }

  /** Class probabilities for one image, and how far the training has got (0–1). */
  classify(pixels) {
    const probs = this.pg.encode(pixels, new Uint8Array(0));
    return { probs, progress: Math.min(1, this.done / this.batches) };
  }

  free() {
    this.pg.free();
  }
}
