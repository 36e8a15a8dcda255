// The worker's answers about the latent space: the requests that encode,
// decode, sample and project with the current model, and the latent plot's
// view of it (its codes, their statistics and projection) that they share.
// The worker owns the model and the data; it hands this file ways to read
// the ones of the moment and its `post` (the constructor lists them).
// Messages as in worker.js's protocol
// (typed arrays travel as transferred buffers; a reply carries its request's id,
// and `step`: the batch count of the weights it describes). While training
// runs with a second core, the evaluation worker answers them on a snapshot
// of the weights (evaluator.js), so training does not pause for them; then
// `step` is the snapshot's, a little behind the training.
//
// main -> worker
//   reconstruct {id, pixels: Float32Array(784·n), label?}
//        -> reconstruction {id, pixels, code: Float32Array(latent·n),
//                           logvar: Float32Array|null, xy: Float32Array(2·n), xyStd: Float32Array(2·n)|null}
//        xy is the code in the latent plot's coordinates: the projection of the
//        last `latent` reply, recomputed from the current model once that is
//        over 2 s old and training has moved on. xyStd is the posterior's std
//        along those axes (VAEs). label conditions a CVAE (default 0).
//   latent {id?, limit = 2000, withImages?}
//        -> latent {id, xy: Float32Array(2·n), labels: Uint8Array(n), dims, projection: 'none'|'pca',
//                   images?: Uint8Array(784·n) (the test images themselves, 0–255, when withImages),
//                   pca?: {mean: Float32Array(dims), components: Float32Array(2·dims), variance: [λ1, λ2], explained}}
//        Codes of the first `limit` test images. With 1 or 2 dims the code is
//        the plot (y = 0 for 1 dim); with more, its first two principal
//        components (x = components[0..dims]·(z − mean), y likewise).
//   decode {id, z: Float32Array(latent·n) | xy: Float32Array(2·n), labels?: Uint8Array(n)}
//        -> decoded {id, pixels, n}   (xy is mapped back through the plot's projection)
//   sample {id, n, label? | labels?: Uint8Array(n), seed?}
//        -> decoded {id, pixels, n}   z ~ N(0, I) for VAEs, z ~ p(z) for an AAE (its
//        prior; with aae_labels each sample from its label's part); for the other
//        AEs, which have no prior, a diagonal Gaussian fitted to the test codes.
//        The noise comes from the core's generator seeded with `seed` (an
//        integer 0…2³²−1; default: the training seed), so the same seed gives
//        the same z: the samples then change only as the decoder learns.
//   corrupt {id, pixels: Float32Array(784·n), seed?}
//        -> corrupted {id, pixels: Float32Array(784·n)}   the images corrupted as
//        the model's config says a DAE's input is in training (noise, noise_level),
//        by the core's own noise function seeded with `seed` (default: the
//        training seed). Gaussian noise can leave [0, 1]: clamp to display.
//   manifold {id, n, label?}
//        -> decoded {id, pixels, n: n·n, xy: Float32Array(2·n·n)}
//        An n×n grid at Gaussian quantiles (i+½)/n (Kingma & Welling 2014, fig. 4):
//        of the prior for a VAE with 2 dims, of the codes' spread otherwise,
//        for an AAE with 2 dims over its prior's support (quantiles of N(0, I),
//        an even grid over the square holding the mixture or the roll),
//        along the first two principal directions when dims > 2. Row-major,
//        first row at the largest y (top of a plot whose y points up).
//   classes {id, pixels: Float32Array(784), label = 0}     (CVAE only, else error)
//        -> decoded {id, pixels, n: classes}   the drawing's z decoded with every label
//        (0…9, then one's own classes when the CVAE was built with them: worker.js `own`).
//   interpolate {id, a: Float32Array(784), b: Float32Array(784), steps, label?}
//        -> decoded {id, pixels, n: steps}   decodes of (1−t)·z_a + t·z_b.
//   neighbours {id, pixels: Float32Array(784), k = 8, label?, bits?}  (bits: by Hamming distance, codes cut at ½)
//        -> neighbours {id, pixels: Float32Array(784·k) in [0,1], labels: Uint8Array(k),
//                       indices: Uint32Array(k), distances: Float32Array(k)}
//        Retrieval by code: the k test images of the latent plot whose codes lie
//        nearest the drawing's code (Euclidean, in the full code space).
//   prior {id, n, seed?}   (VAEs and the AAE, else error)
//        -> prior {id, xy: Float32Array(2·n)}   n draws from the model's prior p(z)
//        (the whole prior), in the latent plot's coordinates (through the current
//        projection, as `latent`'s xy): the grey cloud under the codes. The core
//        draws them from its generator seeded with `seed` (default: the training seed).
import { asF32, seedOf } from './messages.js';

