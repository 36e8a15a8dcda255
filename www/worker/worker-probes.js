// The worker's answers to `probe` requests: the measurements the lessons
// show, each one call into the core (src/probes, src/latent; bound in
// src/wasm/probes.rs and src/wasm/measures.rs). The worker owns the model;
// this file only checks the request and packs the typed arrays.
//
//   probe {id, what, ...}  -> probed {id, what, ...result}
//   grad_norms {pixels, labels?, seed?}      -> {names: string[], norms: Float32Array}
//        ‖∂objective/∂W‖_F of each weight matrix, forward order, on this batch.
//   output_slopes {pixels, bins = 25}        -> {hist: Float32Array(bins), mean}
//        how the output sigmoid's slope σ′(s) = μ(1−μ) is spread over the pixels.
//   decoder_samples {pixels (one image), n, seed?} -> {pixels: Float32Array((n+1)·784)}
//        the decoder's mean, then n draws x ~ p(x|z).
//   nll {pixels}                             -> {nll: Float32Array(n)}   −log p(x|z) per image, nats
//   white_chances {pixels}                   -> {pixels: Float32Array(n·784)}   each pixel's chance of white
//   noise_curve {levels, kind, n, seed?}     -> {errors: Float32Array(levels)}
//        Σ(x̂(x̃) − x)² per image over the first n test images, x̃ corrupted at each level.
//   jacobian {pixels}                        -> {norms: Float32Array(n)}   ‖∂code/∂x‖_F per image
//   code_shift {pixels, radius, seed?}       -> {shifts: Float32Array(n)}
//   nearest_train {pixels}                   -> {indices, distances, images}  nearest training image of each
//   map_knn {limit, k}                       -> {accuracy}   k-NN accuracy of the latent plot's 2-D map
//   pixel_map {limit, k}                     -> {xy, labels, accuracy, explained}   the test set by pixel PCA
//   retrieval {space: 'code'|'pixels', k, queries}  -> {precision}   precision@k over the test set
//   evaluate {}                              -> {loss, recon, kl, …, klPerDim}   the whole test set, now
//   judge {n, seed?, threshold, sampler?}    -> {confident, classes: Float32Array(10), n, samples}
//        samples read by a classifier trained here on the loaded data set.
//        sampler: 'own' (default: the model's prior, or for a plain AE a Gaussian
//        fitted to its test codes) or 'standard' (z ~ N(0, I) whatever the model).
//   lesson_figures {lesson, side, judged?}   -> {figures: {name: number}}   this side's figures for a
//        measured lesson (src/claims), the ones its verdict rests on; judged: the lesson reads
//        samples with the judging classifier (trained here on first use).
//   lesson_verdict {lesson, figures: [{…}]}  -> {verdict: {holds, rules: [{id, says, measure, value,
//        holds, above, below, seeds}]}}   every side's figures judged by the lesson's rules.

import { asF32, seedOf } from './messages.js';

/** Most images one probe takes (a batch of the test set). */
const MAX_IMAGES = 2000;

/**
 * @param {object} msg  the request
 * @param {object} worker  what the probes use of the worker
 * @param {object} worker.pg  the model (a Playground)
 * @param {object|null} worker.data  the loaded data (MnistData), or null before any is loaded
 * @param {object} worker.core  the loaded core, for its array measures (knn_accuracy, pca_2d, …) and lesson_verdict
 * @param {(fresh?: boolean) => {lv: object, limit: number}|null} worker.currentView  the latent plot's view (latent-space.js's LatentViews.current)
 * @param {() => object} worker.judgeClassifier  the classifier that reads samples, trained to the end on first use
 * @returns {[object, Transferable[]]} the reply's fields and what to transfer
 */
