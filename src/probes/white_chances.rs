//! Each decoder's chance that a pixel is white, so that decoders of any
//! likelihood can be compared on black-and-white images as probabilities.
//! A Bernoulli decoder states it: μ. A Gaussian states a density over all
//! grey values, not a chance of white; read as one, its chance of white is
//! the chance that a draw lands nearer white than black, above ½:
//! P(μ + σε > ½) = Φ((μ − ½)/σ), σ = 1 or the learned per-pixel σ.

use ndarray::{s, Array2, ArrayView2};

use super::decoder_samples::learned_logvar;
use super::{check_labels, decoder, CHUNK};
use crate::config::Decoder;
use crate::error::Result;
use crate::loss::{LOGVAR_MAX, LOGVAR_MIN};
use crate::models::Model;

/// `(B, input)`: the chance each pixel of each image is white, at z = code(x)
/// (the posterior mean for VAEs).
pub fn white_chances(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8]) -> Result<Array2<f32>> {
    check_labels(x.nrows(), labels)?;
    let kind = model.config().decoder;
    let sigma: Vec<f64> = match kind {
        Decoder::Bernoulli => Vec::new(),
        Decoder::Gaussian => vec![1.0; x.ncols()],
        Decoder::GaussianLearnedVar => learned_logvar(model).iter().map(|l| (0.5 * l.clamp(LOGVAR_MIN, LOGVAR_MAX) as f64).exp()).collect(),
    };
    let dec = decoder(model, "chance of a white pixel")?;
    let mut out = Array2::zeros(x.dim());
    for start in (0..x.nrows()).step_by(CHUNK) {
        let end = (start + CHUNK).min(x.nrows());
        let mu = dec.reconstruct(&x.slice(s![start..end, ..]), &labels[start..end]);
        let mut rows = out.slice_mut(s![start..end, ..]);
        rows.indexed_iter_mut().for_each(|((r, c), p)| {
            let m = mu[[r, c]];
            *p = if sigma.is_empty() { m } else { normal_cdf((m as f64 - 0.5) / sigma[c]) as f32 };
        });
    }
    Ok(out)
}

/// Φ(t), the standard normal's distribution function, from erfc (Numerical
/// Recipes' Chebyshev fit, relative error under 1.2e-7 everywhere).
pub fn normal_cdf(t: f64) -> f64 {
    let x = -t / std::f64::consts::SQRT_2;
    let z = x.abs();
    let u = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + u * (1.000_023_68
            + u * (0.374_091_96
                + u * (0.096_784_18
                    + u * (-0.186_288_06 + u * (0.278_868_07 + u * (-1.135_203_98 + u * (1.488_515_87 + u * (-0.822_152_23 + u * 0.170_872_77))))))));
    let erfc = u * poly.exp();
    0.5 * if x >= 0.0 { erfc } else { 2.0 - erfc }
}