/** A PCA basis / code statistics younger than this is reused for drawing requests. */
const PROJECTION_TTL_MS = 2000;
const LATENT_LIMIT = 2000;
/** The requests this file answers: each is the LatentViews method of that name. */
const REQUESTS = new Set(['reconstruct', 'latent', 'decode', 'sample', 'prior', 'manifold', 'classes', 'interpolate', 'neighbours', 'corrupt']);

/** Labels for n images: the request's `label` for all, or zeros. The core checks it against the model's classes. */
function labelsFor(n, label) {
  const l = new Uint8Array(n);
  if (label !== undefined && label !== null) {
    const v = Number(label);
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) throw new Error(`label ${label} is not a whole number 0–255`);
    l.fill(v);
  }
  return l;
}

export class LatentViews {
  /**
   * @param {object} worker  what this file uses of the worker; the functions read it as it is now
   * @param {() => object|null} worker.model  the model (a Playground; init and import replace it)
   * @param {() => object|null} worker.data  the loaded data (MnistData), or null before any is loaded
   * @param {() => Function} worker.LatentView  the core's LatentView class (codes, statistics, projection), once the core has loaded
   * @param {(msg: object, transfer?: Transferable[]) => void} worker.post  a message to the page
   * @param {() => number} [worker.step]  the batch count of the weights the model holds (default: the model's own;
   *        the evaluation worker's snapshots are weights alone, their batch count travels beside them)
   */
  constructor({ model, data, LatentView, post, step = () => model().step }) {
    this.model = model;
    this.data = data;
    this.LatentView = LatentView;
    this.step = step;
    // Every reply says which weights it describes.
    this.post = (msg, transfer) => post({ ...msg, step: this.step() }, transfer);
    // What the latent plot shows: {lv: LatentView (codes, statistics, projection), step, at, limit}.
    this.view = null;
    // The principal plane the plot was last drawn on (2 × dims, or null): a new view's plane points
    // the same way, whichever worker built the last one (a request may carry it as `orient`).
    this.orient = null;
  }

  /** Whether `type` is a request this file answers. */
  answers(type) {
    return REQUESTS.has(type);
  }

  answer(msg) {
    if (msg.orient) this.orient = msg.orient;
    return this[msg.type](msg);
  }

  drop() {
    this.view?.lv.free();
    this.view = null;
  }

  /** `request` as it goes to the other worker: with the plane last drawn, for its views to follow. */
  forwarded(request) {
    return { ...request, orient: this.orient };
  }

  /** A reply the other worker drew for the page: a view built here follows the plane it drew. */
  drawnThere(reply) {
    if (reply.pca) this.orient = reply.pca.components;
  }

  /** Drops the view and its orientation: another model's plane says nothing of this one's. */
  reset() {
    this.drop();
    this.orient = null;
  }

  /**
   * The latent plot's view of the current model (src/latent via LatentView),
   * rebuilt when the model has trained since and it is older than
   * PROJECTION_TTL_MS. A rebuilt view keeps the orientation of the plane last drawn.
   */
  current(fresh = false) {
    const pg = this.model();
    const data = this.data();
    if (!data) return null;
    const step = this.step();
    const view = this.view;
    if (view && !fresh && (view.step === step || performance.now() - view.at < PROJECTION_TTL_MS)) return view;
    const limit = Math.min(LATENT_LIMIT, data.test_len);
    const codes = pg.encode_test(data, limit);
    const orient = this.orient?.length === 2 * pg.latent ? this.orient : new Float32Array(0);
    const LatentView = this.LatentView();
    const lv = new LatentView(codes, pg.latent, orient);
    this.drop();
    this.view = { lv, step, at: performance.now(), limit };
    if (lv.projection === 'pca') this.orient = lv.components;
    return this.view;
  }

