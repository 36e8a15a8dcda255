//! The probes (src/probes) for the page's lessons, as `Playground` methods.
//! Same contract as the rest of the boundary (see mod.rs): inputs are
//! checked here and refused with a sentence, results are fresh copies. Each
//! probe that draws noise takes a seed, salted so its stream never repeats
//! training's or another probe's; no probe changes a weight, an optimiser's
//! state or the training generator, so calling one between training chunks
//! leaves the run exactly as it was.

use wasm_bindgen::prelude::*;

use super::js::{fail, into_box};
use super::{MnistData, Playground, MAX_IMAGES};
use crate::config::NoiseKind;
use crate::probes::{self, DRAW_SALT, GRAD_SALT, NOISE_SALT, SHIFT_SALT};
use crate::rng::Rng;

/// Upper bounds on a request's size that only a bug in the page would pass.
const MAX_BINS: usize = 1000;
const MAX_DRAWS: usize = 1000;
const MAX_LEVELS: usize = 100;

#[wasm_bindgen]
impl Playground {
    /// ‖∂objective/∂W‖_F for each weight matrix, in forward order (encoder's
    /// first layer … decoder's last; `grad_layer_names` gives the names), from
    /// one gradient of the training objective's batch mean on `pixels` (n
    /// images), with its noise (DAE corruption, VAE ε) seeded by `seed`. For
    /// the adversarial AE: the reconstruction phase's gradient, encoder and
    /// decoder only. Weights and the optimiser are untouched.
    pub fn grad_norms(&mut self, pixels: &[f32], labels: &[u8], seed: u32) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        let mut rng = Rng::new(seed as u64 ^ GRAD_SALT);
        let layers = probes::grad_norms(self.trainer.model.as_mut(), &x, &labels, &mut rng)?;
        Ok(layers.iter().map(|l| l.norm).collect())
    }

    /// The weight matrices `grad_norms` reports, in its order (`encoder.0.weight`, …).
    pub fn grad_layer_names(&mut self) -> Vec<String> {
        probes::weight_names(self.trainer.model.as_mut())
    }

    /// σ′(s) = μ(1−μ) over every pixel of the reconstructions of `pixels`:
    /// `bins` fractions of the pixels (summing to 1) in equal bins over
    /// [0, 0.25], then one more number, the mean σ′.
    pub fn output_slopes(&mut self, pixels: &[f32], labels: &[u8], bins: usize) -> Result<Box<[f32]>, JsError> {
        if !(1..=MAX_BINS).contains(&bins) {
            return Err(fail(format!("a histogram has between 1 and {MAX_BINS} bins, not {bins}")));
        }
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        let s = probes::output_slopes(self.trainer.model.as_mut(), &x, &labels, bins)?;
        Ok(s.fractions.into_iter().chain([s.mean]).collect())
    }

    /// For one image: (n + 1) images, row after row. First the decoder's mean
    /// at z = its code (the mean for VAEs), then `n` draws x ~ p(x|z), seeded:
    /// Bernoulli pixels are 0 or 1, Gaussian ones μ + σε (σ = 1, or the
    /// learned one) and can leave [0, 1] (the caller clamps for display).
    pub fn decoder_samples(&mut self, pixels: &[f32], labels: &[u8], n: usize, seed: u32) -> Result<Box<[f32]>, JsError> {
        if n > MAX_DRAWS {
            return Err(fail(format!("at most {MAX_DRAWS} draws at once, not {n}")));
        }
        let x = self.images(pixels, "pixels")?;
        if x.nrows() != 1 {
            return Err(fail(format!("decoder samples are drawn for one image, but {} were given", x.nrows())));
        }
        let labels = self.labels(labels, 1)?;
        let mut rng = Rng::new(seed as u64 ^ DRAW_SALT);
        Ok(into_box(probes::decoder_samples(self.trainer.model.as_mut(), &x, &labels, n, &mut rng)?))
    }

    /// Each pixel's chance of being white under the decoder's likelihood, for
    /// each image of `pixels` (`probes::white_chances`): μ for a Bernoulli,
    /// Φ((μ − ½)/σ) for a Gaussian.
    pub fn white_chances(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(probes::white_chances(self.trainer.model.as_mut(), &x, &labels)?))
    }

    /// −log p(x | z = code(x)) in nats for each image of `pixels` (z = the
    /// mean for VAEs), with the training loss's likelihood (a Gaussian's
    /// ½ln2π per pixel included).
    pub fn nll_per_image(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(probes::nll_per_image(self.trainer.model.as_mut(), &x, &labels)?.into_boxed_slice())
    }

    /// For each of `levels`: the mean over the first `n` test images of
    /// Σ_pixels (x̂(x̃) − x)², x̃ corrupted as a DAE trains (`kind` gaussian:
    /// σ = level; mask: drop probability = level), seeded; level 0 is clean.
    pub fn noise_curve(&mut self, data: &MnistData, levels: &[f32], kind: &str, n: usize, seed: u32) -> Result<Box<[f32]>, JsError> {
        self.check_input(&data.test)?;
        let kind = NoiseKind::parse(kind).ok_or_else(|| fail(format!("noise kind '{kind}' is neither gaussian nor mask")))?;
        if levels.is_empty() || levels.len() > MAX_LEVELS {
            return Err(fail(format!("give between 1 and {MAX_LEVELS} noise levels, not {}", levels.len())));
        }
        let n = n.min(data.test.len()).min(MAX_IMAGES);
        if n == 0 {
            return Err(fail("a noise curve needs at least one test image"));
        }
        let x = data.test.images(0, n);
        let labels = &data.test.labels[..n];
        Ok(probes::noise_curve(self.trainer.model.as_mut(), &x.view(), labels, levels, kind, seed as u64 ^ NOISE_SALT)?.into_boxed_slice())
    }

    /// ‖∂code/∂x‖_F for each image of `pixels`, exact (code = the mean for VAEs).
    pub fn jacobian_norms(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(probes::jacobian_norms(self.trainer.model.as_mut(), &x, &labels)?.into_boxed_slice())
    }

    /// ‖enc(x + δ) − enc(x)‖ for each image of `pixels`, δ a seeded random
    /// direction (its own per image) of length `radius`.
    pub fn code_shift(&mut self, pixels: &[f32], labels: &[u8], radius: f32, seed: u32) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        let mut rng = Rng::new(seed as u64 ^ SHIFT_SALT);
        Ok(probes::code_shift(self.trainer.model.as_mut(), &x, &labels, radius, &mut rng)?.into_boxed_slice())
    }
}
