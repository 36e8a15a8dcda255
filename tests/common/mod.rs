//! Shared test helpers: finite-difference gradient checks and real MNIST.
#![allow(dead_code)]

pub mod counting_alloc;

use std::sync::OnceLock;

use ae_playground::config::{Decoder, ModelConfig, ModelKind};
use ae_playground::data::mnist::default_data_root;
use ae_playground::layers::Activation;
use ae_playground::models::{Adversarial, Phase, TensorVisitor};
use ae_playground::{Dataset, DatasetName, Model, Rng, Split};
use ndarray::Array2;

/// The f32 tolerance. Central differences in f32 cannot reach f64's 1e-6:
/// with ε = 1e-2 the truncation error is O(ε²) and the rounding error about
/// ulp(loss)/2ε ≈ 2e-5 for losses near 4. So we require a relative error
/// below 1e-2, and for gradients under `FLOOR` in size an absolute error
/// below TOL·FLOOR = 1e-4 (the denominator's floor does that).
pub const EPS: f32 = 1e-2;
pub const TOL: f32 = 1e-2;
pub const FLOOR: f32 = 1e-2;

/// |a − n| / max(|a| + |n|, FLOOR)
pub fn rel_err(a: f32, n: f32) -> f32 {
    (a - n).abs() / (a.abs() + n.abs()).max(FLOOR)
}

/// Compares every parameter's analytic gradient with a central difference of
/// the model's objective, holding the noise fixed by re-seeding `rng` for
/// every evaluation. Prints the first mismatches and panics if any.
pub fn check_model_gradients(model: &mut dyn Model, x: &Array2<f32>, labels: &[u8], noise_seed: u64) {
    check_model_gradients_with(model, x, labels, noise_seed, EPS, FLOOR)
}

/// Piecewise-linear nets need a smaller ε so the difference rarely straddles
/// a kink; the rounding error grows as 1/ε, so the absolute floor rises too.
pub const KINK_EPS: f32 = 1e-3;
pub const KINK_FLOOR: f32 = 1e-1;

pub fn check_model_gradients_with(model: &mut dyn Model, x: &Array2<f32>, labels: &[u8], noise_seed: u64, eps: f32, floor: f32) {
    check_gradients_of(
        model,
        |m, rng| {
            m.compute_grads(&x.view(), labels, rng);
        },
        |m, rng| m.objective(&x.view(), labels, rng).loss,
        |m, f| m.visit(f),
        noise_seed,
        eps,
        floor,
    );
}

/// One phase of an adversarial model's game (see `models/aae.rs`): its
/// gradient against a central difference of its own objective, over the
/// parameters the phase updates, with the prior samples fixed by the seed.
pub fn check_phase_gradients(model: &mut dyn Model, phase: Phase, x: &Array2<f32>, labels: &[u8], noise_seed: u64, eps: f32, floor: f32) {
    check_gradients_of(
        model,
        |m, rng| {
            adv(m).phase_grads(phase, &x.view(), labels, rng);
        },
        |m, rng| adv(m).phase_objective(phase, &x.view(), labels, rng).loss,
        |m, f| adv(m).visit_group(phase.group(), f),
        noise_seed,
        eps,
        floor,
    );
}

fn adv(m: &mut dyn Model) -> &mut dyn Adversarial {
    m.adversarial().expect("an adversarial model")
}

/// The comparison itself: `grads` fills the gradients that `visit` shows;
/// each visited entry is moved by ±ε and `objective` re-evaluated with a
/// generator re-seeded by `noise_seed`, so the noise stays fixed.
fn check_gradients_of(
    model: &mut dyn Model,
    grads: impl Fn(&mut dyn Model, &mut Rng),
    objective: impl Fn(&mut dyn Model, &mut Rng) -> f32,
    visit: impl Fn(&mut dyn Model, &mut TensorVisitor),
    noise_seed: u64,
    eps: f32,
    floor: f32,
) {
    let rel_err = |a: f32, n: f32| (a - n).abs() / (a.abs() + n.abs()).max(floor);
    grads(model, &mut Rng::new(noise_seed));
    let mut analytic: Vec<(String, Vec<f32>)> = Vec::new();
    visit(model, &mut |name, _, _, g| analytic.push((name.to_string(), g.to_vec())));
    let mut failures = Vec::new();
    let mut checked = 0;
    for (t, (name, grads)) in analytic.iter().enumerate() {
        for (i, &a) in grads.iter().enumerate() {
            let mut eval = |delta: f32| {
                nudge(model, &visit, t, i, delta);
                let l = objective(model, &mut Rng::new(noise_seed));
                nudge(model, &visit, t, i, -delta);
                l
            };
            let (up, down) = (eval(eps), eval(-eps));
            let n = (up - down) / (2.0 * eps);
            checked += 1;
            if rel_err(a, n) > TOL {
                failures.push(format!("{name}[{i}]: analytic {a:.6} numeric {n:.6} rel err {:.2e}", rel_err(a, n)));
            }
        }
    }
    assert!(checked > 0, "no parameters were checked");
    if !failures.is_empty() {
        panic!("{} of {checked} gradients disagree; first ones:\n{}", failures.len(), failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n"));
    }
}

/// Adds `delta` to entry `i` of the `t`-th tensor that `visit` shows.
fn nudge(model: &mut dyn Model, visit: &impl Fn(&mut dyn Model, &mut TensorVisitor), t: usize, i: usize, delta: f32) {
    let mut k = 0;
    visit(model, &mut |_, _, w, _| {
        if k == t {
            w[i] += delta;
        }
        k += 1;
    });
}

/// A batch of pixels in (0.05, 0.95), away from the saturated ends.
pub fn random_batch(rng: &mut Rng, b: usize, d: usize) -> Array2<f32> {
    Array2::from_shape_fn((b, d), |_| 0.05 + 0.9 * rng.uniform())
}

/// Real MNIST, loaded once per test binary. The set-up script fetches it and
/// checks its SHA-256; tests fail (not skip) when it is missing.
pub fn mnist(split: Split) -> &'static Dataset {
    static TRAIN: OnceLock<Dataset> = OnceLock::new();
    static TEST: OnceLock<Dataset> = OnceLock::new();
    let cell = if split == Split::Train { &TRAIN } else { &TEST };
    cell.get_or_init(|| {
        Dataset::load(&default_data_root(), DatasetName::Mnist, split)
            .unwrap_or_else(|e| panic!("MNIST is needed for this test; run `bash scripts/setup.sh` first ({e})"))
    })
}