  /** Runs f with the current view, or with the prior's (1 or 2 dims) before any data is loaded. */
  withView(f) {
    const pg = this.model();
    const v = this.current();
    if (v) return f(v.lv);
    if (pg.latent > 2) throw new Error('the dataset is not loaded yet: there is no projection of the codes to use');
    const prior = this.LatentView().prior(pg.latent);
    try {
      return f(prior);
    } finally {
      prior.free();
    }
  }

  reconstruct(msg) {
    const pg = this.model();
    const pixels = asF32(msg.pixels, 'pixels');
    const n = Math.floor(pixels.length / pg.input);
    const labels = labelsFor(n, msg.label);
    const code = pg.encode(pixels, labels);
    const logvar = pg.encode_logvar(pixels, labels) ?? null;
    const out = pg.kind === 'classifier' ? new Float32Array(0) : pg.reconstruct(pixels, labels);
    const v = this.current();
    const xy = v ? v.lv.project(code) : null;
    const xyStd = v && logvar ? v.lv.project_std(logvar) : null;
    const transfer = [out.buffer, code.buffer];
    if (logvar) transfer.push(logvar.buffer);
    if (xy) transfer.push(xy.buffer);
    if (xyStd) transfer.push(xyStd.buffer);
    this.post({ type: 'reconstruction', id: msg.id, pixels: out, code, logvar, xy, xyStd }, transfer);
  }

  neighbours(msg) {
    const pg = this.model();
    const data = this.data();
    const v = this.current();
    if (!v) throw new Error('the dataset is not loaded yet');
    const pixels = asF32(msg.pixels, 'pixels');
    if (pixels.length !== pg.input) throw new Error(`neighbours takes one image of ${pg.input} pixels`);
    const k = Math.max(1, Math.min(Math.floor(Number(msg.k ?? 8)) || 8, 32));
    const code = pg.encode(pixels, labelsFor(1, msg.label));
    // A hashing model's codes are compared as bits, by how many differ.
    const { indices, distances } = msg.bits ? v.lv.neighbours_by_bits(code, k) : v.lv.neighbours(code, k);
    const out = data.test_images_at(indices);
    const labels = data.test_labels_at(indices);
    this.post({ type: 'neighbours', id: msg.id, pixels: out, labels, indices, distances }, [out.buffer, labels.buffer, indices.buffer, distances.buffer]);
  }

  latent(msg) {
    const pg = this.model();
    const data = this.data();
    if (!data) throw new Error('the dataset is not loaded yet');
    const limit = Math.max(1, Math.min(Math.floor(Number(msg.limit ?? LATENT_LIMIT)) || LATENT_LIMIT, data.test_len));
    const { lv, limit: held } = this.current(true);
    const xy = limit === held ? lv.xy() : lv.project(pg.encode_test(data, limit));
    const labels = data.test_labels(limit);
    const reply = { type: 'latent', id: msg.id, xy, labels, dims: lv.dims, projection: lv.projection };
    if (lv.projection === 'pca') reply.pca = { mean: lv.mean, components: lv.components, variance: Array.from(lv.variance), explained: lv.explained };
    const transfer = [xy.buffer, labels.buffer];
    if (msg.withImages) {
      reply.images = data.test_pixels(limit);
      transfer.push(reply.images.buffer);
    }
    this.post(reply, transfer);
  }

  decode(msg) {
    const pg = this.model();
    let z;
    let n;
    if (msg.z !== undefined) {
      z = asF32(msg.z, 'z');
      n = Math.floor(z.length / pg.latent);
    } else if (msg.xy !== undefined) {
      const xy = asF32(msg.xy, 'xy');
      n = Math.floor(xy.length / 2);
      z = this.withView((lv) => lv.unproject(xy));
    } else {
      throw new Error('decode needs z or xy');
    }
    const labels = msg.labels !== undefined ? Uint8Array.from(msg.labels) : new Uint8Array(0);
    this.postDecoded(msg.id, pg.decode(z, labels), n);
  }

