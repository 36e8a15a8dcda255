//! The views' requests, as `Playground` methods: reconstructions, codes,
//! decodes, samples, the prior's cloud and grid, and the denoising
//! autoencoder's corrupted input.

use ndarray::Array2;
use wasm_bindgen::prelude::*;

use super::js::{code_view, fail, into_box, whole_rows};
use super::{MnistData, Playground, MAX_GRID, MAX_IMAGES};
use crate::latent;
use crate::models::corrupt;
use crate::rng::Rng;

/// Salts for the page's generators, so a seed the page reuses for several
/// purposes (often the training seed) never gives correlated streams, and
/// drawing samples never changes a training run (which has its own generator).
const SAMPLER_SALT: u64 = 0x5a3b_1e5d_0c0d_e5a1;
const CORRUPT_SALT: u64 = 0xc0de_d15e_a5e5_0da3;
const PRIOR_SALT: u64 = 0x9a1e_c10d_5eed_0f2a;

#[wasm_bindgen]
impl Playground {
    /// Decoder means for `pixels` (n images, row after row): x → code → x̂.
    /// `labels` (one per image, or empty for all zeros) condition a CVAE.
    pub fn reconstruct(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(self.decoder()?.reconstruct(&x, &labels)))
    }

    /// Codes of `pixels` (n × latent): the posterior mean for VAEs, class
    /// probabilities for a classifier.
    pub fn encode(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(self.trainer.model.encode(&x, &labels)))
    }

    /// log σ² of q(z|x) (n × latent) for VAEs; `undefined` for other models.
    pub fn encode_logvar(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Option<Box<[f32]>>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(self.trainer.model.encode_logvar(&x, &labels).map(into_box))
    }

    /// Codes of the first `limit` test images, encoded with their true labels.
    pub fn encode_test(&mut self, data: &MnistData, limit: usize) -> Result<Box<[f32]>, JsError> {
        self.check_input(&data.test)?;
        let n = limit.min(data.test.len()).min(MAX_IMAGES);
        let x = data.test.images(0, n);
        Ok(into_box(self.trainer.model.encode(&x.view(), &data.test.labels[..n])))
    }

    /// Decoder means (n × input) for codes `z` (n × latent, row after row).
    pub fn decode(&mut self, z: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let k = self.latent();
        let n = whole_rows(z, k, "codes")?;
        let labels = self.labels(labels, n)?;
        let z = code_view(z, k, "codes")?;
        Ok(into_box(self.decoder()?.decode(&z, &labels)))
    }

    /// Decodes `n` codes z = mean + std ⊙ ε with ε ~ N(0, I) drawn from a
    /// generator seeded with `seed`: the same seed gives the same ε, so the
    /// samples change only as the decoder learns. Empty `mean` and `std` mean
    /// the prior N(0, I) of a VAE; for a plain AE, which has no prior, the
    /// worker passes a Gaussian fitted to the test codes instead. An AAE
    /// ignores `mean` and `std` and decodes draws from its own prior (each
    /// from its label's part when the discriminator sees labels).
    pub fn sample(&mut self, n: usize, labels: &[u8], mean: &[f32], std: &[f32], seed: u32) -> Result<Box<[f32]>, JsError> {
        self.decoder()?;
        let k = self.latent();
        if n == 0 || n > MAX_IMAGES {
            return Err(fail(format!("number of samples {n} must be between 1 and {MAX_IMAGES}")));
        }
        for (v, what) in [(mean, "mean"), (std, "std")] {
            if !v.is_empty() && v.len() != k {
                return Err(fail(format!("{what} has {} numbers but the latent space has {k} dimensions", v.len())));
            }
            if !v.iter().all(|x| x.is_finite()) {
                return Err(fail(format!("{what} must hold finite numbers")));
            }
        }
        let labels = self.labels(labels, n)?;
        let mut rng = Rng::new(seed as u64 ^ SAMPLER_SALT);
        if self.trainer.model.adversarial().is_some() {
            let images = self.decoder()?.sample(&labels, &mut rng).ok_or_else(|| fail("this model has no prior to sample from"))?;
            return Ok(into_box(images));
        }
        let mut z = Array2::<f32>::zeros((n, k));
        for row in z.rows_mut() {
            for (j, v) in row.into_iter().enumerate() {
                let e = rng.normal();
                *v = mean.get(j).copied().unwrap_or(0.0) + std.get(j).copied().unwrap_or(1.0) * e;
            }
        }
        Ok(into_box(self.decoder()?.decode(&z.view(), &labels)))
    }

    /// `n` codes `(n × latent)` drawn from the model's prior p(z), the whole
    /// prior (every part of a mixture or roll), from a generator seeded with
    /// `seed`: the latent plot's grey cloud under the codes. VAEs and the AAE
    /// only.
    pub fn prior_samples(&mut self, n: usize, seed: u32) -> Result<Box<[f32]>, JsError> {
        if n == 0 || n > MAX_IMAGES {
            return Err(fail(format!("number of prior samples {n} must be between 1 and {MAX_IMAGES}")));
        }
        let cfg = self.trainer.model.config();
        if !cfg.kind.has_prior() {
            return Err(fail(format!("a {} has no prior to sample from (only vae, cvae and aae)", cfg.kind.name())));
        }
        // Other salt than `sample`'s: the cloud and the decoded samples are different draws.
        let mut rng = Rng::new(seed as u64 ^ PRIOR_SALT);
        let prior = if cfg.kind == crate::ModelKind::Aae { cfg.prior } else { crate::config::Prior::Gaussian };
        Ok(into_box(crate::prior::sample(prior, cfg.latent, n, None, &mut rng)))
    }

    /// The n×n grid of codes `(n² × 2)` over a 2-D prior's support, row-major
    /// with the first row at the largest y: Gaussian quantiles for N(0, I),
    /// an even grid over the square holding the mixture or the roll
    /// (`prior::support_half_width`). The codes are also the plot's coordinates.
    pub fn prior_grid(&mut self, n: usize) -> Result<Box<[f32]>, JsError> {
        if !(1..=MAX_GRID).contains(&n) {
            return Err(fail(format!("a grid has between 1 and {MAX_GRID} images per side, not {n}")));
        }
        let cfg = self.trainer.model.config();
        if !cfg.kind.has_prior() || cfg.latent != 2 {
            return Err(fail("a grid over the prior needs a model with a prior and a 2-D code"));
        }
        let half = if cfg.kind == crate::ModelKind::Aae { crate::prior::support_half_width(cfg.prior) } else { None };
        let z = match half {
            Some(h) => crate::prior::support_grid(n, h),
            None => latent::LatentView::prior(2)?.manifold(n, true)?.1,
        };
        Ok(into_box(z))
    }

    /// `pixels` (n images) corrupted as the model's config says a denoising
    /// autoencoder's input is in training (`noise`, `noise_level`; see
    /// src/models/dae.rs), with noise from a generator seeded with `seed`.
    /// Gaussian noise can leave [0, 1]; the caller clamps for display.
    pub fn corrupt(&mut self, pixels: &[f32], seed: u32) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let cfg = self.trainer.model.config();
        let mut out = Array2::zeros(x.dim());
        corrupt(&x, cfg.noise, cfg.noise_level, &mut Rng::new(seed as u64 ^ CORRUPT_SALT), &mut out);
        Ok(into_box(out))
    }
}
