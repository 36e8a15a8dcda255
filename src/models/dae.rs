//! Corruption processes of the denoising autoencoder (Vincent et al. 2008).

use ndarray::{Array2, ArrayView2};

use crate::config::NoiseKind;
use crate::rng::Rng;

/// Writes x̃ ~ q(x̃|x) into `out`. Gaussian: x + σε. Mask: each pixel zeroed
/// with probability `level`, so the network must fill in what it cannot see.
pub fn corrupt(x: &ArrayView2<f32>, kind: NoiseKind, level: f32, rng: &mut Rng, out: &mut Array2<f32>) {
    out.assign(x);
    match kind {
        NoiseKind::Gaussian => out.iter_mut().for_each(|v| *v += level * rng.normal()),
        NoiseKind::Mask => out.iter_mut().for_each(|v| {
            if rng.uniform() < level {
                *v = 0.0
            }
        }),
    }
}
