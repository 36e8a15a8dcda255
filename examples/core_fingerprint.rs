//! Prints, as JSON, what a few small fixed-seed training runs produce on real
//! MNIST, so the browser test (tests/web/wasm-core.test.mjs) can check that
//! the WebAssembly build computes the same thing as the native one. The cases
//! are defined here only; the test hands them to the page.
//!
//! For each case: a checksum of the initial weights (must match bit for bit:
//! same generator, same initialisation), the test-set figures before training
//! (a forward pass only), the loss of each of `STEPS` training batches on the
//! first `TRAIN_IMAGES` training images, and the test-set figures after.
//!
//!     cargo run --release --example core_fingerprint

use std::collections::BTreeMap;

use ae_playground::data::mnist::default_data_root;
use ae_playground::{io, Dataset, DatasetName, ModelConfig, Split, TrainConfig, Trainer};
use serde_json::{json, Value};

const TRAIN_IMAGES: usize = 1000;
const STEPS: usize = 20;

fn cases() -> Vec<(&'static str, Value, Value)> {
    let train = json!({"optimizer": "adam", "lr": 1e-3, "batch": 32, "seed": 7});
    vec![
        ("ae", json!({"kind": "ae", "input": 784, "hidden": [64], "latent": 2, "activation": "relu", "decoder": "bernoulli"}), train.clone()),
        ("vae", json!({"kind": "vae", "input": 784, "hidden": [64], "latent": 4, "activation": "relu", "decoder": "bernoulli"}), train.clone()),
        (
            "dae",
            json!({"kind": "dae", "input": 784, "hidden": [64], "latent": 8, "activation": "tanh", "decoder": "gaussian", "noise": "mask", "noise_level": 0.3}),
            json!({"optimizer": "momentum", "lr": 1e-2, "batch": 50, "seed": 11}),
        ),
    ]
}

/// FNV-1a (32-bit) of the safetensors data section: every parameter's bytes
/// in the model's fixed order. Simple enough to repeat exactly in JavaScript.
fn weights_checksum(trainer: &mut Trainer) -> u32 {
    let bytes = io::save(trainer.model.as_mut(), &BTreeMap::new());
    let header = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    bytes[8 + header..].iter().fold(0x811c_9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

fn figures(trainer: &mut Trainer, test: &Dataset) -> Vec<f32> {
    let e = trainer.evaluate(test);
    let s = e.stats;
    [s.loss, s.recon, s.kl, s.penalty, s.accuracy].into_iter().chain(e.kl_per_dim).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = default_data_root();
    let train = Dataset::load(&root, DatasetName::Mnist, Split::Train)?.take(TRAIN_IMAGES);
    let test = Dataset::load(&root, DatasetName::Mnist, Split::Test)?;
    let mut out = Vec::new();
    for (name, model, train_cfg) in cases() {
        let mc: ModelConfig = serde_json::from_value(model.clone())?;
        let tc: TrainConfig = serde_json::from_value(train_cfg.clone())?;
        let mut trainer = Trainer::new(&mc, &tc)?;
        let init_checksum = weights_checksum(&mut trainer);
        let initial = figures(&mut trainer, &test);
        let mut losses = Vec::new();
        for _ in 0..STEPS {
            losses.push(trainer.step(&train)?.loss);
        }
        let after = figures(&mut trainer, &test);
        out.push(json!({
            "name": name, "model": model, "train": train_cfg,
            "init_checksum": init_checksum, "initial": initial, "losses": losses, "final": after,
            "final_checksum": weights_checksum(&mut trainer),
        }));
    }
    println!("{}", json!({"train_images": TRAIN_IMAGES, "steps": STEPS, "cases": out}));
    Ok(())
}
