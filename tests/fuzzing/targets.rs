//! The parsers driven, each as the program that reads its input goes on to
//! use what it accepts: an IDX file becomes half of a data set, a model file
//! is opened as the page opens it (training settings, session, a trainer)
//! and then encodes, reconstructs and trains a step, a configuration that
//! validates is built and run. Every `assert!` here is a claim about the
//! parser (what it accepts is usable); a failed one counts as a panic.

use ae_playground::config::{ModelConfig, TrainConfig};
use ae_playground::data::idx::parse_idx;
use ae_playground::model_size::param_count;
use ae_playground::{build, io, settings, Dataset, Rng, Session, Trainer};
use ndarray::Array2;
use serde::Deserialize;
use serde_json::Value;

use super::corpus::{self, ConfigCase};
use super::mutate::{self, chance, Dict};
use super::Target;

fn pick<'a>(rng: &mut Rng, corpus: &'a [Vec<u8>]) -> &'a [u8] {
    &corpus[rng.below(corpus.len())]
}

// ------------------------------------------------------------------ IDX

pub fn idx() -> Target {
    Target { name: "idx", corpus: corpus::idx(), mutate: mutate_idx, run: run_idx, dict: Dict::new([]) }
}

/// A bare IDX file (no partner needed from the harness beyond this).
fn idx_file(dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        out.extend_from_slice(&(*d as u32).to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

fn run_idx(bytes: &[u8]) -> bool {
    let Ok(a) = parse_idx("fuzz", bytes) else { return false };
    assert_eq!(a.data.len(), a.dims.iter().product::<usize>(), "the data holds what the dimensions say");
    // As half of a data set, the other half made to match (when it is small:
    // dimensions like [4e9, 0, 0] hold no data and are refused by `from_idx`).
    let n = a.dims[0];
    let ds = match a.dims.len() {
        3 if n <= 1 << 16 => Dataset::from_idx(bytes.to_vec(), idx_file(&[n], &vec![0; n])),
        1 if n <= 1 << 16 => Dataset::from_idx(idx_file(&[n, 1, 1], &vec![0; n]), bytes.to_vec()),
        _ => return true,
    };
    if let Ok(ds) = ds {
        assert_eq!(ds.len(), n);
        let _ = ds.images(0, ds.len().min(4));
        let _ = ds.mean_image();
        let _ = ds.check_model(&ModelConfig::default());
    }
    true
}

/// IDX header: the magic's type and rank bytes, then up to four big-endian u32 dimensions.
const IDX_HEAD: usize = 4 + 4 * 4;

fn mutate_idx_plain(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>], dict: &Dict) {
    for _ in 0..1 + rng.below(3) {
        if chance(rng, 0.4) {
            match rng.below(6) {
                0 => mutate::write_int(data, 2, 1, *[0u64, 8, 9, 0x0b, 0x0d, 0xff].get(rng.below(6)).expect("in range"), true),
                1 => mutate::write_int(data, 3, 1, rng.below(7) as u64, true),
                k => {
                    let v = if chance(rng, 0.5) { mutate::INTERESTING[rng.below(mutate::INTERESTING.len())] } else { rng.below(70_000) as u64 };
                    mutate::write_int(data, 4 * (k - 1), 4, v, true);
                }
            }
        } else {
            mutate::bytes(rng, data, corpus, dict, IDX_HEAD);
        }
    }
}

fn mutate_idx(rng: &mut Rng, corpus: &[Vec<u8>], dict: &Dict) -> Vec<u8> {
    let seed = pick(rng, corpus);
    let gz = seed.starts_with(&[0x1f, 0x8b]);
    if gz && chance(rng, 0.5) {
        // Mutate what is inside and gzip it again: the reader's checks behind a valid stream.
        use std::io::Read;
        let mut inner = Vec::new();
        let _ = flate2::read::GzDecoder::new(seed).take(1 << 20).read_to_end(&mut inner);
        mutate_idx_plain(rng, &mut inner, corpus, dict);
        return corpus::gzip(&inner);
    }
    let mut data = seed.to_vec();
    if chance(rng, 0.1) {
        // A plain file gzipped after its mutation, or a gzip stream mutated as bytes.
        mutate_idx_plain(rng, &mut data, corpus, dict);
        return if gz { data } else { corpus::gzip(&data) };
    }
    mutate_idx_plain(rng, &mut data, corpus, dict);
    data
}

// ------------------------------------------------------------------ model files

pub fn model() -> Target {
    let corpus = corpus::model();
    let headers: Vec<Value> = corpus.iter().filter_map(|f| split_model(f).and_then(|(h, _)| serde_json::from_slice(h).ok())).collect();
    let dict = Dict::new(Dict::harvest(&headers));
    Target { name: "model", corpus, mutate: mutate_model, run: run_model, dict }
}

/// Four images of `input` pixels with labels below `classes`.
fn tiny_data(input: usize, classes: usize) -> Dataset {
    let pixels = Array2::from_shape_fn((4, input), |(i, j)| ((i * 31 + j * 7) % 256) as u8);
    Dataset { pixels, labels: (0..4).map(|i| (i % classes.max(1)) as u8).collect(), rows: 1, cols: input }
}

/// A model that loaded (or built) is used as the page and the CLI use one.
fn exercise(t: &mut Trainer) {
    let cfg = t.model.config().clone();
    let x = Array2::from_elem((2, cfg.input), 0.5f32);
    let labels = [0u8, 1];
    let codes = t.model.encode(&x.view(), &labels);
    assert_eq!(codes.nrows(), 2);
    if let Some(g) = t.model.generative() {
        let r = g.reconstruct(&x.view(), &labels);
        assert_eq!(r.dim(), (2, cfg.input));
    }
    let _ = t.step(&tiny_data(cfg.input, cfg.classes));
}

fn run_model(bytes: &[u8]) -> bool {
    let Ok(loaded) = io::load(bytes) else { return false };
    // As the page's `Playground::load`: the training settings, then the session.
    let train = match loaded.metadata.get("train").map(|t| serde_json::from_str::<TrainConfig>(t)) {
        None => TrainConfig::default(),
        Some(Ok(t)) if t.validate().is_ok() => t,
        Some(_) => return true,
    };
    let session = Session::read(&loaded.metadata);
    let mut t = Trainer::from_model(loaded.model, &train).expect("validated settings make a trainer");
    t.resume(&session);
    exercise(&mut t);
    true
}

/// A safetensors file's JSON header and the data after it.
fn split_model(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let n = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?) as usize;
    let head = bytes.get(8..8usize.checked_add(n)?)?;
    Some((head, &bytes[8 + n..]))
}

