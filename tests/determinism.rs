//! One seed, one run: every random draw comes from the seeded generator.

mod common;

use ae_playground::config::{ModelConfig, ModelKind, NoiseKind, TrainConfig};
use ae_playground::{Split, Trainer};

fn weights_after(kind: ModelKind, seed: u64, steps: usize) -> Vec<u32> {
    let data = common::mnist(Split::Train).take(2000);
    let cfg = ModelConfig { kind, hidden: vec![64], latent: 4, noise: NoiseKind::Gaussian, ..ModelConfig::default() };
    let mut t = Trainer::new(&cfg, &TrainConfig { batch: 32, seed, ..TrainConfig::default() }).unwrap();
    t.init_output_bias(&data);
    for _ in 0..steps {
        t.step(&data).unwrap();
    }
    let mut bits = Vec::new();
    t.model.visit(&mut |_, _, w, _| bits.extend(w.iter().map(|v| v.to_bits())));
    bits
}

#[test]
fn the_same_seed_gives_bit_identical_weights() {
    // 70 steps of 32 cross an epoch boundary of 2000 images, so reshuffling is covered.
    for kind in [ModelKind::Dae, ModelKind::Vae, ModelKind::Cvae, ModelKind::Aae] {
        let (a, b) = (weights_after(kind, 7, 70), weights_after(kind, 7, 70));
        assert!(a == b, "{kind:?}: two runs with one seed differ");
    }
}

#[test]
fn different_seeds_give_different_weights() {
    let (a, b) = (weights_after(ModelKind::Vae, 7, 5), weights_after(ModelKind::Vae, 8, 5));
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!(differing > a.len() / 2, "only {differing} of {} weights differ", a.len());
}
