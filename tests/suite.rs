//! The integration tests, one file a module, built as one binary: the library's
//! generics are compiled and linked once, not once a file (rebuilding the
//! tests after a change to src/ took 87 CPU-seconds with 29 binaries and takes
//! 71 with these two), and MNIST is read once for all of them (`common`).
//! `cargo test --profile suite --test suite probes::` runs one file's tests.
//!
//! `tests/threads.rs` stays a binary of its own: it sets the process's thread
//! count, which tests running beside it in one process would see change.
//!
//! Every test here runs under the counting allocator. Its tallies are per
//! thread, so tests running in parallel do not count each other.

mod common;
mod fuzzing;

// (`counting_alloc` by name too: the fuzzer reads its tallies as `crate::counting_alloc`.)
use common::counting_alloc::{self, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

mod aae;
mod alloc;
mod claims;
mod claims_file;
mod cli;
mod conv;
mod datasets_file;
mod determinism;
mod fuzz;
mod gemm;
mod gradients;
mod hashing;
mod hostile_files;
mod idx_reader;
mod latent;
mod learning;
mod measures;
mod model_file;
mod model_size;
mod module_deps;
mod own_set;
mod prior;
mod probes;
mod resume;
mod settings;
mod settings_file;
mod stats_terms;
mod subnormals;
