//! The slope of the output sigmoid, σ′(s) = μ(1−μ), over every pixel of the
//! reconstructions. Squared error's gradient w.r.t. the logit keeps this
//! factor, (μ−x)·μ(1−μ); cross-entropy's, μ−x, cancels it (see `loss`). When
//! most outputs sit near 0 or 1 the factor is near 0 and an MSE-trained
//! network barely learns, right or wrong.

use ndarray::ArrayView2;

use super::{check_labels, decoder};
use crate::error::{Error, Result};
use crate::models::Model;

/// The largest σ′ can be (at μ = ½): the histogram's upper end.
pub const MAX_SLOPE: f32 = 0.25;

/// A histogram of σ′ over `[0, MAX_SLOPE]` in equal bins, as fractions of all
/// pixels (they sum to 1), and the mean σ′.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSlopes {
    pub fractions: Vec<f32>,
    pub mean: f32,
}

/// σ′ at the decoder's means for the reconstructions of `x: (B, input)`
/// (z = the code, the mean for VAEs).
pub fn output_slopes(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], bins: usize) -> Result<OutputSlopes> {
    check_labels(x.nrows(), labels)?;
    if bins == 0 {
        return Err(Error::Probe("a histogram needs at least one bin".into()));
    }
    let mu = decoder(model, "output slopes to measure")?.reconstruct(x, labels);
    let mut counts = vec![0u64; bins];
    let mut sum = 0.0f64;
    for &m in mu.iter() {
        let slope = m * (1.0 - m);
        sum += slope as f64;
        // σ′ = ¼ exactly (μ = ½) belongs to the last bin, not one past it.
        let i = ((slope / MAX_SLOPE) * bins as f32) as usize;
        counts[i.min(bins - 1)] += 1;
    }
    let n = mu.len().max(1) as f64;
    Ok(OutputSlopes { fractions: counts.iter().map(|&c| (c as f64 / n) as f32).collect(), mean: (sum / n) as f32 })
}
