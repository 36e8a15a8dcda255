//! `sample`: a PNG grid of samples from the prior (the manifold for 2-D
//! latents), and on stdout how grey and how inked they are:
//!   samples=400 grey=0.1380 ink=0.1100

use std::path::PathBuf;

use ae_playground::config::ModelKind;
use ae_playground::latent::LatentView;
use ae_playground::measures::{grey_share, ink_share};
use ae_playground::{prior, Model, Rng};
use clap::Args;
use ndarray::Array2;

use crate::input::*;
use crate::output::*;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct SampleArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Grid side: n×n images
    #[arg(long, default_value_t = 10)]
    n: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// For a 2-D latent, draw the manifold (decoded Gaussian quantiles, or for an AAE's mixture or roll an even grid over its support) instead of random samples
    #[arg(long)]
    manifold: bool,
    /// CVAE, or AAE with --aae-labels: the class to generate (default: one column per class)
    #[arg(long)]
    label: Option<u8>,
    #[arg(long, default_value = "samples.png")]
    out: PathBuf,
}

pub(crate) fn sample(a: SampleArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let model: &mut dyn Model = loaded.model.as_mut();
    let cfg = model.config().clone();
    if !cfg.kind.has_prior() {
        return Err(format!("sampling needs a model with a prior (vae, cvae, vaegan or aae); this file holds a {}", cfg.kind.name()));
    }
    if a.n == 0 || a.n > 100 {
        return Err("--n must be between 1 and 100".into());
    }
    let (n, k) = (a.n, cfg.latent);
    square_side(cfg.input)?;
    check_output_size(n * n, cfg.input, "sampling")?;
    let mut z = Array2::zeros((n * n, k));
    if a.manifold {
        if k != 2 {
            return Err(format!("--manifold needs a 2-D latent; this model's latent has {k} dimensions"));
        }
        // Kingma & Welling (2014) fig. 4: the prior's quantiles, the page's grid;
        // for the AAE's mixture and roll, an even grid over their support.
        z = match (cfg.kind, prior::support_half_width(cfg.prior)) {
            (ModelKind::Aae, Some(half)) => prior::support_grid(n, half),
            _ => LatentView::prior(k).and_then(|v| v.manifold(n, true)).map_err(|e| e.to_string())?.1,
        };
    }
    if a.label.is_some_and(|l| l as usize >= cfg.classes) {
        return Err(format!("--label must be below {}", cfg.classes));
    }
    // Without --label a CVAE grid shows one class per column.
    let labels: Vec<u8> = (0..n * n).map(|i| a.label.unwrap_or((i % n % cfg.classes) as u8)).collect();
    let Some(generator) = model.generative() else { return Err("this model has no decoder".into()) };
    let images = if a.manifold { Some(generator.decode(&z.view(), &labels)) } else { generator.sample(&labels, &mut Rng::new(a.seed)) };
    let images = images.ok_or("only a vae, cvae, vaegan or aae has a prior to sample from")?;
    // How sharp the decoder's means are (src/measures/sharpness.rs).
    println!("samples={} grey={:.4} ink={:.4}", images.nrows(), grey_share(&images.view()), ink_share(&images.view()));
    write_grid(&a.out, &images, n, n)
}
