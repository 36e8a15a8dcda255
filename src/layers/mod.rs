//! Layers: data plus `forward` / `backward`. Layers never cache their inputs:
//! the network that owns the buffers passes the saved input into `backward`.
pub mod activation;
pub mod dense;
pub mod mlp;

pub use activation::Activation;
pub use dense::{Dense, Init};
pub use mlp::Mlp;
