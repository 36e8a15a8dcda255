//! The browser's API, and the only module that knows JavaScript exists.
//!
//! Two opaque handles keep the big state in Rust (the wasm-bindgen book's
//! game-of-life pattern): `MnistData` holds the decoded train and test sets,
//! `Playground` a model with its trainer. Every call is coarse — a whole chunk
//! of batches, a whole batch of images — and returns a fresh copy
//! (`Box<[f32]>` becomes a `Float32Array`) that the worker can transfer with
//! `postMessage`; views into `memory.buffer` would go stale when memory grows.
//! The datasets live in their own handle so rebuilding or importing a model
//! never re-decodes 60,000 images.
//!
//! Results with more than one figure cross as named fields (a plain JS object
//! such as `{loss, recon, kl, penalty, accuracy, disc_loss, …}`), never as positional
//! arrays. The page's randomness (prior samples, corruption previews) comes
//! from the core's generator, seeded by the caller, so a link reproduces what
//! it shows. `LatentView` is the latent plot's maths (src/latent): the worker
//! builds one from the test codes and asks it for coordinates, grids and
//! neighbours.
//!
//! Everything that JavaScript hands in is checked here, so a bad call becomes
//! a JS `Error` with a sentence a person can act on, never a panic (which
//! would surface as an opaque `unreachable` and poison the instance).

use wasm_bindgen::prelude::*;

mod claims;
mod data;
mod js;
mod latent_view;
mod playground;
mod probes;
#[cfg(feature = "threads")]
mod threads;
mod training;
mod views;

/// The lessons' measurements: nearest training image, kNN accuracy, precision@k, PCA map.
mod measures;

pub use data::MnistData;
pub use latent_view::LatentView;
pub use playground::Playground;

/// Requests larger than this many images are refused: they would only come
/// from a bug in the page, and would allocate hundreds of megabytes.
const MAX_IMAGES: usize = 20_000;
/// Largest manifold side the page may ask for (n² decodes).
const MAX_GRID: usize = 50;

/// Threads a GEMM may use from now on, at most the pool's size (the threaded
/// build, once www/worker/thread-pool.js started one; the other builds run 1);
/// returns the number in force. Results are the same bits for every number.
#[wasm_bindgen]
pub fn set_threads(n: usize) -> usize {
    crate::threads::set_threads(n)
}
