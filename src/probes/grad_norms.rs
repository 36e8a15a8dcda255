//! How hard the training objective pulls on each weight matrix: the Frobenius
//! norm of its gradient, in forward order (encoder's first layer … decoder's
//! last). With sigmoids each layer multiplies the backward signal by σ′ ≤ ¼
//! (and Xavier-sized weights), so a deep sigmoid network's first layers get
//! a far smaller share than its last: the vanishing gradient (Hochreiter 1991;
//! Glorot & Bengio 2010). ReLU's slope is 1 where it is active.
//!
//! The adversarial AE's objective is a game of three; for it the probe
//! measures the reconstruction phase (encoder and decoder), which is also
//! what its `compute_grads` computes. The discriminator is left out.

use ndarray::ArrayView2;

use super::check_labels;
use crate::error::Result;
use crate::models::{Group, Model, TensorVisitor};
use crate::rng::Rng;

/// One weight matrix's name (`encoder.0.weight`, as in model files) and ‖∂L/∂W‖_F.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerGrad {
    pub name: String,
    pub norm: f32,
}

/// One `compute_grads` on the batch `x: (B, input)` (batch-mean objective,
/// noise from `rng`), then the norm of each weight matrix's gradient; biases
/// and the decoder's log-variance are left out. Weights and optimiser state
/// are untouched; the gradient buffers hold this batch's gradient afterwards.
pub fn grad_norms(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Result<Vec<LayerGrad>> {
    check_labels(x.nrows(), labels)?;
    model.compute_grads(x, labels, rng);
    let mut out = Vec::new();
    visit_objective(model, &mut |name, shape, _, g| {
        if shape.len() == 2 {
            let sq: f64 = g.iter().map(|&v| (v as f64) * (v as f64)).sum();
            out.push(LayerGrad { name: name.to_string(), norm: sq.sqrt() as f32 });
        }
    });
    Ok(out)
}

/// The names `grad_norms` reports, in its order, without computing anything.
pub fn weight_names(model: &mut dyn Model) -> Vec<String> {
    let mut out = Vec::new();
    visit_objective(model, &mut |name, shape, _, _| {
        if shape.len() == 2 {
            out.push(name.to_string())
        }
    });
    out
}

/// The tensors `compute_grads` fills: all of them, or an AAE's encoder and decoder.
fn visit_objective(model: &mut dyn Model, f: &mut TensorVisitor) {
    if let Some(adv) = model.adversarial() {
        adv.visit_group(Group::Autoencoder, f);
    } else {
        model.visit(f);
    }
}
