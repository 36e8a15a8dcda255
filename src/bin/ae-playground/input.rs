//! What commands read: datasets and model files, with sentences for people when they are missing or bad.

use std::path::{Path, PathBuf};

use ae_playground::data::mnist::default_data_root;
use ae_playground::{io, Dataset, DatasetName, Error, Split};

/// The dataset named on the command line, else the one the model file says it was trained on, else MNIST.
pub(crate) fn dataset_for(asked: Option<DatasetName>, loaded: &io::Loaded) -> Result<DatasetName, String> {
    match (asked, loaded.metadata.get("dataset")) {
        (Some(name), _) => Ok(name),
        (None, Some(meta)) => DatasetName::parse(meta).ok_or_else(|| format!("the model file names an unknown dataset '{meta}'; pass --dataset")),
        (None, None) => Ok(DatasetName::default()),
    }
}

pub(crate) fn load(root: &Option<PathBuf>, name: DatasetName, split: Split) -> Result<Dataset, String> {
    let root = root.clone().unwrap_or_else(default_data_root);
    Dataset::load(&root, name, split).map_err(|e| format!("{e} (run `bash scripts/setup.sh` to fetch the datasets)"))
}

/// Reads and loads a model file, refusing one larger than `io::MAX_FILE_BYTES` before reading it.
pub(crate) fn open_model(path: &Path) -> Result<io::Loaded, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    let too_big = |len: u64| {
        format!(
            "{} is larger than the largest model file ({} MiB, {} bytes): it is {len} bytes, so it is not a model this playground saves",
            path.display(),
            io::MAX_FILE_BYTES >> 20,
            io::MAX_FILE_BYTES
        )
    };
    if len > io::MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    // Read at most one byte past the cap, in case the file grew since its length was read.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(io::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > io::MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    io::load(&bytes).map_err(|e: Error| format!("{}: {e}", path.display()))
}

/// Reads a set of one's own images (`data::own_set`), refusing a file larger
/// than the largest set before reading it.
pub(crate) fn open_own_set(path: &Path) -> Result<ae_playground::data::own_set::OwnSet, String> {
    use ae_playground::data::own_set::{OwnSet, MAX_FILE_BYTES};
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    // At most one byte past the cap: OwnSet::read then says the file is too large.
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(cannot)?;
    OwnSet::read(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}