/// A string in the metadata that holds JSON (the config, the training settings), mutated as JSON.
fn mutate_meta_json(rng: &mut Rng, header: &mut Value, key: &str, dict: &Dict) -> bool {
    let Some(Value::String(s)) = header.get_mut("__metadata__").and_then(|m| m.get_mut(key)) else { return false };
    let Ok(mut inner) = serde_json::from_str::<Value>(s) else { return false };
    for _ in 0..1 + rng.below(3) {
        mutate::json(rng, &mut inner, dict);
    }
    *s = inner.to_string();
    true
}

fn mutate_model(rng: &mut Rng, corpus: &[Vec<u8>], dict: &Dict) -> Vec<u8> {
    let seed = pick(rng, corpus);
    let (head, data) = split_model(seed).expect("the corpus is well-formed");
    let mut out;
    match rng.below(10) {
        // The header as JSON, the length rewritten to match (or not).
        0..=5 => {
            let mut h: Value = serde_json::from_slice(head).expect("the corpus is well-formed");
            for _ in 0..1 + rng.below(3) {
                let done = match rng.below(10) {
                    0..=2 => mutate_meta_json(rng, &mut h, "config", dict),
                    3 => mutate_meta_json(rng, &mut h, "train", dict),
                    _ => false,
                };
                if !done {
                    mutate::json(rng, &mut h, dict);
                }
            }
            let mut text = serde_json::to_vec(&h).expect("a Value serialises");
            while chance(rng, 0.5) && !text.len().is_multiple_of(8) {
                text.push(b' ');
            }
            if chance(rng, 0.2) {
                mutate::bytes(rng, &mut text, &[], dict, 0);
            }
            out = (text.len() as u64).to_le_bytes().to_vec();
            if chance(rng, 0.1) {
                mutate::write_int(&mut out, 0, 8, mutate::INTERESTING[rng.below(mutate::INTERESTING.len())], false);
            }
            out.extend_from_slice(&text);
            out.extend_from_slice(data);
        }
        // The header length alone.
        6 => {
            out = seed.to_vec();
            let n = head.len() as u64;
            let v = match rng.below(3) {
                0 => mutate::INTERESTING[rng.below(mutate::INTERESTING.len())],
                1 => n.wrapping_add(rng.below(17) as u64).wrapping_sub(8),
                _ => (16u64 << 20) + rng.below(3) as u64 - 1,
            };
            mutate::write_int(&mut out, 0, 8, v, false);
        }
        // The weights: a NaN, an infinity, a subnormal, or data cut or grown.
        7 => {
            out = seed.to_vec();
            let start = 8 + head.len();
            if data.len() >= 4 && chance(rng, 0.7) {
                let at = start + 4 * rng.below(data.len() / 4);
                let v = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE / 2.0, f32::MAX, -0.0][rng.below(6)];
                out[at..at + 4].copy_from_slice(&v.to_le_bytes());
            } else if chance(rng, 0.5) {
                out.truncate(start + rng.below(data.len() + 1));
            } else {
                out.extend((0..1 + rng.below(8)).map(|_| rng.next_u64() as u8));
            }
        }
        // Bytes anywhere, mostly in the header.
        _ => {
            out = seed.to_vec();
            mutate::bytes_n(rng, &mut out, corpus, dict, 8 + head.len(), 4);
        }
    }
    out
}

// ------------------------------------------------------------------ configurations

