//! Threads change the speed, never the bits: a GEMM is split over blocks of
//! its output (src/threads.rs), so each output element is summed by one
//! thread in one order, whatever the thread count. One test function, since
//! the thread count is process-wide and tests in a binary run concurrently.

mod common;

use ae_playground::config::{ModelConfig, ModelKind, TrainConfig};
use ae_playground::tensor::gemm;
use ae_playground::threads::{set_threads, split_gemms};
use ae_playground::{Rng, Split, Trainer};
use ndarray::{s, Array2};

/// A model file's bytes (weights, optimiser moments, generator, shuffle
/// position) and the last batch's loss bits after `steps` batches.
fn run(kind: ModelKind, threads: usize, steps: usize) -> (Vec<u8>, u32) {
    assert_eq!(set_threads(threads), threads);
    let data = common::mnist(Split::Train).take(1000);
    // The benchmark's sizes, so that every GEMM is large enough to be split.
    let cfg = ModelConfig { kind, hidden: vec![512, 256], latent: 8, ..ModelConfig::default() };
    let mut t = Trainer::new(&cfg, &TrainConfig { batch: 64, seed: 11, ..TrainConfig::default() }).unwrap();
    t.init_output(&data);
    let mut loss = 0;
    for _ in 0..steps {
        loss = t.step(&data).unwrap().loss.to_bits();
    }
    (t.save(None), loss)
}

fn random(rng: &mut Rng, r: usize, c: usize) -> Array2<f32> {
    Array2::from_shape_fn((r, c), |_| rng.normal())
}

#[test]
fn one_two_three_and_four_threads_give_the_same_bits() {
    // Single products first: odd sizes (partial tiles), a transposed operand
    // (dense.rs's backward passes), beta 0 and 1, alpha −2 (measures/nearest.rs).
    let mut rng = Rng::new(5);
    for (m, k, n, alpha, beta) in [(64, 784, 512, 1.0, 1.0), (784, 64, 512, 1.0, 0.0), (61, 300, 517, -2.0, 0.0), (517, 300, 61, 1.0, 1.0)] {
        let (a, b, c0) = (random(&mut rng, m, k), random(&mut rng, n, k), random(&mut rng, m, n));
        let product = |threads| {
            set_threads(threads);
            let mut c = c0.clone();
            gemm(alpha, &a.view(), &b.t(), beta, &mut c.view_mut());
            c.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        };
        let one = product(1);
        for t in [2, 3, 4] {
            assert!(product(t) == one, "{m}×{k}·{k}×{n} with {t} threads differs from 1 thread");
        }
    }

    // Then training runs, byte for byte, with a split count showing the
    // products were in fact shared out.
    for kind in [ModelKind::Ae, ModelKind::Vae] {
        let one = run(kind, 1, 6);
        for t in [2, 4] {
            let before = split_gemms();
            let other = run(kind, t, 6);
            assert!(split_gemms() - before >= 6 * 6, "{kind:?}: {t} threads split only {} GEMMs", split_gemms() - before);
            assert!(other.1 == one.1, "{kind:?}: the loss after 6 batches differs with {t} threads");
            assert!(other.0 == one.0, "{kind:?}: the model file after 6 batches differs with {t} threads");
        }
    }
    set_threads(1);
}

#[test]
fn splitting_the_sum_instead_would_change_the_bits() {
    // Why the split is over outputs: the same product with its reduction cut
    // in two halves, summed afterwards, rounds differently. Shows that the
    // comparison above can fail.
    let mut rng = Rng::new(6);
    let (a, b) = (random(&mut rng, 64, 784), random(&mut rng, 784, 512));
    let mut whole = Array2::zeros((64, 512));
    gemm(1.0, &a.view(), &b.view(), 0.0, &mut whole.view_mut());
    let mut halves = Array2::zeros((64, 512));
    let mut second = Array2::zeros((64, 512));
    gemm(1.0, &a.slice(s![.., ..392]), &b.slice(s![..392, ..]), 0.0, &mut halves.view_mut());
    gemm(1.0, &a.slice(s![.., 392..]), &b.slice(s![392.., ..]), 0.0, &mut second.view_mut());
    halves += &second;
    let differ = whole.iter().zip(&halves).filter(|(x, y)| x.to_bits() != y.to_bits()).count();
    assert!(differ > whole.len() / 10, "only {differ} of {} sums differ", whole.len());
}
