//! The native half of the soak (`scripts/soak-page.mjs` is the page's): trains
//! the page's default model (VAE 784-256-2, ReLU, Bernoulli, Adam 1e-3, batch
//! 100, seed 1) on MNIST for N minutes, one thread, and prints every few
//! seconds images/s of training time, images per second of this process's own
//! CPU time (/proc/self/stat: what other work on a shared machine cannot
//! change by taking the core) and the machine's load average.
//!
//! `--subnormals` also counts subnormal floats (|x| < 2^-126, which x86 and
//! WebAssembly compute in slow microcode) among the gradients and in exact
//! replicas of Adam's two moments, kept beside the trainer's with its own
//! formulas (`optim.rs`); their upkeep is left out of the timing. `--ftz` sets
//! the x86-64 flush-to-zero and denormals-are-zero bits (MXCSR), which
//! WebAssembly cannot: if the slowdown is subnormals, it goes away.
//!
//! `--interleave` trains two copies of the model side by side on this one
//! thread, a step of one, then a step of the other with FTZ+DAZ set, and
//! prints both rates: whatever else the machine does slows both alike, so
//! their ratio is the subnormals' cost at that step, free of the load.
//!
//! cargo run --release --example soak -- --minutes 8 [--every 15] [--subnormals] [--ftz] [--interleave]

use std::time::{Duration, Instant};

use ae_playground::data::mnist::default_data_root;
use ae_playground::{Dataset, DatasetName, ModelConfig, Split, Trainer};
use clap::Parser;
use ndarray::Array1;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 8.0)]
    minutes: f64,
    #[arg(long, default_value_t = 15.0)]
    every: f64,
    #[arg(long)]
    subnormals: bool,
    #[arg(long)]
    ftz: bool,
    #[arg(long)]
    interleave: bool,
}

/// Sets (or clears) MXCSR's bit 15 (FZ) and bit 6 (DAZ), for this thread only.
fn set_ftz_daz(on: bool) {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        let mut csr: u32 = 0;
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr);
        let bits = (1 << 15) | (1 << 6);
        csr = if on { csr | bits } else { csr & !bits };
        std::arch::asm!("ldmxcsr [{}]", in(reg) &csr);
    }
    #[cfg(not(target_arch = "x86_64"))]
    eprintln!("FTZ/DAZ: nothing to set on this architecture ({on})");
}

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    // Fields 14 and 15 of stat(5), in USER_HZ ticks (100 on Linux).
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (tick(11) + tick(12)) / 100.0
}

fn load_avg() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|s| s.split(' ').next().map(String::from)).unwrap_or_else(|| "?".into())
}

/// Adam's moments replayed with its formulas: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g².
struct Moments {
    m: Vec<Array1<f32>>,
    v: Vec<Array1<f32>>,
}

/// Below this, Adam's (1 − β₂)·g² (0.001·2^-116 = 2^-126 at |g| = 2^-58) is subnormal.
const TINY_GRAD: f32 = 3.469_447e-18; // 2^-58

fn subnormal(x: f32) -> bool {
    x != 0.0 && x.abs() < f32::MIN_POSITIVE
}

