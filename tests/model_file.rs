//! Model files: round trips, Python's reader, and every kind of broken file.

use crate::common;

use common::with_header;

use std::collections::BTreeMap;

use ae_playground::config::{Decoder, ModelConfig, ModelKind};
use ae_playground::{build, io, Rng};
use ndarray::Array2;

fn small(kind: ModelKind) -> ModelConfig {
    ModelConfig { kind, input: 784, hidden: vec![32], latent: 4, decoder: Decoder::GaussianLearnedVar, ..ModelConfig::default() }
}

fn saved(kind: ModelKind) -> Vec<u8> {
    let mut m = build(&small(kind), &mut Rng::new(3)).unwrap();
    io::save(m.as_mut(), &BTreeMap::from([("dataset".to_string(), "mnist".to_string())]))
}

fn load_error(bytes: &[u8]) -> String {
    match io::load(bytes) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a broken file was accepted"),
    }
}

#[test]
fn every_model_kind_round_trips_and_reconstructs_identically() {
    let mut rng = Rng::new(5);
    let x = common::random_batch(&mut rng, 3, 784);
    let labels = [1u8, 2, 3];
    for kind in ModelKind::all() {
        let mut m = build(&small(kind), &mut Rng::new(3)).unwrap();
        let bytes = io::save(m.as_mut(), &BTreeMap::new());
        let mut loaded = io::load(&bytes).unwrap();
        assert_eq!(loaded.model.config(), m.config());
        let (a, b): (Array2<f32>, Array2<f32>) = match (m.generative(), loaded.model.generative()) {
            (Some(m), Some(l)) => (m.reconstruct(&x.view(), &labels), l.reconstruct(&x.view(), &labels)),
            (None, None) => {
                assert_eq!(kind, ModelKind::Classifier, "only the classifier has no decoder");
                (m.encode(&x.view(), &labels), loaded.model.encode(&x.view(), &labels))
            }
            _ => panic!("{kind:?}: saving and loading changed whether the model decodes"),
        };
        assert_eq!(a, b, "{kind:?}");
    }
}

#[test]
fn metadata_travels_with_the_file() {
    let l = io::load(&saved(ModelKind::Vae)).unwrap();
    assert_eq!(l.metadata.get("dataset").map(String::as_str), Some("mnist"));
    assert_eq!(l.metadata.get("format").map(String::as_str), Some("ae-playground"));
}

