//! How sensitive the code is to the input: ‖∂code/∂x‖_F per image, exact.
//! The contractive autoencoder penalises (part of) this quantity (Rifai et
//! al. 2011); a denoising one shrinks it implicitly (Alain & Bengio 2014).
//!
//! Reverse mode gives one row of the Jacobian per backward pass: seeding the
//! encoder's output gradient with the unit vector e_j for every image makes
//! the input gradient ∂code_j/∂x, image by image (images do not mix). So
//! `latent` backward passes give the whole Jacobian, with no approximation.
//!
//! `relative_jacobian` divides the mean norm by the codes' own spread, so a
//! model cannot look contractive just by shrinking every code.

use ndarray::{s, ArrayView2};

use super::check_labels;
use crate::error::{Error, Result};
use crate::models::Model;

/// Images per Jacobian: `(32, latent, input)` is 6.4 MB at 64 × 784.
const CHUNK: usize = 32;

/// ‖∂code/∂x‖_F for each row of `x: (B, input)` (code = the mean for VAEs;
/// a CVAE's label is held fixed). Overwrites the gradient buffers.
pub fn jacobian_norms(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8]) -> Result<Vec<f32>> {
    check_labels(x.nrows(), labels)?;
    let mut out = Vec::with_capacity(x.nrows());
    for start in (0..x.nrows()).step_by(CHUNK) {
        let end = (start + CHUNK).min(x.nrows());
        let j = model
            .code_jacobian(&x.slice(s![start..end, ..]), &labels[start..end])
            .ok_or_else(|| Error::Probe("a classifier has no code to differentiate".into()))?;
        out.extend(j.outer_iter().map(|m| m.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>().sqrt() as f32));
    }
    Ok(out)
}

/// How sensitive the code is, measured against how much it varies: a code
/// shrunk by a constant c has a Jacobian c times smaller, and a spread c
/// times smaller too, so only `relative` compares models fairly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RelativeJacobian {
    /// Mean over the images of ‖∂code/∂x‖_F.
    pub mean_norm: f32,
    /// √(Σ_j Var(code_j)), the variances over the same images (divided by n).
    pub code_spread: f32,
    /// `mean_norm / code_spread`: unchanged when every code is scaled.
    pub relative: f32,
}

/// `jacobian_norms` averaged over the rows of `x: (n, input)` (n ≥ 2), and
/// divided by the spread of the same images' codes. Overwrites the gradient
/// buffers.
pub fn relative_jacobian(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8]) -> Result<RelativeJacobian> {
    let n = x.nrows();
    if n < 2 {
        return Err(Error::Probe(format!("the code's spread needs at least 2 images, not {n}")));
    }
    let norms = jacobian_norms(model, x, labels)?;
    let mean_norm = norms.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    // Per code unit: Σ h and Σ h², in f64, chunk by chunk.
    let (mut sum, mut sq) = (Vec::new(), Vec::new());
    for start in (0..n).step_by(super::CHUNK) {
        let end = (start + super::CHUNK).min(n);
        let codes = model.encode(&x.slice(s![start..end, ..]), &labels[start..end]);
        sum.resize(codes.ncols(), 0.0f64);
        sq.resize(codes.ncols(), 0.0f64);
        for row in codes.rows() {
            for ((s, q), &h) in sum.iter_mut().zip(sq.iter_mut()).zip(row) {
                *s += h as f64;
                *q += (h as f64) * (h as f64);
            }
        }
    }
    let var: f64 = sum.iter().zip(&sq).map(|(&s, &q)| (q / n as f64 - (s / n as f64).powi(2)).max(0.0)).sum();
    let spread = var.sqrt();
    if spread.is_nan() || spread <= 0.0 {
        return Err(Error::Probe("every image has the same code, so the code has no spread to compare the Jacobian with".into()));
    }
    Ok(RelativeJacobian { mean_norm: mean_norm as f32, code_spread: spread as f32, relative: (mean_norm / spread) as f32 })
}
