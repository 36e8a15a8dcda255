//! Losses as negative log-likelihoods (the lecture's maximum-likelihood view).
//!
//! Convention for every function here: inputs are `(B, D)` batches; the value
//! is the per-sample sum over the D dimensions (nats), averaged over the batch;
//! the gradient written into `grad` is the gradient of that value, i.e. already
//! divided by B. Each function *overwrites* `grad`.

use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut1};

use crate::logistic::sigmoid;
pub use crate::logistic::{softplus, softplus_sigmoid};
use crate::threads;

/// ln(2π)/2: the constant of a unit-variance Gaussian's log density.
pub const HALF_LN_2PI: f32 = 0.918_938_5;
/// Log-variances are clamped here so exp never overflows or underflows.
pub const LOGVAR_MIN: f32 = -10.0;
pub const LOGVAR_MAX: f32 = 10.0;

/// Bernoulli NLL (binary cross-entropy) of targets `x ∈ [0,1]` under
/// p = sigmoid(logits): −[x ln p + (1−x) ln(1−p)] = softplus(s) − x·s.
/// Taking logits means it never evaluates ln 0. ∂/∂s = sigmoid(s) − x:
/// no sigmoid-derivative factor, so saturated outputs still learn.
pub fn bernoulli_nll(logits: &ArrayView2<f32>, x: &ArrayView2<f32>, grad: &mut Array2<f32>) -> f32 {
    bernoulli(logits, x, Some(grad.as_slice_mut().expect("a gradient buffer is contiguous")))
}

/// `bernoulli_nll`'s value alone, to the bit: a test-set evaluation needs
/// no gradient, and skips the sigmoid and the writes.
pub fn bernoulli_nll_value(logits: &ArrayView2<f32>, x: &ArrayView2<f32>) -> f32 {
    bernoulli(logits, x, None)
}

fn bernoulli(logits: &ArrayView2<f32>, x: &ArrayView2<f32>, mut grad: Option<&mut [f32]>) -> f32 {
    let (b, d) = logits.dim();
    let (logits, x) = (logits.as_standard_layout(), x.as_standard_layout());
    let (s, t) = (logits.as_slice().expect("standard layout"), x.as_slice().expect("standard layout"));
    // Each image's sum is its own, and the images' sums are added in order,
    // so splitting the rows over threads changes no bit. Up to GROUP rows'
    // sums at a time live on the stack: no allocation per batch.
    const GROUP: usize = 256;
    let mut sums = [0.0f64; GROUP];
    let mut total = 0.0f64;
    for (group, (s, t)) in s.chunks(GROUP * d).zip(t.chunks(GROUP * d)).enumerate() {
        let rows = s.len() / d;
        let block = threads::block_len(rows, d);
        let mut g_blocks = grad.as_deref_mut().map(|g| g[group * GROUP * d..][..s.len()].chunks_mut(block * d));
        let blocks = s.chunks(block * d).zip(t.chunks(block * d)).zip(sums[..rows].chunks_mut(block)).map(|b| (b, g_blocks.as_mut().and_then(Iterator::next)));
        threads::each(blocks, &|(((s, t), sums), mut g)| {
            for (r, sum) in sums.iter_mut().enumerate() {
                let row = r * d..(r + 1) * d;
                *sum = bernoulli_row(&s[row.clone()], &t[row.clone()], g.as_deref_mut().map(|g| &mut g[row]), b as f32);
            }
        });
        total = sums[..rows].iter().fold(total, |a, &v| a + v);
    }
    (total / b as f64) as f32
}