/// Real Fashion-MNIST, loaded once per test binary (the set-up script copies and checks it).
pub fn mnist_binary(split: Split) -> &'static Dataset {
    static TRAIN: OnceLock<Dataset> = OnceLock::new();
    static TEST: OnceLock<Dataset> = OnceLock::new();
    let cell = if split == Split::Train { &TRAIN } else { &TEST };
    cell.get_or_init(|| {
        let mut d = mnist(split).clone();
        d.binarise();
        d
    })
}

/// Every dataset a lesson's side may name.
pub fn lesson_data() -> ae_playground::claims::Data<'static> {
    let both = |f: fn(Split) -> &'static Dataset| (f(Split::Train), f(Split::Test));
    [(DatasetName::Mnist, both(mnist)), (DatasetName::FashionMnist, both(fashion)), (DatasetName::MnistBinary, both(mnist_binary))]
        .into_iter()
        .fold(ae_playground::claims::Data::default(), |d, (name, (train, test))| d.with(name, train, test))
}

pub fn fashion(split: Split) -> &'static Dataset {
    static TRAIN: OnceLock<Dataset> = OnceLock::new();
    static TEST: OnceLock<Dataset> = OnceLock::new();
    let cell = if split == Split::Train { &TRAIN } else { &TEST };
    cell.get_or_init(|| {
        Dataset::load(&default_data_root(), DatasetName::FashionMnist, split)
            .unwrap_or_else(|e| panic!("Fashion-MNIST is needed for this test; run `bash scripts/setup.sh` first ({e})"))
    })
}

/// A model small enough for finite differences over every weight: 6 inputs,
/// encoder 5-4, latent 3, tanh, Bernoulli decoder, 3 classes.
pub fn tiny(kind: ModelKind) -> ModelConfig {
    ModelConfig {
        kind,
        input: 6,
        hidden: vec![5, 4],
        latent: 3,
        activation: Activation::Tanh,
        decoder: Decoder::Bernoulli,
        classes: 3,
        ..ModelConfig::default()
    }
}

/// Codes `(n, k)` from N(0, diag(scales²)), rotated by a fixed mixing so the
/// principal directions are not the axes.
pub fn codes(n: usize, scales: &[f32], seed: u64) -> Array2<f32> {
    let k = scales.len();
    let mut rng = Rng::new(seed);
    let raw = Array2::from_shape_fn((n, k), |(_, j)| scales[j] * rng.normal());
    let mix = Array2::from_shape_fn((k, k), |(a, b)| if a == b { 1.0 } else { 0.3 / (1.0 + a as f32 + b as f32) });
    raw.dot(&mix) + 0.5
}

/// Rewrites the JSON header of a saved safetensors file through `edit`.
pub fn with_header(bytes: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut h: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    edit(&mut h);
    let head = serde_json::to_vec(&h).unwrap();
    let mut out = (head.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&head);
    out.extend_from_slice(&bytes[8 + n..]);
    out
}

/// A generated file (`rel`, from the crate's root) must equal `want`: with
/// `update_var` set it is rewritten instead; otherwise a difference fails with
/// the first differing line and the command that regenerates it.
pub fn check_generated_file(rel: &str, want: &str, update_var: &str, test: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os(update_var).is_some() {
        std::fs::write(&path, want).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        let line = have.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(have.lines().count().min(want.lines().count()));
        panic!(
            "{rel} differs from what generates it (first at line {}: have {:?}, want {:?}).\nRun: {update_var}=1 cargo test --release --test suite {test}",
            line + 1,
            have.lines().nth(line),
            want.lines().nth(line)
        );
    }
}