export function answerProbe(msg, { pg, data, core, currentView, judgeClassifier }) {
  const pixels = () => {
    const p = asF32(msg.pixels, 'pixels');
    if (p.length === 0 || p.length % pg.input !== 0 || p.length / pg.input > MAX_IMAGES) {
      throw new Error(`a probe takes 1 to ${MAX_IMAGES} images of ${pg.input} pixels, got ${p.length} numbers`);
    }
    return p;
  };
  const labels = (n) => (msg.labels !== undefined ? Uint8Array.from(msg.labels) : new Uint8Array(n));
  const needData = () => {
    if (!data) throw new Error('the dataset is not loaded yet');
    return data;
  };
  const limit = (v, dflt) => Math.max(1, Math.min(Math.floor(Number(v ?? dflt)) || dflt, needData().test_len));
  switch (msg.what) {
    case 'grad_norms': {
      const p = pixels();
      const norms = pg.grad_norms(p, labels(p.length / pg.input), seedOf(pg, msg.seed));
      return [{ names: pg.grad_layer_names(), norms }, [norms.buffer]];
    }
    case 'output_slopes': {
      const p = pixels();
      const bins = Math.max(2, Math.min(Math.floor(Number(msg.bins ?? 25)) || 25, 200));
      const out = pg.output_slopes(p, labels(p.length / pg.input), bins);
      const hist = out.slice(0, bins);
      return [{ hist, mean: out[bins] }, [hist.buffer]];
    }
    case 'decoder_samples': {
      const p = pixels();
      if (p.length !== pg.input) throw new Error('decoder_samples takes one image');
      const n = Math.max(1, Math.min(Math.floor(Number(msg.n)) || 1, 64));
      const out = pg.decoder_samples(p, labels(1), n, seedOf(pg, msg.seed));
      return [{ pixels: out, n }, [out.buffer]];
    }
    case 'nll': {
      const p = pixels();
      const nll = pg.nll_per_image(p, labels(p.length / pg.input));
      return [{ nll }, [nll.buffer]];
    }
    case 'white_chances': {
      const p = pixels();
      const out = pg.white_chances(p, labels(p.length / pg.input));
      return [{ pixels: out }, [out.buffer]];
    }
    case 'noise_curve': {
      const levels = asF32(msg.levels, 'levels');
      if (levels.length < 1 || levels.length > 32) throw new Error('noise_curve takes 1 to 32 levels');
      const kind = msg.kind === 'gaussian' ? 'gaussian' : 'mask';
      const errors = pg.noise_curve(needData(), levels, kind, limit(msg.n, 500), seedOf(pg, msg.seed));
      return [{ errors, kind }, [errors.buffer]];
    }
    case 'jacobian': {
      const p = pixels();
      const norms = pg.jacobian_norms(p, labels(p.length / pg.input));
      return [{ norms }, [norms.buffer]];
    }
    case 'code_shift': {
      const p = pixels();
      const radius = Number(msg.radius);
      if (!(radius > 0 && radius <= 28)) throw new Error('code_shift needs a radius between 0 and 28');
      const shifts = pg.code_shift(p, labels(p.length / pg.input), radius, seedOf(pg, msg.seed));
      return [{ shifts }, [shifts.buffer]];
    }
    case 'nearest_train': {
      const p = pixels();
      const { indices, distances } = needData().nearest_train(p);
      const images = data.train_images_at(indices);
      return [{ indices, distances, images }, [indices.buffer, distances.buffer, images.buffer]];
    }
    case 'map_knn': {
      const n = limit(msg.limit, 2000);
      const v = currentView(true);
      const xy = n === v.limit ? v.lv.xy() : v.lv.project(pg.encode_test(data, n));
      const accuracy = core.knn_accuracy(xy, 2, data.test_labels(n), Math.max(1, Math.min(Number(msg.k ?? 5) || 5, 50)));
      return [{ accuracy, n }, []];
    }
    case 'pixel_map': {
      const n = limit(msg.limit, 2000);
      const images = Float32Array.from(needData().test_pixels(n), (x) => x / 255);
      const { xy, explained } = core.pca_2d(images, pg.input);
      const labelsN = data.test_labels(n);
      const accuracy = core.knn_accuracy(xy, 2, labelsN, Math.max(1, Math.min(Number(msg.k ?? 5) || 5, 50)));
      return [{ xy, labels: labelsN, accuracy, explained, n }, [xy.buffer, labelsN.buffer]];
    }
    case 'retrieval': {
      const d = needData();
      const n = d.test_len;
      const k = Math.max(1, Math.min(Math.floor(Number(msg.k ?? 8)) || 8, 50));
      const queries = Math.max(1, Math.min(Math.floor(Number(msg.queries ?? 1000)) || 1000, n));
      const all = d.test_labels(n);
      const precision =
        msg.space === 'pixels'
          ? core.retrieval_precision(Float32Array.from(d.test_pixels(n), (x) => x / 255), pg.input, all, k, queries)
          : core.retrieval_precision(pg.encode_test(d, n), pg.latent, all, k, queries);
      return [{ precision, k, queries, n }, []];
    }
    case 'evaluate': {
      const r = pg.evaluate_test(needData());
      return [r, [r.klPerDim.buffer]];
    }
    case 'judge': {
      const n = Math.max(1, Math.min(Math.floor(Number(msg.n)) || 500, 1000));
      const threshold = Number(msg.threshold ?? 0.9);
      const clf = judgeClassifier();
      let mean = new Float32Array(0);
      let std = new Float32Array(0);
      if (msg.sampler === 'standard') {
        mean = new Float32Array(pg.latent);
        std = new Float32Array(pg.latent).fill(1);
      } else if (!pg.has_prior) {
        const v = currentView();
        mean = v.lv.code_mean;
        std = v.lv.code_std;
      }
      const samples = pg.sample(n, new Uint8Array(n), mean, std, seedOf(pg, msg.seed));
      const probs = clf.pg.encode(samples, new Uint8Array(0));
      const classes = new Float32Array(10);
      let confident = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (probs[i * 10 + c] > probs[i * 10 + best]) best = c;
        classes[best] += 1 / n;
        if (probs[i * 10 + best] > threshold) confident++;
      }
      const shown = samples.slice(0, Math.min(n, 32) * pg.input);
      return [{ confident: confident / n, classes, n, threshold, samples: shown }, [classes.buffer, shown.buffer]];
    }
    case 'lesson_figures': {
      const [name, side] = [String(msg.lesson), Math.max(0, Math.floor(Number(msg.side)) || 0)];
      const json = msg.judged ? pg.lesson_figures_judged(name, side, needData(), judgeClassifier().pg) : pg.lesson_figures(name, side, needData());
      const figures = JSON.parse(json);
      return [{ figures }, []];
    }
    case 'lesson_verdict': {
      const verdict = JSON.parse(core.lesson_verdict(String(msg.lesson), JSON.stringify(msg.figures ?? [])));
      return [{ verdict }, []];
    }
    default:
      throw new Error(`unknown probe “${msg.what}”`);
  }
}