/// One image's Bernoulli NLL, summed in element order in f64, and when
/// asked its gradient (divided by the batch size `b`) in `g`.
fn bernoulli_row(s: &[f32], t: &[f32], mut g: Option<&mut [f32]>, b: f32) -> f64 {
    // In chunks: each chunk's terms vectorise (no branch, no call: src/expm.rs),
    // then join the f64 sum one by one, an order no vector unit may change.
    const CHUNK: usize = 64;
    let mut terms = [0.0f32; CHUNK];
    let mut sum = 0.0f64;
    for (c, (s, t)) in s.chunks(CHUNK).zip(t.chunks(CHUNK)).enumerate() {
        let terms = &mut terms[..s.len()];
        match g.as_deref_mut() {
            Some(g) => {
                let g = &mut g[c * CHUNK..][..s.len()];
                for (((term, g), &s), &t) in terms.iter_mut().zip(g.iter_mut()).zip(s).zip(t) {
                    let (sp, sg) = softplus_sigmoid(s);
                    *term = sp - t * s;
                    *g = (sg - t) / b;
                }
            }
            None => terms.iter_mut().zip(s).zip(t).for_each(|((term, &s), &t)| *term = softplus(s) - t * s),
        }
        sum = terms.iter().fold(sum, |a, &v| a + v as f64);
    }
    sum
}

/// Gaussian NLL of targets `x` with mean μ = sigmoid(logits) (pixels live in
/// [0,1]) and variance σ² = exp(logvar) per pixel, or 1 when `logvar` is None:
/// ½[ln 2π + ln σ² + (x−μ)²/σ²]. With unit variance this is MSE/2 plus a
/// constant. ∂/∂s = (μ−x)/σ² · μ(1−μ): the sigmoid-derivative factor that makes
/// MSE slow to recover from saturated outputs.
/// `dlogvar` (D) receives ∂/∂logvar, accumulated over the batch.
pub fn gaussian_nll(
    logits: &ArrayView2<f32>,
    x: &ArrayView2<f32>,
    logvar: Option<ArrayView1<f32>>,
    grad: &mut Array2<f32>,
    mut dlogvar: Option<ArrayViewMut1<f32>>,
) -> f32 {
    let (b, d) = logits.dim();
    let bf = b as f32;
    let (logits, x) = (logits.as_standard_layout(), x.as_standard_layout());
    let (s, t) = (logits.as_slice().expect("standard layout"), x.as_slice().expect("standard layout"));
    let g = grad.as_slice_mut().expect("a gradient buffer is contiguous");
    let logvar = logvar.map(|lv| lv.to_slice().expect("the log-variances are contiguous"));
    let mut dlogvar = dlogvar.as_mut().map(|dl| dl.as_slice_mut().expect("their gradient is contiguous"));
    // Each pixel's log-variance and inverse variance are the same in every
    // row: one exp per pixel a batch, not one per pixel and image. Up to
    // COLS of them on the stack (no allocation per batch); a wider image
    // computes them a chunk at a time, to the same bits.
    const COLS: usize = 1024;
    const CHUNK: usize = 64;
    let var = |l: f32| {
        let l = l.clamp(LOGVAR_MIN, LOGVAR_MAX);
        (l, (-l).exp())
    };
    let mut vars = [(0.0f32, 1.0f32); COLS];
    if let (Some(lv), true) = (logvar, d <= COLS) {
        vars.iter_mut().zip(lv).for_each(|(v, &l)| *v = var(l));
    }
    let mut wide = [(0.0f32, 1.0f32); CHUNK];
    let (mut terms, mut diffs) = ([0.0f32; CHUNK], [0.0f32; CHUNK]);
    // In chunks, as the Bernoulli loss: each chunk's terms and gradients
    // vectorise (the sigmoid has no branch), then join the f64 sum one by
    // one in element order. With unit variance (lv 0, inverse 1) the same
    // formulas give the same bits.
    let mut total = 0.0f64;
    for ((s, t), g) in s.chunks(d).zip(t.chunks(d)).zip(g.chunks_mut(d)) {
        for (k, ((s, t), g)) in s.chunks(CHUNK).zip(t.chunks(CHUNK)).zip(g.chunks_mut(CHUNK)).enumerate() {
            let cols = k * CHUNK..k * CHUNK + s.len();
            let v = match logvar {
                None => &vars[..s.len()],
                Some(_) if d <= COLS => &vars[cols.clone()],
                Some(lv) => {
                    wide.iter_mut().zip(&lv[cols.clone()]).for_each(|(w, &l)| *w = var(l));
                    &wide[..s.len()]
                }
            };
            let (terms, diffs) = (&mut terms[..s.len()], &mut diffs[..s.len()]);
            for (((((term, diff), g), &s), &t), &(lv, inv_var)) in terms.iter_mut().zip(diffs.iter_mut()).zip(g.iter_mut()).zip(s).zip(t).zip(v) {
                let mu = sigmoid(s);
                *diff = mu - t;
                *term = HALF_LN_2PI + 0.5 * (lv + *diff * *diff * inv_var);
                *g = *diff * inv_var * mu * (1.0 - mu) / bf;
            }
            if let Some(dl) = dlogvar.as_deref_mut() {
                for ((dl, &diff), &(_, inv_var)) in dl[cols].iter_mut().zip(&*diffs).zip(v) {
                    *dl += 0.5 * (1.0 - diff * diff * inv_var) / bf;
                }
            }
            total = terms.iter().fold(total, |a, &v| a + v as f64);
        }
    }
    (total / bf as f64) as f32
}

