//! How big a configuration's model is, known before building it: the page
//! warns before building a model this machine would train slowly, and a
//! parameter count is what to cap, not each width (eight layers of 4,096 are
//! each fine and together too many).

use crate::config::{Decoder, ModelConfig, ModelKind};
use crate::layers::conv;

/// The layer widths of each network the configuration builds: (encoder,
/// decoder), the decoder empty for a classifier. The models build from these.
pub fn layer_sizes(cfg: &ModelConfig) -> (Vec<usize>, Vec<usize>) {
    let extra = if cfg.kind.is_conditional() { cfg.classes } else { 0 };
    let code = match cfg.kind {
        ModelKind::Classifier => return (chain(cfg.input, &cfg.hidden, cfg.classes), Vec::new()),
        // μ and log σ² side by side.
        ModelKind::Vae | ModelKind::Cvae | ModelKind::Vaegan => 2 * cfg.latent,
        ModelKind::Ae | ModelKind::Dae | ModelKind::Cae | ModelKind::Hash | ModelKind::Aae => cfg.latent,
    };
    let reversed: Vec<usize> = cfg.hidden.iter().rev().copied().collect();
    (chain(cfg.input + extra, &cfg.hidden, code), chain(cfg.latent + extra, &reversed, cfg.input))
}

/// The discriminator's dense widths: the AAE's `[latent (+ classes), disc_hidden…, 1]`,
/// VAE-GAN's `[input, disc_hidden…, 1]`, or with convolutions
/// `[their output, disc_hidden…, 1]`; empty for other models.
pub fn disc_sizes(cfg: &ModelConfig) -> Vec<usize> {
    if cfg.kind == ModelKind::Vaegan {
        // VAE-GAN's discriminator reads images.
        let first = disc_convs(cfg).last().map_or(cfg.input, |&(side, _, out)| conv::out_side(side).pow(2) * out);
        return chain(first, &cfg.disc_hidden, 1);
    }
    if cfg.kind != ModelKind::Aae {
        return Vec::new();
    }
    let extra = if cfg.aae_labels { cfg.classes } else { 0 };
    chain(cfg.latent + extra, &cfg.disc_hidden, 1)
}

/// VAE-GAN's convolutions, each (input side, input channels, output
/// channels), on square single-channel images; empty without `disc_conv`.
pub fn disc_convs(cfg: &ModelConfig) -> Vec<(usize, usize, usize)> {
    if cfg.kind != ModelKind::Vaegan {
        return Vec::new();
    }
    let mut side = image_side(cfg.input).unwrap_or(0);
    let mut channels = 1;
    let mut v = Vec::with_capacity(cfg.disc_conv.len());
    for &out in &cfg.disc_conv {
        v.push((side, channels, out));
        side = conv::out_side(side);
        channels = out;
    }
    v
}

/// The side of a square image of `input` pixels, if it is one.
pub fn image_side(input: usize) -> Option<usize> {
    let side = (input as f64).sqrt().round() as usize;
    (side * side == input).then_some(side)
}

fn chain(first: usize, middle: &[usize], last: usize) -> Vec<usize> {
    let mut v = Vec::with_capacity(middle.len() + 2);
    v.push(first);
    v.extend_from_slice(middle);
    v.push(last);
    v
}

/// Trainable numbers (weights, biases and a learned output variance), in u64
/// so that absurd configurations count without overflowing.
pub fn param_count(cfg: &ModelConfig) -> u64 {
    let (enc, dec) = layer_sizes(cfg);
    let dense = |s: &[usize]| s.windows(2).map(|w| (w[0] as u64) * (w[1] as u64) + w[1] as u64).sum::<u64>();
    let logvar = if cfg.decoder == Decoder::GaussianLearnedVar && cfg.kind != ModelKind::Classifier { cfg.input as u64 } else { 0 };
    let convs: u64 = disc_convs(cfg).iter().map(|&(_, i, o)| (conv::KERNEL * conv::KERNEL * i * o + o) as u64).sum();
    dense(&enc) + dense(&dec) + dense(&disc_sizes(cfg)) + convs + logvar
}

/// The largest model the core builds, in parameters: 2^25 ≈ 33.6 M, 128 MiB of
/// f32 weights (and as much again for each of the gradient and Adam's two
/// moments). Every width has its own limit, but eight layers of 4,096 are
/// each fine and together 500 M parameters; this caps the product. The page's
/// largest model (2048×4 hidden, latent 64) has 28.8 M.
pub const MAX_PARAMS: u64 = 1 << 25;
