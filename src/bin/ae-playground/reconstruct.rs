//! `reconstruct`: a PNG of test images above their reconstructions.

use std::path::PathBuf;

use ae_playground::{DatasetName, Split};
use clap::Args;
use ndarray::Array2;

use crate::args::*;
use crate::input::*;
use crate::output::*;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct ReconstructArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Images per row
    #[arg(long, default_value_t = 10)]
    n: usize,
    /// Dataset to take the images from (default: the one the model was trained on)
    #[arg(long, value_parser = choice::<DatasetName>())]
    dataset: Option<DatasetName>,
    #[arg(long)]
    data_dir: Option<PathBuf>,
    #[arg(long, default_value = "reconstructions.png")]
    out: PathBuf,
}

pub(crate) fn reconstruct(a: ReconstructArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let name = dataset_for(a.dataset, &loaded)?;
    let test = load(&a.data_dir, name, Split::Test)?;
    test.check_model(loaded.model.config()).map_err(|e| format!("{}: {e}", a.model_file.display()))?;
    if a.n == 0 || a.n > 100 {
        return Err("--n must be between 1 and 100".into());
    }
    let n = a.n.min(test.len());
    square_side(test.dim())?;
    let Some(model) = loaded.model.generative() else { return Err("a classifier does not reconstruct".into()) };
    let x = test.images(0, n);
    let r = model.reconstruct(&x.view(), &test.labels[..n]);
    let mut both = Array2::zeros((2 * n, x.ncols()));
    both.slice_mut(ndarray::s![..n, ..]).assign(&x);
    both.slice_mut(ndarray::s![n.., ..]).assign(&r);
    write_grid(&a.out, &both, 2, n)
}
