//! Layers: data plus `forward` / `backward`. Layers never cache their inputs:
//! the network that owns the buffers passes the saved input into `backward`.
pub mod activation;
pub mod conv;
pub mod dense;
pub(crate) mod features;
pub(crate) mod jacobian;
pub(crate) mod mlp;

pub use activation::Activation;
pub use dense::{Dense, Init};
pub(crate) use features::ImageFeatures;
pub(crate) use mlp::Mlp;
pub use mlp::TensorVisitor;
