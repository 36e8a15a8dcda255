//! Seed files, made at run time from real sources so none is committed:
//! IDX files cut from the real MNIST and Fashion-MNIST files in `data/`
//! (their headers rewritten to the images kept), plain and gzipped; a model
//! file saved by the core, as the CLI saves it, for every model kind; and
//! the configurations and settings' text that people type.

use std::io::{Read, Write};
use std::path::Path;

use ae_playground::config::{BatchOrder, Decoder, ModelConfig, ModelKind, NoiseKind, Prior, TrainConfig};
use ae_playground::data::mnist::default_data_root;
use ae_playground::data::DatasetName;
use ae_playground::layers::{Activation, Init};
use ae_playground::optim::OptimizerKind;
use ae_playground::{io, settings, Trainer};
use serde_json::json;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("the fuzz corpus needs {} ({e}); run `bash scripts/setup.sh` first", path.display()))
}

fn gunzip_prefix(gz: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).take(n as u64).read_to_end(&mut out).expect("a real gzip file inflates");
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("writing to a Vec");
    e.finish().expect("writing to a Vec")
}

/// A real IDX file cut to its first `keep` items, its count rewritten to match.
fn cut(real: &[u8], keep: usize) -> Vec<u8> {
    let ndim = real[3] as usize;
    let item: usize = (1..ndim).map(|i| u32::from_be_bytes(real[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize).product();
    let header = 4 + 4 * ndim;
    let mut out = real[..header + keep * item].to_vec();
    out[4..8].copy_from_slice(&(keep as u32).to_be_bytes());
    out
}

/// IDX seeds: small valid files of real images and labels (1 and 3 items),
/// the real files' first few hundred bytes as they are (their headers
/// promise 60,000 images), gzip versions, and the real Fashion-MNIST gzip
/// stream cut short.
pub fn idx() -> Vec<Vec<u8>> {
    let root = default_data_root();
    let mnist = root.join(DatasetName::Mnist.dir_name());
    let fashion = root.join(DatasetName::FashionMnist.dir_name());
    let images = read(&mnist.join("t10k-images-idx3-ubyte"));
    let labels = read(&mnist.join("t10k-labels-idx1-ubyte"));
    let f_images_gz = read(&fashion.join("t10k-images-idx3-ubyte.gz"));
    let f_labels_gz = read(&fashion.join("t10k-labels-idx1-ubyte.gz"));
    let f_images = gunzip_prefix(&f_images_gz, 16 + 2 * 784);
    let f_labels = gunzip_prefix(&f_labels_gz, 8 + 2);
    let mut seeds = vec![
        cut(&images, 1),
        cut(&images, 3),
        cut(&labels, 3),
        cut(&labels, 1),
        cut(&f_images, 2),
        cut(&f_labels, 2),
        images[..400].to_vec(),
        labels[..300].to_vec(),
    ];
    let plain = seeds.clone();
    seeds.extend(plain[..6].iter().map(|s| gzip(s)));
    seeds.push(f_images_gz[..600].to_vec());
    seeds.push(f_labels_gz[..300].to_vec());
    // The other ranks the reader takes: 2 and 4 dimensions.
    let mut two = vec![0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 4];
    two.extend_from_slice(&images[16..28]);
    let mut four = vec![0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2];
    four.extend_from_slice(&images[200..208]);
    seeds.push(gzip(&four));
    seeds.extend([two, four]);
    seeds
}

fn small(kind: ModelKind) -> ModelConfig {
    ModelConfig { kind, input: 16, hidden: vec![4], latent: 2, disc_hidden: vec![4], ..ModelConfig::default() }
}

/// The model configurations behind the model-file seeds: every kind, small
/// (16 pixels, so a file is a few hundred bytes of floats after its
/// header), each decoder, prior, activation and initialisation with a
/// parameter, no hidden layer, and the page's default shape at 784 pixels.
pub fn model_configs() -> Vec<ModelConfig> {
    let mut out: Vec<ModelConfig> = ModelKind::all().into_iter().map(small).collect();
    out.extend([
        ModelConfig { decoder: Decoder::GaussianLearnedVar, activation: Activation::Tanh, ..small(ModelKind::Vae) },
        ModelConfig { decoder: Decoder::Gaussian, init: Init::Normal { std: 0.01 }, ..small(ModelKind::Ae) },
        ModelConfig { noise: NoiseKind::Gaussian, noise_level: 0.5, init: Init::Uniform { scale: 0.1 }, ..small(ModelKind::Dae) },
        ModelConfig { activation: Activation::Sigmoid, contractive: 1.0, hidden: vec![], ..small(ModelKind::Cae) },
        ModelConfig { prior: Prior::Mog10, aae_labels: true, ..small(ModelKind::Aae) },
        ModelConfig { prior: Prior::SwissRoll, latent: 4, disc_hidden: vec![3, 3], ..small(ModelKind::Aae) },
        ModelConfig { hidden: vec![8, 6], latent: 3, classes: 3, ..small(ModelKind::Cvae) },
        ModelConfig { input: 784, hidden: vec![8], latent: 2, ..ModelConfig::default() },
    ]);
    out
}

/// Model-file seeds, saved as the CLI saves them (the training settings and
/// the session in the metadata).
pub fn model() -> Vec<Vec<u8>> {
    let trains = [
        TrainConfig::default(),
        TrainConfig { optimizer: OptimizerKind::Sgd, lr: 0.05, batch: 3, seed: 7, ..TrainConfig::default() },
        TrainConfig { optimizer: OptimizerKind::Momentum, gen_steps: 2, disc_lr: 1e-4, ..TrainConfig::default() },
    ];
    model_configs()
        .iter()
        .enumerate()
        .map(|(i, cfg)| {
            let t = Trainer::new(cfg, &trains[i % trains.len()]).expect("a valid configuration builds");
            let mut t = t;
            let meta = t.metadata(Some(if i % 2 == 0 { DatasetName::Mnist } else { DatasetName::FashionMnist }));
            io::save(t.model.as_mut(), &meta)
        })
        .collect()
}

/// What a configuration case holds: which parser reads it, then its text.
/// The first byte of a case picks the parser (mod the number of them), so a
/// case file replays on its own.
pub enum ConfigCase {
    /// `ModelConfig` JSON, validated, built and run when small.
    Model,
    /// `TrainConfig` JSON, validated.
    Train,
    /// `{"model": …, "train": …}`: both, then a trainer and a step when small.
    Both,
    /// A setting's text as typed on the command line (`settings::ALL[i]`).
    Setting(usize),
}

impl ConfigCase {
    pub fn count() -> usize {
        3 + settings::ALL.len()
    }
    pub fn from_byte(b: u8) -> ConfigCase {
        match b as usize % Self::count() {
            0 => ConfigCase::Model,
            1 => ConfigCase::Train,
            2 => ConfigCase::Both,
            i => ConfigCase::Setting(i - 3),
        }
    }
}

fn case(selector: usize, text: &str) -> Vec<u8> {
    let mut out = vec![selector as u8];
    out.extend_from_slice(text.as_bytes());
    out
}

/// Configuration seeds: every model configuration above (and its serde
/// defaults filled in or left out), training settings, the pairs, and for
/// every setting its default and each of its choices as text.
pub fn config() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for cfg in model_configs() {
        out.push(case(0, &serde_json::to_string(&cfg).expect("serialises")));
    }
    out.push(case(0, r#"{"kind":"vae","hidden":[256],"latent":2}"#));
    out.push(case(0, r#"{"kind":"aae","prior":"swiss-roll","latent":2,"init":{"kind":"normal","std":0.05}}"#));
    for t in [
        TrainConfig::default(),
        TrainConfig { batch_order: BatchOrder::Seed, optimizer: OptimizerKind::Momentum, lr: 0.01, batch: 32, seed: u64::MAX, disc_lr: 0.5, gen_steps: 10, lr_decay: 0.5 },
    ] {
        out.push(case(1, &serde_json::to_string(&t).expect("serialises")));
    }
    out.push(case(1, r#"{"lr":0.0003,"batch":64}"#));
    for cfg in model_configs().into_iter().take(4) {
        out.push(case(2, &json!({ "model": cfg, "train": { "batch": 3, "optimizer": "sgd" } }).to_string()));
    }
    for (i, s) in settings::ALL.iter().enumerate() {
        out.push(case(3 + i, &s.default_text()));
        if let settings::Kind::Choice { choices, aliases } = s.kind {
            for c in choices().into_iter().chain(aliases()) {
                out.push(case(3 + i, c));
            }
        }
    }
    out.push(case(3 + settings::ALL.iter().position(|s| s.key == "init").expect("an init setting"), "normal:0.01"));
    out
}
