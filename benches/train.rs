//! Native training throughput: prints samples/s and GFLOP/s for the
//! reference autoencoder and the VAE on real MNIST. A benchmark, not a test:
//! it asserts nothing about time. Run: `cargo bench --bench train`;
//! `BENCH_THREADS=2` splits each GEMM over 2 threads (src/threads.rs; default 1).

use std::time::Instant;

use ae_playground::config::{ModelConfig, ModelKind, TrainConfig};
use ae_playground::data::mnist::default_data_root;
use ae_playground::threads::timing;
use ae_playground::{Dataset, DatasetName, Split, Trainer};

struct Case {
    name: &'static str,
    cfg: ModelConfig,
    batch: usize,
}

/// Multiply–adds per sample of one forward pass, from the layer shapes.
fn macs(t: &mut Trainer) -> f64 {
    let mut m = 0.0;
    t.model.visit(&mut |name, shape, _, _| {
        if name.ends_with(".weight") {
            m += (shape[0] * shape[1]) as f64;
        }
    });
    m
}

/// Where a batch's time went: in parallel sections (split over the threads
/// when they are large enough), the calling thread waiting inside them, and
/// outside them (one thread alone). With 2 threads, the alone part and the
/// waiting bound the gain (issue 23); a hand-off's bare cost is printed too.
fn sections(seconds: f64, batches: usize) {
    let t = timing::section_times();
    let per = |x: f64| 1e3 * x / batches as f64;
    println!(
        "{:<62}   per batch: {:.2} ms, {:.1} parallel sections taking {:.2} ms (waiting {:.2} ms), {:.2} ms outside them",
        "",
        per(seconds),
        t.sections as f64 / batches as f64,
        per(t.inside),
        per(t.waiting),
        per(seconds - t.inside)
    );
}

fn main() {
    let data = Dataset::load(&default_data_root(), DatasetName::Mnist, Split::Train).expect("MNIST (run `bash scripts/setup.sh`)");
    let test = Dataset::load(&default_data_root(), DatasetName::Mnist, Split::Test).expect("MNIST test set");
    let cases = [
        Case {
            name: "AE 784-512-256-2-256-512-784 (ReLU, linear code, Bernoulli)",
            cfg: ModelConfig { kind: ModelKind::Ae, hidden: vec![512, 256], latent: 2, ..ModelConfig::default() },
            batch: 64,
        },
        Case {
            name: "VAE 784-400-20 (ReLU, Bernoulli)",
            cfg: ModelConfig { kind: ModelKind::Vae, hidden: vec![400], latent: 20, ..ModelConfig::default() },
            batch: 128,
        },
    ];
    let seconds: f64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let threads = ae_playground::threads::set_threads(std::env::var("BENCH_THREADS").ok().and_then(|s| s.parse().ok()).unwrap_or(1));
    let on = if threads == 1 { "single thread".to_string() } else { format!("{threads} threads") };
    println!("native training throughput, Adam, real MNIST, {seconds} s per case, {on}");
    if threads > 1 {
        println!("a hand-off of an empty block to another thread and back: {:.1} µs", 1e6 * timing::handoff_seconds(5000));
    }
    for case in cases {
        let mut t = Trainer::new(&case.cfg, &TrainConfig { batch: case.batch, ..TrainConfig::default() }).unwrap();
        // Forward is 2·MACs flops; backward twice that (input and weight gradients).
        let flops_per_sample = 6.0 * macs(&mut t);
        for _ in 0..20 {
            t.step(&data).unwrap(); // warm-up: buffers allocated, caches warm
        }
        timing::time_sections(true);
        let start = Instant::now();
        let mut samples = 0usize;
        while start.elapsed().as_secs_f64() < seconds {
            t.step(&data).unwrap();
            samples += case.batch;
        }
        let s = start.elapsed().as_secs_f64();
        timing::time_sections(false);
        let rate = samples as f64 / s;
        println!("{:<62} batch {:>3}: {:>9.0} samples/s  {:>6.2} GFLOP/s", case.name, case.batch, rate, rate * flops_per_sample / 1e9);
        sections(s, samples / case.batch);
        // Test-set evaluation: forward only, 2·MACs flops per image.
        t.evaluate(&test);
        let start = Instant::now();
        let mut images = 0usize;
        while start.elapsed().as_secs_f64() < seconds {
            t.evaluate(&test);
            images += test.len();
        }
        let rate = images as f64 / start.elapsed().as_secs_f64();
        println!("{:<62} test set : {:>9.0} images/s   {:>6.2} GFLOP/s", case.name, rate, rate * flops_per_sample / 3e9);
    }
}