  sample(msg) {
    const pg = this.model();
    const n = Math.floor(Number(msg.n));
    if (!(n >= 1 && n <= 1000)) throw new Error(`sample needs n between 1 and 1000, got ${msg.n}`);
    const seed = seedOf(pg, msg.seed);
    // One label for all, or one per sample (a CVAE's row of classes); the core checks them.
    const labels = msg.labels !== undefined ? Uint8Array.from(msg.labels) : labelsFor(n, msg.label);
    let mean = new Float32Array(0);
    let std = new Float32Array(0);
    if (!pg.has_prior) {
      const v = this.current();
      if (v) {
        mean = v.lv.code_mean;
        std = v.lv.code_std;
      }
    }
    this.postDecoded(msg.id, pg.sample(n, labels, mean, std, seed), n);
  }

  prior(msg) {
    const pg = this.model();
    if (!pg.has_prior) throw new Error(`a ${pg.kind} has no prior to draw from (only vae, cvae and aae)`);
    const n = Math.floor(Number(msg.n));
    if (!(n >= 1 && n <= 5000)) throw new Error(`prior needs n between 1 and 5000, got ${msg.n}`);
    const z = pg.prior_samples(n, seedOf(pg, msg.seed));
    const xy = this.withView((lv) => lv.project(z));
    this.post({ type: 'prior', id: msg.id, xy }, [xy.buffer]);
  }

  corrupt(msg) {
    const pg = this.model();
    const pixels = asF32(msg.pixels, 'pixels');
    const out = pg.corrupt(pixels, seedOf(pg, msg.seed));
    this.post({ type: 'corrupted', id: msg.id, pixels: out }, [out.buffer]);
  }

  manifold(msg) {
    const pg = this.model();
    const n = Math.floor(Number(msg.n));
    if (!(n >= 1 && n <= 50)) throw new Error(`manifold needs n between 1 and 50, got ${msg.n}`);
    if (pg.kind === 'aae' && pg.latent === 2) {
      // The AAE's codes take its prior's shape: the grid covers that prior's support.
      const z = pg.prior_grid(n);
      this.postDecoded(msg.id, pg.decode(z, labelsFor(n * n, msg.label)), n * n, z.slice());
      return;
    }
    // A VAE with 1 or 2 dims: its prior; otherwise the codes' own spread.
    const prior = pg.variational && pg.latent <= 2;
    const { xy, z } = this.withView((lv) => lv.manifold(n, prior));
    this.postDecoded(msg.id, pg.decode(z, labelsFor(n * n, msg.label)), n * n, xy);
  }

  classes(msg) {
    const pg = this.model();
    if (!pg.conditional) throw new Error('only a conditional VAE (cvae) decodes one code with each label');
    const pixels = asF32(msg.pixels, 'pixels');
    const z = pg.encode(pixels, labelsFor(1, msg.label ?? 0));
    const k = pg.latent;
    if (z.length !== k) throw new Error(`classes takes one image (${pg.input} pixels), got ${pixels.length} numbers`);
    // Every label the CVAE knows: the 10 digits, and one's own classes after them.
    const c = pg.classes;
    const zs = new Float32Array(c * k);
    const labels = new Uint8Array(c);
    for (let l = 0; l < c; l++) {
      zs.set(z, l * k);
      labels[l] = l;
    }
    this.postDecoded(msg.id, pg.decode(zs, labels), c);
  }

  interpolate(msg) {
    const pg = this.model();
    const steps = Math.floor(Number(msg.steps));
    if (!(steps >= 2 && steps <= 100)) throw new Error(`interpolate needs steps between 2 and 100, got ${msg.steps}`);
    const a = asF32(msg.a, 'a');
    const b = asF32(msg.b, 'b');
    if (a.length !== pg.input || b.length !== pg.input) throw new Error(`interpolate takes two images of ${pg.input} pixels, got ${a.length} and ${b.length}`);
    const both = new Float32Array(2 * pg.input);
    both.set(a);
    both.set(b, pg.input);
    const k = pg.latent;
    const ends = pg.encode(both, labelsFor(2, msg.label));
    const z = new Float32Array(steps * k);
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < k; j++) z[s * k + j] = (1 - t) * ends[j] + t * ends[k + j];
    }
    this.postDecoded(msg.id, pg.decode(z, labelsFor(steps, msg.label)), steps);
  }

  postDecoded(id, pixels, n, xy) {
    const transfer = [pixels.buffer];
    const msg = { type: 'decoded', id, pixels, n };
    if (xy) {
      msg.xy = xy;
      transfer.push(xy.buffer);
    }
    this.post(msg, transfer);
  }
}
