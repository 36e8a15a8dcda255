//! Gradient descent as a first-order Taylor step (lecture 1): moving the
//! weights by −η·g changes the loss by about −η‖g‖², the drop the gradient
//! predicts; the actual change is what the loss does. For a small η the two
//! agree; past the region where the loss is nearly linear they part, and a
//! large enough step makes the loss rise. The weights are put back exactly
//! (a copy, not w + ηg, which would round differently).

use ndarray::ArrayView2;

use super::check_labels;
use crate::error::{Error, Result};
use crate::models::Model;
use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaylorStep {
    /// The objective's batch mean at the weights as they are.
    pub loss: f64,
    /// −η‖g‖²: the change a first-order Taylor expansion predicts.
    pub predicted: f64,
    /// The objective after one step of −η·g, minus `loss`.
    pub actual: f64,
}

/// One gradient step of size `eta` on `x`, measured and undone. The noise
/// (DAE corruption, VAE ε) is the same for both evaluations: `seed`.
pub fn taylor_step(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], eta: f32, seed: u64) -> Result<TaylorStep> {
    check_labels(x.nrows(), labels)?;
    if !(eta.is_finite() && eta > 0.0) {
        return Err(Error::Probe(format!("a step size is a positive number, not {eta}")));
    }
    let loss = model.compute_grads(x, labels, &mut Rng::new(seed)).loss as f64;
    let mut saved: Vec<Vec<f32>> = Vec::new();
    let mut g2 = 0.0f64;
    model.visit(&mut |_, _, w, g| {
        saved.push(w.to_vec());
        g2 += g.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>();
        w.iter_mut().zip(g.iter()).for_each(|(w, &g)| *w -= eta * g);
    });
    let after = model.objective(x, labels, &mut Rng::new(seed)).loss as f64;
    let mut i = 0;
    model.visit(&mut |_, _, w, _| {
        w.copy_from_slice(&saved[i]);
        i += 1;
    });
    Ok(TaylorStep { loss, predicted: -(eta as f64) * g2, actual: after - loss })
}
