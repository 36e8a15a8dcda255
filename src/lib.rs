//! AE Playground's core: dense networks with hand-written backprop, losses as
//! likelihoods, optimisers, and the autoencoder family (AE, DAE, CAE, VAE,
//! CVAE, AAE) trained on MNIST-format data, natively or compiled to WebAssembly.
pub mod checkpoint;
pub mod claims;
pub mod config;
pub mod data;
pub mod error;
pub mod expm;
pub mod gemm;
pub mod io;
pub mod latent;
pub mod layers;
pub mod learning_rate;
pub mod logistic;
pub mod loss;
pub mod measures;
pub mod model_size;
pub mod models;
pub mod optim;
pub mod prior;
pub mod probes;
pub mod rng;
pub mod session;
pub mod settings;
pub mod stats;
pub mod tensor;
pub mod threads;
pub mod trainer;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Decoder, ModelConfig, ModelKind, NoiseKind, TrainConfig};
pub use data::{Dataset, DatasetName, Split};
pub use error::{Error, Result};
pub use models::{build, Model, Stats};
pub use rng::Rng;
pub use session::Session;
pub use stats::StatsMean;
pub use trainer::{Evaluation, Trainer};