fn main() {
    let a = Args::parse();
    if a.ftz {
        set_ftz_daz(true);
    }
    let data = Dataset::load(&default_data_root(), DatasetName::Mnist, Split::Train).expect("MNIST in data/ (run scripts/setup.sh)");
    let cfg = ModelConfig { hidden: vec![256], latent: 2, ..ModelConfig::default() };
    let train = ae_playground::TrainConfig { batch: 100, ..Default::default() };
    let mut t = Trainer::new(&cfg, &train).expect("the page's default model");
    t.init_output(&data);
    if a.interleave {
        return interleave(t, &cfg, &train, &data, &a);
    }
    let mut moments = Moments { m: Vec::new(), v: Vec::new() };
    println!(
        "native soak: VAE 784-256-2, Adam 1e-3, batch 100, {} min{}{}",
        a.minutes,
        if a.ftz { ", FTZ+DAZ" } else { "" },
        if a.subnormals { ", counting subnormals" } else { "" }
    );
    println!(
        "{:>5} {:>7} {:>9} {:>9} {:>5} {}",
        "t s",
        "step",
        "images/s",
        "img/cpu-s",
        "load",
        if a.subnormals { "subnormal: grads  Adam m  Adam v  weights (of the params), grads |g| < 2^-58" } else { "" }
    );
    let start = Instant::now();
    let mut train_time = Duration::ZERO;
    let mut samples = 0u64;
    let mut next = a.every;
    let mut cpu0 = cpu_seconds();
    let (b1, b2) = (0.9f32, 0.999f32);
    while start.elapsed().as_secs_f64() < a.minutes * 60.0 {
        let t0 = Instant::now();
        t.step(&data).expect("trains");
        train_time += t0.elapsed();
        samples += train.batch as u64;
        let mut counts = [0usize; 6]; // grads, m, v, weights, params, grads whose (1 − β₂)g² is subnormal
        if a.subnormals {
            let mut slot = 0;
            t.model.visit(&mut |_, _, w, g| {
                if moments.m.len() <= slot {
                    moments.m.push(Array1::zeros(w.len()));
                    moments.v.push(Array1::zeros(w.len()));
                }
                let (m, v) = (&mut moments.m[slot], &mut moments.v[slot]);
                for (((&g, m), v), &w) in g.iter().zip(m.iter_mut()).zip(v.iter_mut()).zip(w.iter()) {
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    counts[0] += subnormal(g) as usize;
                    counts[1] += subnormal(*m) as usize;
                    counts[2] += subnormal(*v) as usize;
                    counts[3] += subnormal(w) as usize;
                    counts[4] += 1;
                    counts[5] += (g != 0.0 && g.abs() < TINY_GRAD) as usize;
                }
                slot += 1;
            });
        }
        if start.elapsed().as_secs_f64() >= next {
            next += a.every;
            let rate = samples as f64 / train_time.as_secs_f64();
            let cpu = cpu_seconds();
            // The moments' upkeep runs on this CPU too: no per-CPU figure while counting.
            let per_cpu = if a.subnormals { "–".to_string() } else { format!("{:.0}", samples as f64 / (cpu - cpu0)) };
            cpu0 = cpu;
            let extra = if a.subnormals {
                format!("{:>16} {:>7} {:>7} {:>8} ({}), {}", counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
            } else {
                String::new()
            };
            println!("{:>5.0} {:>7} {:>9.0} {:>9} {:>5} {extra}", start.elapsed().as_secs_f64(), t.step, rate, per_cpu, load_avg());
            samples = 0;
            train_time = Duration::ZERO;
        }
    }
}

/// Two copies, one step each in turn, the second with FTZ+DAZ on.
fn interleave(mut plain: Trainer, cfg: &ModelConfig, train: &ae_playground::TrainConfig, data: &Dataset, a: &Args) {
    let mut ftz = Trainer::new(cfg, train).expect("the page's default model");
    ftz.init_output(data);
    println!("native soak, interleaved: VAE 784-256-2, Adam 1e-3, batch 100, {} min; a step without, a step with FTZ+DAZ", a.minutes);
    println!("{:>5} {:>7} {:>9} {:>9} {:>6} {:>5}", "t s", "step", "plain/s", "FTZ/s", "ratio", "load");
    let start = Instant::now();
    let (mut tp, mut tf) = (Duration::ZERO, Duration::ZERO);
    let mut steps = 0u64;
    let mut next = a.every;
    while start.elapsed().as_secs_f64() < a.minutes * 60.0 {
        let t0 = Instant::now();
        plain.step(data).expect("trains");
        let t1 = Instant::now();
        set_ftz_daz(true);
        ftz.step(data).expect("trains");
        set_ftz_daz(false);
        tf += t1.elapsed();
        tp += t1 - t0;
        steps += 1;
        if start.elapsed().as_secs_f64() >= next {
            next += a.every;
            let images = (steps * train.batch as u64) as f64;
            let (p, f) = (images / tp.as_secs_f64(), images / tf.as_secs_f64());
            println!("{:>5.0} {:>7} {:>9.0} {:>9.0} {:>6.2} {:>5}", start.elapsed().as_secs_f64(), plain.step, p, f, f / p, load_avg());
            (tp, tf, steps) = (Duration::ZERO, Duration::ZERO, 0);
        }
    }
}
