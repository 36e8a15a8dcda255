//! −log p(x | z = code(x)) for each image, in nats: the reconstruction term
//! of the training loss, image by image (z = the posterior mean for VAEs, so
//! no sampling). The likelihood is the one training uses (`OutputLikelihood`,
//! from logits, ½ln2π per pixel included for Gaussians), so for the
//! deterministic autoencoders the batch mean is the reported `recon`.

use ndarray::{s, Array2, ArrayView2};

use super::decoder_samples::learned_logvar;
use super::{check_labels, decoder, CHUNK};
use crate::error::Result;
use crate::models::{Model, OutputLikelihood};

/// One number per row of `x: (B, input)`.
pub fn nll_per_image(model: &mut dyn Model, x: &ArrayView2<f32>, labels: &[u8]) -> Result<Vec<f32>> {
    check_labels(x.nrows(), labels)?;
    let cfg = model.config();
    let mut likelihood = OutputLikelihood::new(cfg.decoder, cfg.input);
    if !likelihood.logvar.is_empty() {
        likelihood.logvar.assign(&ndarray::Array1::from(learned_logvar(model)));
    }
    let mut out = Vec::with_capacity(x.nrows());
    let mut grad = Array2::zeros((1, x.ncols()));
    for start in (0..x.nrows()).step_by(CHUNK) {
        let end = (start + CHUNK).min(x.nrows());
        let (xs, ls) = (x.slice(s![start..end, ..]), &labels[start..end]);
        let dec = decoder(model, "reconstruction likelihood")?;
        let z = dec.encode(&xs, ls);
        let logits = dec.decode_logits(&z.view(), ls);
        for r in 0..xs.nrows() {
            // A batch of one: the loss's batch mean is this image's sum over pixels.
            out.push(likelihood.nll(&logits.slice(s![r..r + 1, ..]), &xs.slice(s![r..r + 1, ..]), &mut grad));
        }
    }
    Ok(out)
}