/// Softmax cross-entropy (categorical NLL) of integer `labels` under
/// softmax(logits). ∂/∂s = softmax(s) − onehot(label).
pub fn softmax_ce(logits: &ArrayView2<f32>, labels: &[u8], grad: &mut Array2<f32>) -> f32 {
    let (b, _) = logits.dim();
    let bf = b as f32;
    let mut total = 0.0f64;
    for (r, &label) in labels.iter().enumerate().take(b) {
        let row = logits.row(r);
        let m = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = row.iter().map(|&s| (s - m).exp()).sum();
        let lse = m + sum.ln();
        total += (lse - row[label as usize]) as f64;
        for (c, &s) in row.iter().enumerate() {
            let p = (s - lse).exp();
            grad[[r, c]] = (p - if c == label as usize { 1.0 } else { 0.0 }) / bf;
        }
    }
    (total / bf as f64) as f32
}

/// KL( N(μ, diag eˡᵒᵍᵛᵃʳ) ‖ N(0, I) ) = ½ Σ (μ² + σ² − ln σ² − 1) (Kingma &
/// Welling 2014, app. B). Writes ∂/∂μ = μ and ∂/∂logvar = ½(σ² − 1), divided
/// by B; `per_dim` (latent) receives each dimension's batch-mean KL, which
/// shows collapsed dimensions.
pub fn gaussian_kl(mu: &ArrayView2<f32>, logvar: &ArrayView2<f32>, dmu: &mut Array2<f32>, dlogvar: &mut Array2<f32>, per_dim: Option<&mut [f32]>) -> f32 {
    let (b, k) = mu.dim();
    let bf = b as f32;
    let kl_at = |r: usize, c: usize| {
        let m = mu[[r, c]];
        let lv = logvar[[r, c]].clamp(LOGVAR_MIN, LOGVAR_MAX);
        0.5 * (m * m + lv.exp() - lv - 1.0)
    };
    let mut total = 0.0f64;
    for r in 0..b {
        for c in 0..k {
            let m = mu[[r, c]];
            let lv = logvar[[r, c]].clamp(LOGVAR_MIN, LOGVAR_MAX);
            let var = lv.exp();
            total += kl_at(r, c) as f64;
            dmu[[r, c]] = m / bf;
            // Past the clamp the value no longer depends on logvar.
            let inside = logvar[[r, c]] > LOGVAR_MIN && logvar[[r, c]] < LOGVAR_MAX;
            dlogvar[[r, c]] = if inside { 0.5 * (var - 1.0) / bf } else { 0.0 };
        }
    }
    // A second pass per dimension (same terms, same order) rather than a
    // scratch vector: a training step allocates nothing.
    if let Some(out) = per_dim {
        for (c, o) in out.iter_mut().enumerate().take(k) {
            let d: f64 = (0..b).map(|r| kl_at(r, c) as f64).sum();
            *o = (d / b as f64) as f32;
        }
    }
    (total / bf as f64) as f32
}