pub fn config() -> Target {
    let corpus = corpus::config();
    let docs: Vec<Value> = corpus.iter().filter_map(|c| serde_json::from_slice(&c[1..]).ok()).collect();
    let mut words = Dict::harvest(&docs);
    for s in settings::ALL {
        words.push(s.key.to_string());
        words.push(s.default_text());
        if let settings::Kind::Choice { choices, aliases } = s.kind {
            words.extend(choices().into_iter().chain(aliases()).map(String::from));
        }
    }
    Target { name: "config", corpus, mutate: mutate_config, run: run_config, dict: Dict::new(words) }
}

/// The largest model the config target builds and runs (validation alone covers larger ones).
const BUILD_LIMIT: u64 = 1 << 18;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Both {
    model: ModelConfig,
    train: TrainConfig,
}

/// Words that only serde's messages use: a value `value_from_text` accepted
/// must never meet one in `configs_from`, only the cross-field checks.
const SERDE_WORDS: [&str; 6] = ["invalid type", "unknown variant", "unknown field", "missing field", "invalid value", "invalid length"];

fn run_config(bytes: &[u8]) -> bool {
    let Some((&selector, text)) = bytes.split_first() else { return false };
    match ConfigCase::from_byte(selector) {
        ConfigCase::Model => {
            let Ok(cfg) = serde_json::from_slice::<ModelConfig>(text) else { return false };
            if cfg.validate().is_err() {
                return false;
            }
            if param_count(&cfg) <= BUILD_LIMIT {
                let mut m = build(&cfg, &mut Rng::new(0)).expect("a validated configuration builds");
                let x = Array2::from_elem((2, cfg.input), 0.5f32);
                let _ = m.objective(&x.view(), &[0, 1], &mut Rng::new(1));
                if let Some(g) = m.generative() {
                    let _ = g.reconstruct(&x.view(), &[0, 1]);
                }
            }
            true
        }
        ConfigCase::Train => serde_json::from_slice::<TrainConfig>(text).is_ok_and(|t| t.validate().is_ok()),
        ConfigCase::Both => {
            let Ok(both) = serde_json::from_slice::<Both>(text) else { return false };
            if both.model.validate().is_err() || both.train.validate().is_err() {
                return false;
            }
            if param_count(&both.model) <= BUILD_LIMIT {
                let mut t = Trainer::new(&both.model, &both.train).expect("validated configurations make a trainer");
                exercise(&mut t);
            }
            true
        }
        ConfigCase::Setting(i) => {
            let s = &settings::ALL[i];
            match s.value_from_text(&String::from_utf8_lossy(text)) {
                Ok(v) => match settings::configs_from(&[(s, v.clone())]) {
                    Ok(_) => true,
                    Err(e) => {
                        let e = e.to_string();
                        assert!(!SERDE_WORDS.iter().any(|w| e.contains(w)), "{} accepted {v} from text, which its config cannot read: {e}", s.key);
                        false
                    }
                },
                Err(message) => {
                    // "weight initialisation" is "initialisation" in some messages.
                    let word = s.label.rsplit(' ').next().unwrap_or(s.label);
                    assert!(message.contains(word), "a refusal names the setting ({}): {message}", s.label);
                    false
                }
            }
        }
    }
}

/// Text a person might type for a setting.
#[rustfmt::skip]
const TYPED: [&str; 24] = [
    "1e-7", "-0", "0", "4096", "4097", "1,2,3", " 8 , 8 ", "8,,8", "normal:", "normal:1e-7", "uniform:nan", "uniform:inf", "inf", "NaN", "+5", "0x10", "１", "٣",
    "18446744073709551615", "18446744073709551616", "1e39", "0.1e-5", "he:1", "mog10 ",
];

fn mutate_config(rng: &mut Rng, corpus: &[Vec<u8>], dict: &Dict) -> Vec<u8> {
    let seed = pick(rng, corpus);
    let (&selector, text) = seed.split_first().expect("no empty seed");
    let bodies: Vec<Vec<u8>> = Vec::new();
    let mut body = match ConfigCase::from_byte(selector) {
        ConfigCase::Setting(_) if chance(rng, 0.3) => TYPED[rng.below(TYPED.len())].as_bytes().to_vec(),
        ConfigCase::Setting(_) => {
            let mut b = text.to_vec();
            mutate::bytes_n(rng, &mut b, &bodies, dict, 0, 3);
            b
        }
        _ => mutate::json_text(rng, text, &bodies, dict),
    };
    // Now and then another parser reads it.
    let selector = if chance(rng, 0.05) { rng.below(ConfigCase::count()) as u8 } else { selector };
    if chance(rng, 0.05) && !corpus.is_empty() {
        // A splice with another seed's text.
        let other = &pick(rng, corpus)[1..];
        let cut = rng.below(body.len() + 1);
        body.truncate(cut);
        body.extend_from_slice(&other[rng.below(other.len() + 1)..]);
    }
    let mut out = vec![selector];
    out.extend_from_slice(&body);
    out
}
