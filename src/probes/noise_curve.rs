//! Reconstruction error against input corruption: for each noise level, the
//! mean over images of Σ_pixels (x̂(x̃) − x)², with x̃ corrupted by the same
//! process a denoising autoencoder trains with (`models::corrupt`) and x̂ the
//! decoder's mean. A DAE learns to map x̃ back towards x, so its curve rises
//! more slowly than a plain AE's (Vincent et al. 2008).

use ndarray::{s, Array2, ArrayView2};

use super::{check_labels, decoder, CHUNK};
use crate::config::NoiseKind;
use crate::error::{Error, Result};
use crate::models::{corrupt, Model};
use crate::rng::Rng;

/// One figure per level, for the images `x: (n, input)`. Each level starts a
/// generator from `seed` afresh, so every level sees the same draws scaled or
/// thresholded differently (common random numbers: Gaussian noise is one ε
/// times each σ, masks are nested), and a level's figure does not depend on
/// which other levels were asked for. Level 0 is the clean reconstruction.
pub fn noise_curve(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], levels: &[f32], kind: NoiseKind, seed: u64) -> Result<Vec<f32>> {
    check_labels(x.nrows(), labels)?;
    if x.nrows() == 0 {
        return Err(Error::Probe("a noise curve needs at least one image".into()));
    }
    if let Some(l) = levels.iter().find(|l| !l.is_finite() || **l < 0.0 || (kind == NoiseKind::Mask && **l > 1.0)) {
        let range = if kind == NoiseKind::Mask { "a probability between 0 and 1" } else { "a standard deviation of 0 or more" };
        return Err(Error::Probe(format!("noise level {l} is not {range}")));
    }
    let dec = decoder(model, "reconstructions to corrupt")?;
    let mut noisy = Array2::zeros((0, 0));
    let mut out = Vec::with_capacity(levels.len());
    for &level in levels {
        let mut rng = Rng::new(seed);
        let mut total = 0.0f64;
        for start in (0..x.nrows()).step_by(CHUNK) {
            let end = (start + CHUNK).min(x.nrows());
            let clean = x.slice(s![start..end, ..]);
            crate::tensor::ensure_shape(&mut noisy, clean.nrows(), clean.ncols());
            corrupt(&clean, kind, level, &mut rng, &mut noisy);
            let recon = dec.reconstruct(&noisy.view(), &labels[start..end]);
            total += recon.iter().zip(clean.iter()).map(|(&r, &c)| ((r - c) as f64).powi(2)).sum::<f64>();
        }
        out.push((total / x.nrows() as f64) as f32);
    }
    Ok(out)
}
