//! Probes: measurements of a model that the page's lessons show, each in its
//! own file and each tested natively against an independent computation
//! (tests/probes.rs). None changes a weight; some overwrite the gradient
//! buffers, which the trainer recomputes before every update.
//!
//! Which analysis folder holds what: a probe takes the model (`&mut dyn
//! Model`) and runs it. Maths over codes or pixels already in hand belongs
//! elsewhere: the latent plot's in `latent/`, a model-free measure over
//! points (nearest image, k-NN accuracy, PCA of pixels) in `measures/`; the
//! lessons' claims and verdicts, which combine probes, measures and
//! training runs, in `claims/`.
//!
//! - `grad_norms`: ‖∂objective/∂W‖_F per weight matrix (vanishing gradients).
//! - `output_slopes`: σ′(s) = μ(1−μ) at the output (what MSE keeps and CE cancels).
//! - `decoder_samples`: draws x ~ p(x|z), not just the mean (what the loss assumes).
//! - `nll_per_image`: −log p(x | z = code(x)) per image.
//! - `noise_curve`: reconstruction error against input corruption (denoising).
//! - `jacobian`: ‖∂code/∂x‖_F per image, exact (contraction), and its mean
//!   relative to the codes' spread.
//! - `code_shift`: how far the code moves for a random input step of given size.
//! - `taylor_step`: the loss change one gradient step predicts (−η‖g‖²) and the actual one.
//! - `white_chances`: each pixel's chance of being white, for any decoder (likelihoods on binary data).
pub mod code_shift;
pub mod decoder_samples;
pub mod grad_norms;
pub mod jacobian;
pub mod nll;
pub mod noise_curve;
pub mod output_slopes;
pub mod taylor_step;
pub mod white_chances;

pub use code_shift::code_shift;
pub use decoder_samples::decoder_samples;
pub use grad_norms::{grad_norms, weight_names, LayerGrad};
pub use jacobian::{jacobian_norms, relative_jacobian, RelativeJacobian};
pub use nll::nll_per_image;
pub use noise_curve::noise_curve;
pub use output_slopes::{output_slopes, OutputSlopes};
pub use taylor_step::{taylor_step, TaylorStep};
pub use white_chances::{normal_cdf, white_chances};

use crate::error::{Error, Result};
use crate::models::{Generative, Model};

/// Salts for the probes' noise: a request's seed is XORed with its probe's
/// salt, so one probe's stream never repeats training's or another probe's.
/// The page's probes (src/wasm/probes.rs) and the lessons' figures
/// (src/claims) use the same ones.
pub const GRAD_SALT: u64 = 0x67ad_0e5a_17b0_77e1;
pub const DRAW_SALT: u64 = 0xd7a3_5a4b_1e5d_ec0d;
pub const NOISE_SALT: u64 = 0x4015_ec0e_7e57_ab1e;
pub const SHIFT_SALT: u64 = 0x5a1f_7c0d_e0ff_5e75;

/// Images per forward pass when a probe walks many images: bounds the
/// activation buffers.
pub(crate) const CHUNK: usize = 250;

/// The model's decoder, or an error naming what needed it ("a noise curve").
fn decoder<'a>(model: &'a mut dyn Model, what: &str) -> Result<&'a mut dyn Generative> {
    model.generative().ok_or_else(|| Error::Probe(format!("a classifier has no decoder, so it has no {what}")))
}

/// One label per row, as every probe takes them.
fn check_labels(rows: usize, labels: &[u8]) -> Result<()> {
    if labels.len() != rows {
        return Err(Error::Probe(format!("{} labels for {rows} images: give one per image", labels.len())));
    }
    Ok(())
}
