use thiserror::Error;

/// Everything that can go wrong with input a person supplied. Messages are
/// written to be read by that person (they reach the browser as JS `Error`s).
#[derive(Debug, Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("not a valid IDX file ({what}): {detail}")]
    Idx { what: String, detail: String },
    #[error("dataset problem: {0}")]
    Data(String),
    /// `people` is a sentence for the person who chose the file; `detail`
    /// is for whoever debugs it, and comes after.
    #[error("{people} (Details: {detail}.)")]
    ModelFile { people: &'static str, detail: String },
    /// A file of one's own images (data/own_set.rs) that cannot be read:
    /// a sentence for people, then the detail.
    #[error("{people} (Details: {detail}.)")]
    ImageSet { people: &'static str, detail: String },
    /// A valid model and a valid data set that do not go together (image size, classes).
    #[error("This model cannot be used with this data set: {0}.")]
    Mismatch(String),
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A latent-space request that does not fit the codes (sizes, NaN).
    #[error("{0}")]
    Latent(String),
    /// A measurement asked of a model that cannot give it, or with bad arguments.
    #[error("{0}")]
    Probe(String),
    #[error("training diverged at step {step} (loss became {loss}); the weights were rolled back to the last good ones. Try a smaller learning rate.")]
    Diverged { step: u64, loss: f32 },
}

pub type Result<T> = std::result::Result<T, Error>;
