//! "Training allocates nothing per batch", checked with a counting allocator.
//!
//! Every model kind trains for a warm-up (buffers take their shapes, the
//! optimiser its state, the first snapshot and reshuffle happen), then a
//! second stretch of steps, across epoch boundaries and a divergence
//! snapshot, must allocate nothing of its own.
//!
//! One allocation per product that `matrixmultiply` (ndarray's GEMM) takes
//! is not ours: it allocates its packing buffer on every call and offers no
//! way to reuse one. Every GEMM in the crate goes through `tensor::gemm`,
//! which counts the calls it hands to matrixmultiply (none on a CPU with
//! AVX-512, where our own kernel multiplies), so the claim checked is:
//! allocations during training == those calls. Any allocation of ours (a
//! name built with `format!`, a scratch `Vec`, a clone) makes the two differ.

use crate::common;

use ae_playground::config::{Decoder, ModelConfig, ModelKind, NoiseKind, Prior, TrainConfig};
use ae_playground::optim::OptimizerKind;
use ae_playground::tensor::{gemm_count, matrixmultiply_count};
use ae_playground::{Split, Trainer};
use common::counting_alloc::allocations;

/// (allocations, GEMM calls, of those matrixmultiply's) during `steps` training steps after `warmup` ones.
fn allocations_while_training(cfg: &ModelConfig, optimizer: OptimizerKind, warmup: usize, steps: usize) -> (u64, u64, u64) {
    // 200 images in batches of 32: an epoch every 6 steps.
    let data = common::mnist(Split::Train).take(200);
    let mut t = Trainer::new(cfg, &TrainConfig { batch: 32, optimizer, seed: 3, ..TrainConfig::default() }).expect("trainer");
    t.init_output(&data);
    t.train_batches(&data, warmup).expect("warm-up trains");
    let (a0, g0, m0) = (allocations(), gemm_count(), matrixmultiply_count());
    // Through `train_batches`, as the browser trains, and `step`, as the CLI does.
    t.train_batches(&data, steps / 2).expect("trains");
    for _ in steps / 2..steps {
        t.step(&data).expect("trains");
    }
    (allocations() - a0, gemm_count() - g0, matrixmultiply_count() - m0)
}

#[test]
fn training_steps_allocate_nothing_but_matrixmultiplys_packing_buffers() {
    let base = ModelConfig { hidden: vec![24, 16], latent: 3, ..ModelConfig::default() };
    let cases = [
        (ModelConfig { kind: ModelKind::Ae, ..base.clone() }, OptimizerKind::Adam),
        (ModelConfig { kind: ModelKind::Dae, noise: NoiseKind::Mask, ..base.clone() }, OptimizerKind::Momentum),
        (ModelConfig { kind: ModelKind::Dae, noise: NoiseKind::Gaussian, decoder: Decoder::Gaussian, ..base.clone() }, OptimizerKind::Sgd),
        (ModelConfig { kind: ModelKind::Cae, contractive: 0.1, ..base.clone() }, OptimizerKind::Adam),
        (ModelConfig { kind: ModelKind::Vae, decoder: Decoder::GaussianLearnedVar, ..base.clone() }, OptimizerKind::Adam),
        (ModelConfig { kind: ModelKind::Cvae, ..base.clone() }, OptimizerKind::Adam),
        (ModelConfig { kind: ModelKind::Classifier, ..base.clone() }, OptimizerKind::Momentum),
        // Three phases, three optimisers; prior samples drawn into the discriminator's own buffer.
        (ModelConfig { kind: ModelKind::Aae, latent: 2, ..base.clone() }, OptimizerKind::Adam),
        (ModelConfig { kind: ModelKind::Aae, latent: 2, prior: Prior::Mog10, aae_labels: true, ..base.clone() }, OptimizerKind::Momentum),
        (ModelConfig { kind: ModelKind::Hash, ..base.clone() }, OptimizerKind::Adam),
        // Three phases with a balance that skips some, a discriminator on images.
        (ModelConfig { kind: ModelKind::Vaegan, disc_hidden: vec![16, 8], ..base.clone() }, OptimizerKind::Adam),
    ];
    for (cfg, opt) in cases {
        // 60 steps cross ten epoch boundaries and the snapshot at step 100.
        let (allocs, gemms, mm) = allocations_while_training(&cfg, opt, 45, 60);
        assert!(gemms > 0, "{:?}: no GEMM was counted", cfg.kind);
        assert_eq!(
            allocs, mm,
            "{:?} ({:?}): {allocs} allocations in 60 steps, but only {mm} are matrixmultiply's packing buffers ({gemms} GEMMs)",
            cfg.kind, cfg.noise
        );
    }
}

#[test]
fn the_counter_sees_an_allocation() {
    // The comparison above can fail: one Vec is one allocation more.
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 16]);
    assert_eq!(allocations() - before, 1);
    drop(v);
}

/// The WebAssembly builds multiply with our GEMM (`ae_playground::gemm`),
/// which keeps its packing buffers between calls: once they have grown for a
/// shape, the same or a smaller product allocates nothing. Checked here with
/// the portable lanes, the same code as the wasm build's but for the vector type.
#[test]
fn our_gemm_allocates_nothing_once_warm() {
    use ae_playground::gemm::{lanes::Portable, sgemm};
    use ndarray::Array2;
    let (x, w) = (Array2::<f32>::ones((64, 784)), Array2::<f32>::ones((784, 512)));
    let (dy, mut y, mut dw, mut dx) = (Array2::<f32>::ones((64, 512)), Array2::zeros((64, 512)), Array2::zeros((784, 512)), Array2::zeros((64, 784)));
    let layer = |y: &mut Array2<f32>, dw: &mut Array2<f32>, dx: &mut Array2<f32>| {
        sgemm::<Portable<true>>(1.0, &x.view(), &w.view(), 1.0, &mut y.view_mut());
        sgemm::<Portable<true>>(1.0, &x.t(), &dy.view(), 1.0, &mut dw.view_mut());
        sgemm::<Portable<true>>(1.0, &dy.view(), &w.t(), 0.0, &mut dx.view_mut());
    };
    layer(&mut y, &mut dw, &mut dx);
    let a0 = allocations();
    for _ in 0..3 {
        layer(&mut y, &mut dw, &mut dx);
    }
    assert_eq!(allocations() - a0, 0, "a dense layer's three GEMMs allocated after warming up");
    assert_eq!(y[[0, 0]], 784.0 * 4.0, "the products were computed");
}
