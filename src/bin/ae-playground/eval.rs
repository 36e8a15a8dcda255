//! `eval`: a model file's test-set figures, and how its codes fit a prior.

use std::path::PathBuf;
use std::time::Instant;

use ae_playground::config::{ModelKind, Prior};
use ae_playground::trainer::evaluate;
use ae_playground::{prior, Dataset, DatasetName, Model, Rng, Split};
use clap::Args;

use crate::args::*;
use crate::input::*;
use crate::train::format_stats;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct EvalArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Dataset to evaluate on (default: the one the model was trained on)
    #[arg(long, value_parser = choice::<DatasetName>())]
    dataset: Option<DatasetName>,
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Evaluate on a set of your own images instead (the page's "Export your set"); a model trained with
    /// --with-dataset (10 + the set's classes) reads the set's labels after the dataset's 10
    #[arg(long, conflicts_with = "dataset")]
    data_file: Option<PathBuf>,
}

pub(crate) fn eval(a: EvalArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let test = match &a.data_file {
        Some(path) => {
            let set = open_own_set(path)?;
            let mut data = set.data.clone();
            if loaded.model.config().classes == 10 + set.classes.len() {
                data.labels.iter_mut().for_each(|l| *l += 10);
            }
            data
        }
        None => load(&a.data_dir, dataset_for(a.dataset, &loaded)?, Split::Test)?,
    };
    test.check_model(loaded.model.config()).map_err(|e| format!("{}: {e}", a.model_file.display()))?;
    let started = Instant::now();
    let ev = evaluate(loaded.model.as_mut(), &test);
    let cfg = loaded.model.config().clone();
    if !ev.kl_per_dim.is_empty() {
        let dims: Vec<String> = ev.kl_per_dim.iter().map(|k| format!("{k:.2}")).collect();
        eprintln!("kl per latent dimension: {}", dims.join(" "));
    }
    let mut line = format_stats(&cfg, &ev.stats);
    if cfg.kind != ModelKind::Classifier {
        line += &format!(" {}", prior_fit(loaded.model.as_mut(), &test));
    }
    eprintln!("evaluated {} test images in {:.1}s", test.len(), started.elapsed().as_secs_f64());
    println!("{line}");
    Ok(())
}

/// Test codes this many at most enter the MMD (it costs n² kernel evaluations).
pub(crate) const MMD_CODES: usize = 2000;

/// How the test codes fit the model's prior (N(0, I) for VAEs, whose codes
/// are the means of q(z|x), and for models without a prior, to compare): mean and covariance against 0 and I
/// (with the covariance's eigenvalues, largest first, comma-separated), MMD² against
/// as many prior samples, and for the mixture the nearest-component accuracy.
pub(crate) fn prior_fit(model: &mut dyn Model, test: &Dataset) -> String {
    let cfg = model.config().clone();
    let codes = model.encode(&test.images(0, test.len()).view(), &test.labels);
    let prior = if cfg.kind == ModelKind::Aae { cfg.prior } else { Prior::Gaussian };
    let n = MMD_CODES.min(test.len());
    let fit = prior::fit(prior, &codes.view(), &test.labels, n, &mut Rng::new(1));
    let eig: Vec<String> = fit.cov_eigenvalues.iter().map(|e| format!("{e:.3}")).collect();
    let mut s = format!("code_mean_norm={:.3} code_cov_dev={:.3} code_cov_eigenvalues={} mmd2={:.4}", fit.mean_norm, fit.cov_dev, eig.join(","), fit.mmd2);
    if let Some(acc) = fit.component_accuracy {
        s += &format!(" component_accuracy={acc:.4}");
    }
    if let Some(d) = fit.roll_distance {
        s += &format!(" roll_median_distance={d:.3}");
    }
    s
}
