//! Measures the `contractive` lesson's comparison natively: an AE and CAEs
//! of several λ, the lesson's network (784-256-16 sigmoid, Bernoulli
//! decoder, Adam 0.001, batches of 100, `batch_order=seed`, so every side
//! sees the same batches), trained for 300 batches on the whole training
//! set. For each seed and model it prints the mean ‖∂h/∂x‖_F and that mean
//! relative to the codes' spread (`probes::relative_jacobian`) on the first
//! 100 and the first 1,000 test images, the test reconstruction in nats per
//! image, and the wall-clock time per training step.
//!
//!     cargo run --release --example contractive -- [seeds, e.g. 1,2,3] [λs, e.g. 0,1]

use std::time::Instant;

use ae_playground::config::{BatchOrder, Decoder, ModelKind};
use ae_playground::data::mnist::default_data_root;
use ae_playground::layers::Activation;
use ae_playground::probes::relative_jacobian;
use ae_playground::{Dataset, DatasetName, ModelConfig, Split, TrainConfig, Trainer};

const STEPS: usize = 300;

fn list<T: std::str::FromStr>(arg: Option<String>, default: &str) -> Vec<T> {
    arg.as_deref().unwrap_or(default).split(',').map(|v| v.parse().ok().expect("a comma-separated list of numbers")).collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seeds: Vec<u64> = list(args.next(), "1");
    let lambdas: Vec<f32> = list(args.next(), "0,1");
    let root = default_data_root();
    let train = Dataset::load(&root, DatasetName::Mnist, Split::Train).expect("MNIST (scripts/setup.sh fetches it)");
    let test = Dataset::load(&root, DatasetName::Mnist, Split::Test).expect("MNIST test set");
    let labels: Vec<u8> = test.labels[..1000].to_vec();
    let (x100, x1000) = (test.images(0, 100), test.images(0, 1000));
    println!("seed model       mean‖J‖(100) relative(100) mean‖J‖(1000) relative(1000) spread(1000) test-recon ms/step");
    for &seed in &seeds {
        let sides = std::iter::once((ModelKind::Ae, 0.0)).chain(lambdas.iter().map(|&l| (ModelKind::Cae, l)));
        for (kind, contractive) in sides {
            let cfg = ModelConfig {
                kind,
                hidden: vec![256],
                latent: 16,
                activation: Activation::Sigmoid,
                decoder: Decoder::Bernoulli,
                contractive,
                ..ModelConfig::default()
            };
            let tc = TrainConfig { batch_order: BatchOrder::Seed, lr: 1e-3, batch: 100, seed, ..TrainConfig::default() };
            let mut t = Trainer::new(&cfg, &tc).expect("trainer");
            t.init_output(&train);
            let start = Instant::now();
            for _ in 0..STEPS {
                t.step(&train).expect("trains");
            }
            let ms = start.elapsed().as_secs_f64() * 1e3 / STEPS as f64;
            let r100 = relative_jacobian(t.model.as_mut(), &x100.view(), &labels[..100]).expect("probe");
            let r1000 = relative_jacobian(t.model.as_mut(), &x1000.view(), &labels).expect("probe");
            let recon = t.evaluate(&test).stats.recon;
            let name = if kind == ModelKind::Ae { "ae".to_string() } else { format!("cae λ={contractive}") };
            println!(
                "{seed:<4} {name:<12} {:>12.3} {:>13.4} {:>13.3} {:>14.4} {:>12.3} {:>10.2} {:>7.2}",
                r100.mean_norm, r100.relative, r1000.mean_norm, r1000.relative, r1000.code_spread, recon, ms
            );
        }
    }
}
