//! How far the code moves when the input takes a step of a given size in a
//! random direction: ‖enc(x + δ) − enc(x)‖ with ‖δ‖ = radius. For small radii
//! this is about ‖J·u‖·radius (u = δ/‖δ‖, J the Jacobian), a one-direction
//! sample of what `jacobian` measures in all directions; for larger ones it
//! shows whether the code stays put off the data (contraction, robustness).

use ndarray::{Array2, ArrayView2};

use super::check_labels;
use crate::error::{Error, Result};
use crate::models::Model;
use crate::rng::Rng;

/// One distance per row of `x: (B, input)`; each image gets its own
/// direction u/‖u‖, u ~ N(0, I) from `rng` (isotropic, so every direction is
/// equally likely). The code is what `encode` returns (the mean for VAEs).
pub fn code_shift(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], radius: f32, rng: &mut Rng) -> Result<Vec<f32>> {
    check_labels(x.nrows(), labels)?;
    if !radius.is_finite() || radius < 0.0 {
        return Err(Error::Probe(format!("the step's length must be a number of 0 or more, not {radius}")));
    }
    let mut moved = x.to_owned();
    for mut row in moved.rows_mut() {
        let u: Vec<f32> = (0..row.len()).map(|_| rng.normal()).collect();
        let norm = u.iter().map(|&v| (v as f64).powi(2)).sum::<f64>().sqrt().max(f64::MIN_POSITIVE);
        row.iter_mut().zip(&u).for_each(|(v, &e)| *v += (radius as f64 * e as f64 / norm) as f32);
    }
    let before: Array2<f32> = model.encode(x, labels);
    let after = model.encode(&moved.view(), labels);
    Ok(before.rows().into_iter().zip(after.rows()).map(|(a, b)| a.iter().zip(b).map(|(&p, &q)| ((p - q) as f64).powi(2)).sum::<f64>().sqrt() as f32).collect())
}
