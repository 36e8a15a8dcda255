//! What the decoder's likelihood says an image looks like: not only its mean,
//! which is what reconstructions show, but draws x ~ p(x|z). A Bernoulli
//! decoder's draws are black-and-white speckle around the mean; a unit-variance
//! Gaussian's are drowned in noise of σ = 1 on pixels that span [0, 1]: what
//! "squared error is a Gaussian likelihood" commits the model to.

use ndarray::{s, Array2, ArrayView2};

use super::{check_labels, decoder};
use crate::config::Decoder;
use crate::error::{Error, Result};
use crate::loss::{LOGVAR_MAX, LOGVAR_MIN};
use crate::models::Model;
use crate::rng::Rng;

/// For one image `x: (1, input)`: row 0 is the decoder's mean at z = code(x)
/// (the posterior mean for VAEs), rows 1..=n are draws from p(x|z), pixel by
/// pixel independent, noise from `rng`: Bernoulli (1 with probability μ, else
/// 0), Gaussian μ + ε, or μ + exp(logvar/2)·ε with the learned log-variance
/// (clamped as the loss clamps it). `(n + 1, input)`.
pub fn decoder_samples(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], n: usize, rng: &mut Rng) -> Result<Array2<f32>> {
    check_labels(x.nrows(), labels)?;
    if x.nrows() != 1 {
        return Err(Error::Probe(format!("decoder samples are drawn for one image at a time, not {}", x.nrows())));
    }
    let kind = model.config().decoder;
    let logvar = if kind == Decoder::GaussianLearnedVar { learned_logvar(model) } else { Vec::new() };
    let mean = decoder(model, "p(x|z) to sample")?.reconstruct(x, labels);
    let d = mean.ncols();
    let mut out = Array2::zeros((n + 1, d));
    out.row_mut(0).assign(&mean.row(0));
    for mut row in out.slice_mut(s![1.., ..]).rows_mut() {
        for (c, v) in row.iter_mut().enumerate() {
            let mu = mean[[0, c]];
            *v = match kind {
                Decoder::Bernoulli => (rng.uniform() < mu) as u8 as f32,
                Decoder::Gaussian => mu + rng.normal(),
                Decoder::GaussianLearnedVar => mu + (0.5 * logvar[c].clamp(LOGVAR_MIN, LOGVAR_MAX)).exp() * rng.normal(),
            };
        }
    }
    Ok(out)
}

/// The decoder's per-pixel log-variance (`decoder.logvar`, as in model files).
pub(crate) fn learned_logvar(model: &mut dyn Model) -> Vec<f32> {
    let mut out = Vec::new();
    model.visit(&mut |name, _, w, _| {
        if name == "decoder.logvar" {
            out.extend_from_slice(w);
        }
    });
    out
}
