//! `starter`: the model a first visit to the page starts from, so that a
//! drawing reconstructs as itself before the datasets have even arrived. It
//! is the page's default model (the settings table's page defaults, so it is
//! exactly what the page would build), trained on MNIST for a fixed number of
//! batches from its seed: the same file on every build. Weights and settings
//! only, no optimiser state, to keep it small; the page trains on from it.

use std::path::PathBuf;

use ae_playground::settings::{self, page_defaults};
use ae_playground::{io, DatasetName, Split, Trainer};
use clap::Args;

use crate::input::load;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct StarterArgs {
    /// Training batches from the page's default seed
    #[arg(long, default_value_t = 1200)]
    batches: usize,
    /// Folder holding mnist/ (default: $AE_DATA_DIR or ./data)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Where to write it
    #[arg(long, default_value = "starter.safetensors")]
    out: PathBuf,
}

pub(crate) fn starter(a: StarterArgs) -> CliResult {
    let (model, train_cfg, dataset) = settings::configs_from(&page_defaults()).map_err(|e| e.to_string())?;
    if dataset != DatasetName::Mnist {
        return Err(format!("the page's default dataset is {}, but the starter is trained on MNIST", settings::name(&dataset)));
    }
    let train = load(&a.data_dir, dataset, Split::Train)?;
    let mut t = Trainer::new(&model, &train_cfg).map_err(|e| e.to_string())?;
    t.init_output(&train);
    let stats = t.train_batches(&train, a.batches).map_err(|e| e.to_string())?;
    let meta = t.metadata(Some(dataset));
    let bytes = io::save(t.model.as_mut(), &meta);
    std::fs::write(&a.out, &bytes).map_err(|e| format!("cannot write {}: {e}", a.out.display()))?;
    eprintln!("wrote {} ({} KB, {} batches, last batch's loss {:.2})", a.out.display(), bytes.len() / 1024, a.batches, stats.loss);
    Ok(())
}