#[test]
fn python_safetensors_reads_our_files_optimiser_state_included() {
    use ae_playground::config::TrainConfig;
    use ae_playground::{Split, Trainer};
    let dir = std::env::temp_dir().join(format!("ae-pg-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("vae.safetensors");
    // A run two Adam steps in: the file carries the moments beside the weights.
    let data = common::mnist(Split::Train).take(64);
    let mut t = Trainer::new(&small(ModelKind::Vae), &TrainConfig { batch: 32, ..TrainConfig::default() }).unwrap();
    t.step(&data).unwrap();
    t.step(&data).unwrap();
    std::fs::write(&path, t.save(None)).unwrap();
    let loaded = io::load(&std::fs::read(&path).unwrap()).unwrap();
    let moment: f64 = loaded.state["optim.encoder.0.weight.v"].1.iter().map(|&v| v as f64).sum();
    let mut expect = 0.0f64;
    t.model.visit(&mut |name, _, w, _| {
        if name == "encoder.0.weight" {
            expect = w.iter().map(|&v| v as f64).sum();
        }
    });
    let script = r#"
import json, sys
from safetensors import safe_open
with safe_open(sys.argv[1], framework="numpy") as f:
    meta = f.metadata()
    t = f.get_tensor("encoder.0.weight")
    v = f.get_tensor("optim.encoder.0.weight.v")
    print(json.dumps({"kind": json.loads(meta["config"])["kind"], "shape": list(t.shape), "dtype": str(t.dtype), "sum": float(t.astype("float64").sum()),
                      "v_shape": list(v.shape), "v_sum": float(v.astype("float64").sum()), "adam_steps": json.loads(meta["resume"])["optimizer_steps"]["optim."],
                      "keys": sorted(f.keys())}))
"#;
    let out =
        std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs (the set-up installs safetensors and numpy)");
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "vae");
    assert_eq!(v["shape"], serde_json::json!([784, 32]));
    assert_eq!(v["dtype"], "float32");
    assert!((v["sum"].as_f64().unwrap() - expect).abs() < 1e-6);
    assert!(v["keys"].as_array().unwrap().iter().any(|k| k == "decoder.logvar"));
    assert_eq!(v["v_shape"], serde_json::json!([784, 32]), "a moment has its parameter's shape");
    assert!(moment > 0.0 && (v["v_sum"].as_f64().unwrap() - moment).abs() <= 1e-9 * moment.max(1.0));
    assert_eq!(v["adam_steps"], 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_largest_run_the_core_trains_fits_in_the_file_cap() {
    use ae_playground::model_size::{layer_sizes, param_count, MAX_PARAMS};
    // An adversarial AE trained with Adam keeps the most state: two moments of
    // every weight, and two more of the encoder's for its generator steps.
    let dense = |s: &[usize]| s.windows(2).map(|w| (w[0] * w[1] + w[1]) as u64).sum::<u64>();
    let file = |cfg: &ModelConfig| {
        let p = param_count(cfg);
        let e = dense(&layer_sizes(cfg).0);
        (p, 4 * (p + 2 * p + 2 * e) + (1 << 20))
    };
    // The page's largest model (2048×4, latent 64), and one at the core's cap.
    let page = ModelConfig { kind: ModelKind::Aae, hidden: vec![2048; 4], latent: 64, ..ModelConfig::default() };
    let cap = ModelConfig { kind: ModelKind::Aae, hidden: vec![4096, 3072], latent: 64, ..ModelConfig::default() };
    for cfg in [page, cap] {
        let (p, bytes) = file(&cfg);
        assert!(p <= MAX_PARAMS && cfg.validate().is_ok(), "{p} parameters");
        assert!(bytes <= io::MAX_FILE_BYTES, "a {p}-parameter run makes a {bytes}-byte file, over the cap of {}", io::MAX_FILE_BYTES);
    }
    assert!(
        file(&ModelConfig { kind: ModelKind::Aae, hidden: vec![4096, 3072], latent: 64, ..ModelConfig::default() }).0 > MAX_PARAMS * 9 / 10,
        "the second case is near the cap"
    );
}

#[test]
fn truncated_files_are_refused() {
    let b = saved(ModelKind::Ae);
    assert!(load_error(&b[..5]).contains("8-byte header length"));
    assert!(load_error(&b[..40]).contains("does not fit"));
    let e = load_error(&b[..b.len() - 10]);
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn errors_lead_with_a_sentence_for_people_then_the_detail() {
    let b = saved(ModelKind::Ae);
    // The header length the issue's user met: 8 bytes of text read as a number.
    let e = load_error(b"Hello, world! 1234567");
    assert!(e.starts_with("This file is not a model file: it is too short to hold one. (Details: header length "), "{e}");
    let e = load_error(&b[..b.len() - 10]);
    assert!(e.starts_with("This model file is damaged or incomplete: its weights do not match the model it describes. (Details: tensor "), "{e}");
}

#[test]
fn garbage_is_refused() {
    assert!(load_error(b"this is a text file, not a model at all").contains("does not fit"));
    let mut b = 4u64.to_le_bytes().to_vec();
    b.extend_from_slice(b"{{{{");
    assert!(load_error(&b).contains("not valid JSON"));
}

#[test]
fn a_file_without_our_config_is_refused() {
    let b = with_header(&saved(ModelKind::Ae), |h| {
        h["__metadata__"].as_object_mut().unwrap().remove("config");
    });
    assert!(load_error(&b).contains("no model configuration"));
    let b = with_header(&saved(ModelKind::Ae), |h| h["__metadata__"]["config"] = "{\"kind\":\"gan\"}".into());
    assert!(load_error(&b).contains("configuration is invalid"));
    let b = with_header(&saved(ModelKind::Ae), |h| h["__metadata__"]["config"] = "{\"hidden\":[100000]}".into());
    assert!(load_error(&b).contains("hidden layer sizes: 100000 must be between 1 and 4096"), "{}", load_error(&b));
}

#[test]
fn wrong_tensor_shapes_dtypes_and_missing_tensors_are_refused() {
    let b = with_header(&saved(ModelKind::Vae), |h| h["encoder.0.weight"]["shape"] = serde_json::json!([32, 784]));
    assert!(load_error(&b).contains("shape [32, 784], expected [784, 32]"));
    let b = with_header(&saved(ModelKind::Vae), |h| h["encoder.0.weight"]["dtype"] = "F16".into());
    assert!(load_error(&b).contains("dtype"));
    // A tensor gone leaves a hole in the data: the format itself refuses that,
    // before the model is built (a table that tiles the data but does not add
    // up to the model is `a_file_for_another_architecture_is_refused`).
    let b = with_header(&saved(ModelKind::Vae), |h| {
        h.as_object_mut().unwrap().remove("decoder.1.bias");
    });
    assert!(load_error(&b).contains("byte ranges are inconsistent"), "{}", load_error(&b));
    // A tensor renamed: the sizes add up, the names do not.
    let b = with_header(&saved(ModelKind::Vae), |h| {
        let t = h.as_object_mut().unwrap().remove("decoder.1.bias").unwrap();
        h["decoder.1.bias_renamed"] = t;
    });
    assert!(load_error(&b).contains("decoder.1.bias is missing"), "{}", load_error(&b));
    // Two tensors on the same bytes: the ranges must tile the data. The
    // crate may find either fault first (its table is a hash map); the
    // message is the same either way, every time.
    let b = with_header(&saved(ModelKind::Vae), |h| h["encoder.0.bias"]["data_offsets"] = h["encoder.0.weight"]["data_offsets"].clone());
    let first = load_error(&b);
    assert!(first.contains("byte ranges are inconsistent"), "{first}");
    for _ in 0..20 {
        assert_eq!(load_error(&b), first, "the same file, another message");
    }
    let b = with_header(&saved(ModelKind::Vae), |h| h["extra.tensor"] = h["decoder.1.bias"].clone());
    assert!(load_error(&b).contains("hold"), "{}", load_error(&b));
}

#[test]
fn a_file_for_another_architecture_is_refused() {
    // An AE's tensors under a config that claims a wider hidden layer.
    let b = with_header(&saved(ModelKind::Ae), |h| {
        let cfg = ModelConfig { hidden: vec![64], ..small(ModelKind::Ae) };
        h["__metadata__"]["config"] = serde_json::to_string(&cfg).unwrap().into();
    });
    // Refused from the table alone: the AE's tensors hold fewer numbers than the wider model has.
    assert!(load_error(&b).contains("parameters, but the file's tensors hold"), "{}", load_error(&b));
}

/// Before the CAE's code layer became linear its files said nothing about
/// it; such a file (here, a new one with the mark removed) is refused with
/// a reason, rather than loaded into a model that computes something else.
#[test]
fn a_cae_file_from_before_the_linear_code_is_refused_with_a_reason() {
    let good = saved(ModelKind::Cae);
    assert!(io::load(&good).is_ok(), "a CAE file written now loads");
    let old = with_header(&good, |h| {
        h["__metadata__"].as_object_mut().unwrap().remove(io::CAE_CODE.0);
    });
    assert!(load_error(&old).contains("sigmoid code layer"), "{}", load_error(&old));
    // Only the CAE changed: other kinds' files need no mark.
    let ae = saved(ModelKind::Ae);
    assert!(!String::from_utf8_lossy(&ae).contains(io::CAE_CODE.0));
    assert!(io::load(&ae).is_ok());
}

#[test]
fn nan_weights_are_refused() {
    let mut b = saved(ModelKind::Ae);
    let n = b.len();
    b[n - 4..].copy_from_slice(&f32::NAN.to_le_bytes());
    assert!(load_error(&b).contains("NaN"));
}

#[test]
fn a_session_round_trips_through_the_metadata_with_one_spelling_per_dataset() {
    use ae_playground::{DatasetName, Session};
    let s = Session { steps: 1234, epochs: 3, samples_seen: 157_952, dataset: Some(DatasetName::FashionMnist) };
    let mut meta = BTreeMap::new();
    s.write(&mut meta);
    assert_eq!(meta.get("dataset").map(String::as_str), Some("fashion"), "the page's and the CLI's spelling");
    assert_eq!(Session::read(&meta), s);
    // Files written before the keys were shared still read.
    let old = BTreeMap::from([("epoch".to_string(), "2".to_string()), ("dataset".to_string(), "fashion-mnist".to_string())]);
    assert_eq!(Session::read(&old), Session { epochs: 2, dataset: Some(DatasetName::FashionMnist), ..Session::default() });
}

#[test]
fn the_trainer_records_its_session_and_resumes_from_it() {
    use ae_playground::config::TrainConfig;
    use ae_playground::{DatasetName, Session, Split, Trainer};
    let data = common::mnist(Split::Train).take(100);
    let mut t = Trainer::new(&small(ModelKind::Ae), &TrainConfig { batch: 32, ..TrainConfig::default() }).unwrap();
    // 100 images in batches of 32: three batches make an epoch (the last 4 images are dropped).
    for _ in 0..3 {
        t.step(&data).unwrap();
    }
    let meta = t.metadata(Some(DatasetName::Mnist));
    let s = Session::read(&meta);
    assert_eq!(s, Session { steps: 3, epochs: 1, samples_seen: 96, dataset: Some(DatasetName::Mnist) });
    assert!(meta.contains_key("train"), "the training settings ride along");
    t.step(&data).unwrap();
    assert_eq!(t.session(None).epochs, 1, "one batch into the second epoch");
    let mut fresh = Trainer::new(&small(ModelKind::Ae), &TrainConfig::default()).unwrap();
    fresh.resume(&s);
    assert_eq!(fresh.session(Some(DatasetName::Mnist)), s);
}

#[test]
fn metadata_that_is_not_text_is_refused_as_python_refuses_it() {
    // The format's metadata maps strings to strings; the crate, like Python's reader, holds files to that.
    let b = with_header(&saved(ModelKind::Ae), |h| h["__metadata__"]["step"] = serde_json::json!(5));
    let e = load_error(&b);
    assert!(e.starts_with("This model file is damaged or incomplete") && e.contains("malformed"), "{e}");
}
