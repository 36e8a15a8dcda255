// TensorFlow.js 4.22 with its wasm backend (XNNPACK) training the benchmark's
// reference models (bench-models.js) the way our core does: the same layer
// widths, ReLU hidden layers, a linear code, logits out with the Bernoulli
// NLL `softplus(s) − x·s` summed over pixels and averaged over the batch
// (plus the Gaussian KL for the VAE), Adam at 1e-3, real MNIST batches.
// Started by bench.html?engine=tfjs as a classic worker (TF.js ships UMD
// bundles, and a module worker cannot importScripts them); its replies are
// bench.js's. The TF.js files are served at the site root's vendor/ by
// scripts/bench-wasm.mjs from node_modules: site/ does not ship them.

/* global tf */
const VENDOR = new URL('../vendor/', self.location.href);
const WARMUP_BATCHES = 5;
/** Distinct training batches cycled through: real images, without decoding the whole set as floats. */
const BATCHES = 100;

/** Glorot-uniform weights (in, out) and zero bias, as tf.layers.dense would make them. */
function dense(nIn, nOut) {
  const limit = Math.sqrt(6 / (nIn + nOut));
  return { w: tf.variable(tf.randomUniform([nIn, nOut], -limit, limit)), b: tf.variable(tf.zeros([nOut])) };
}

/**
 * x (batch, in) through a list of layers, ReLU between them, the last one
 * linear: one fused matMul + bias + activation per layer, as tf.layers.dense runs it.
 */
function mlp(layers, x) {
  layers.forEach((l, i) => {
    x = tf.fused.matMul({ a: x, b: l.w, bias: l.b, activation: i + 1 < layers.length ? 'relu' : 'linear' });
  });
  return x;
}

/** Σ over pixels of softplus(s) − x·s, averaged over the batch: our `bernoulli_nll`. */
function bernoulliNll(logits, x) {
  return tf.div(tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits))), x.shape[0]);
}

/** The model's trainable layers and its loss for a batch `x` (and, for the VAE, noise `eps`). */
function build(m) {
  const widths = (sizes) => sizes.slice(1).map((n, i) => dense(sizes[i], n));
  const variational = m.kind === 'vae';
  const enc = widths([m.input, ...m.hidden, variational ? 2 * m.latent : m.latent]);
  const dec = widths([m.latent, ...[...m.hidden].reverse(), m.input]);
  const loss = (x, eps) => {
    const h = mlp(enc, x);
    if (!variational) return bernoulliNll(mlp(dec, h), x);
    const [mu, logvar] = tf.split(h, 2, 1);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
    // KL(N(mu, σ²) ‖ N(0, 1)) = ½ Σ (mu² + σ² − 1 − log σ²), per image
    const kl = tf.div(tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1))), 0.5), x.shape[0]);
    return tf.add(bernoulliNll(mlp(dec, z), x), kl);
  };
  return { loss, variables: [...enc, ...dec].flatMap((l) => [l.w, l.b]) };
}

async function run(seconds) {
  importScripts(new URL('tfjs/tf.min.js', VENDOR).href, new URL('tfjs-backend-wasm/tf-backend-wasm.min.js', VENDOR).href);
  tf.wasm.setWasmPaths(new URL('tfjs-backend-wasm/', VENDOR).href);
  await tf.setBackend('wasm');
  await tf.ready();
  const { loadDataset } = await import('../worker/dataset-download.js');
  const { MODELS, macs } = await import('./bench-models.js');
  const images = (await loadDataset('mnist'))[0].subarray(16); // IDX header
  const results = [];
  for (const spec of MODELS) {
    const { model: m, train } = spec;
    const B = train.batch;
    const batches = [];
    for (let i = 0; i < BATCHES; i++) {
      const px = new Float32Array(B * 784);
      for (let j = 0; j < px.length; j++) px[j] = images[(i * B * 784 + j) % images.length] / 255;
      batches.push(tf.tensor2d(px, [B, 784]));
    }
    const net = build(m);
    const opt = tf.train.adam(train.lr);
    let k = 0;
    const step = () => {
      const x = batches[k++ % BATCHES];
      const eps = m.kind === 'vae' ? tf.randomNormal([B, m.latent]) : null;
      const cost = opt.minimize(() => net.loss(x, eps), true, net.variables);
      eps?.dispose();
      return cost;
    };
    for (let i = 0; i < WARMUP_BATCHES; i++) step().dispose();
    let n = 0;
    let last = NaN;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000 * seconds) {
      for (let i = 0; i < 4; i++) {
        const cost = step();
        if (i === 3) last = cost.dataSync()[0]; // the wasm backend runs eagerly; this also checks it learns
        cost.dispose();
      }
      n += 4;
    }
    const ms = performance.now() - t0;
    results.push({
      name: spec.name,
      params: net.variables.reduce((s, v) => s + v.size, 0),
      batches: n,
      samplesPerSec: (n * B * 1000) / ms,
      gflops: (6 * macs(m) * n * B) / ms / 1e6,
      msPerBatch: ms / n,
      loss: last,
    });
    for (const v of net.variables) v.dispose();
    opt.dispose();
    for (const b of batches) b.dispose();
    self.postMessage({ type: 'partial', results });
  }
  const threads = tf.wasm.getThreadsCount?.() ?? 1;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { simd: `TF.js ${tf.version.tfjs} wasm (SIMD ${simd}, ${threads} thread${threads === 1 ? '' : 's'})`, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, results };
}

self.onmessage = (e) =>
  run(e.data.seconds)
    .then((report) => self.postMessage({ type: 'done', report }))
    .catch((err) => self.postMessage({ type: 'error', message: err?.message ?? String(err) }));
