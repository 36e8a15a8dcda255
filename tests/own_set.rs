//! A set of one's own images as one file (src/data/own_set.rs): it round-trips,
//! Python's safetensors reads it, every malformed file is refused with a
//! sentence and never a panic, and the CLI trains on it alone and mixed into
//! MNIST. The images are real: MNIST test digits, as a drawn or photographed
//! class would arrive after the page's preprocessing.

use crate::common;

use std::process::Command;

use ae_playground::data::own_set::{OwnSet, FORMAT, MAX_IMAGES};
use ae_playground::{Dataset, Error, Rng, Split};

/// The first `n` test sevens and ones, as two classes of one's own.
fn sevens_and_ones(n: usize) -> OwnSet {
    let test = common::mnist(Split::Test);
    let picked: Vec<usize> = (0..test.len()).filter(|&i| test.labels[i] == 7 || test.labels[i] == 1).take(n).collect();
    let pixels = ndarray::Array2::from_shape_fn((picked.len(), 784), |(r, c)| test.pixels[[picked[r], c]]);
    let labels = picked.iter().map(|&i| u8::from(test.labels[i] == 1)).collect();
    OwnSet { data: Dataset { pixels, labels, rows: 28, cols: 28 }, classes: vec!["seven".into(), "one, straight".into()] }
}

fn refused(bytes: &[u8]) -> String {
    match OwnSet::read(bytes) {
        Err(e @ Error::ImageSet { .. }) => e.to_string(),
        Err(e) => panic!("refused with the wrong kind of error: {e}"),
        Ok(_) => panic!("a bad file was read as a set"),
    }
}

#[test]
fn a_set_round_trips_and_python_reads_it() {
    let set = sevens_and_ones(40);
    let bytes = set.write().unwrap();
    let back = OwnSet::read(&bytes).unwrap();
    assert_eq!(back.classes, set.classes);
    assert_eq!(back.data.pixels, set.data.pixels);
    assert_eq!(back.data.labels, set.data.labels);

    let dir = std::env::temp_dir().join(format!("ae-own-set-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("set.safetensors");
    std::fs::write(&path, &bytes).unwrap();
    let script = r#"
import json, sys
from safetensors.numpy import load_file
from safetensors import safe_open
t = load_file(sys.argv[1])
with safe_open(sys.argv[1], "np") as f:
    meta = f.metadata()
print(json.dumps({"shape": list(t["images"].shape), "dtype": str(t["images"].dtype), "sum": int(t["images"].astype("int64").sum()),
                  "labels": t["labels"].tolist(), "format": meta["format"], "classes": json.loads(meta["classes"])}))
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs (the set-up installs safetensors and numpy)");
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["shape"], serde_json::json!([40, 28, 28]));
    assert_eq!(v["dtype"], "uint8");
    assert_eq!(v["sum"].as_u64().unwrap(), set.data.pixels.iter().map(|&p| p as u64).sum::<u64>());
    assert_eq!(v["labels"], serde_json::json!(set.data.labels));
    assert_eq!(v["format"], FORMAT);
    assert_eq!(v["classes"], serde_json::json!(["seven", "one, straight"]));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn repeated_brings_each_class_to_its_share_with_the_sets_own_images_only() {
    let set = sevens_and_ones(25);
    let counts = |d: &Dataset| [0u8, 1].map(|c| d.labels.iter().filter(|&&l| l == c).count());
    let before = counts(&set.data);
    assert!(before[0] > 0 && before[1] > 0 && before[0] != before[1], "{before:?}");
    let r = set.repeated(6000);
    assert_eq!(counts(&r), [6000, 6000]);
    // Every row is one of the set's own images, with that image's label, and every image is used.
    let mut used = vec![false; set.data.len()];
    for (i, row) in r.pixels.rows().into_iter().enumerate() {
        let k = (0..set.data.len()).find(|&k| set.data.pixels.row(k) == row).expect("a row that is not one of the set's");
        assert_eq!(set.data.labels[k], r.labels[i]);
        used[k] = true;
    }
    assert!(used.iter().all(|&u| u));
    // A class with more images than its share keeps them all.
    assert_eq!(counts(&set.repeated(3)), before);
}

#[test]
fn malformed_sets_are_refused_with_a_sentence() {
    let good = sevens_and_ones(10).write().unwrap();
    assert!(refused(&[]).starts_with("This file is not a set of images"));
    assert!(refused(b"PNG not a set").starts_with("This file is not a set of images"));
    // A header length far past the file's end: refused before any parse.
    let mut huge = good.clone();
    huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(refused(&huge).contains("does not fit"));
    // A file past the cap: refused unread.
    assert!(refused(&vec![0u8; ae_playground::data::own_set::MAX_FILE_BYTES + 1]).starts_with("This file is larger"));
    // Sets that break their own rules never get written; the same rules refuse them on reading.
    let mut bad = sevens_and_ones(10);
    bad.data.labels[3] = 2;
    assert!(bad.write().unwrap_err().to_string().contains("label 2, but only 2 classes"));
    for names in [vec![], vec!["seven".to_string(), "seven".into()], vec![" ".into(), "x".into()], vec!["x".repeat(41), "y".into()]] {
        let set = OwnSet { classes: names.clone(), ..sevens_and_ones(10) };
        assert!(set.write().is_err(), "names {names:?}");
    }
    let too_many = OwnSet { data: Dataset { pixels: ndarray::Array2::zeros((MAX_IMAGES + 1, 784)), labels: vec![0; MAX_IMAGES + 1], rows: 28, cols: 28 }, classes: vec!["a".into()] };
    assert!(too_many.write().unwrap_err().to_string().contains("10001 images"));
    // A model file is a safetensors file too, but not a set.
    let model = ae_playground::io::save(ae_playground::Trainer::new(&Default::default(), &Default::default()).unwrap().model.as_mut(), &Default::default());
    assert!(refused(&model).contains("not a set of images saved by AE Playground"));
}

#[test]
fn no_mutation_of_a_set_file_panics() {
    let good = sevens_and_ones(6).write().unwrap();
    let mut rng = Rng::new(21);
    let mut read = 0;
    for case in 0..3000 {
        let mut b = good.clone();
        match case % 3 {
            0 => {
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(b.len());
                    b[i] = rng.below(256) as u8;
                }
            }
            1 => b.truncate(rng.below(good.len())),
            _ => {
                // Inside the header, where the shapes, offsets and names are.
                let head = 8 + u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
                let i = 8 + rng.below(head - 8);
                b[i] = b"0123456789[]{}\",:9"[rng.below(18)];
            }
        }
        if let Ok(set) = OwnSet::read(&b) {
            set.check().expect("what reads is a valid set");
            read += 1;
        }
    }
    // Changes in the pixels' bytes leave a valid set, so some do read.
    assert!(read > 0 && read < 3000, "{read} of 3000 mutated files read");
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ae-playground")).args(args).output().expect("the binary runs")
}

#[test]
fn the_cli_trains_on_a_set_alone_and_mixed_into_mnist_and_refuses_a_bad_file() {
    let dir = std::env::temp_dir().join(format!("ae-own-set-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (set, model) = (dir.join("set.safetensors"), dir.join("model.safetensors"));
    std::fs::write(&set, sevens_and_ones(64).write().unwrap()).unwrap();
    let (set, model) = (set.to_str().unwrap(), model.to_str().unwrap());

    let alone = cli(&["train", "--data-file", set, "--model", "cvae", "--hidden", "32", "--latent", "2", "--batch", "16", "--epochs", "2", "--out", model]);
    assert!(alone.status.success(), "{}", String::from_utf8_lossy(&alone.stderr));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("training on 64 images of your own in 2 classes (seven, one, straight)"));
    let file = ae_playground::io::load(&std::fs::read(model).unwrap()).unwrap();
    assert_eq!(file.model.config().classes, 2);

    let mixed = cli(&["train", "--data-file", set, "--with-dataset", "--limit", "500", "--model", "classifier", "--hidden", "32", "--batch", "50", "--epochs", "1", "--out", model]);
    assert!(mixed.status.success(), "{}", String::from_utf8_lossy(&mixed.stderr));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("training on 564 images: the dataset's and 64 of your own, whose classes seven, one, straight are labels 10 on"));
    assert_eq!(ae_playground::io::load(&std::fs::read(model).unwrap()).unwrap().model.config().classes, 12);

    // A labelled AAE has a part of its prior for each of 10 labels: your classes mixed in would be 10 and 11.
    let aae = cli(&["train", "--data-file", set, "--with-dataset", "--limit", "500", "--model", "aae", "--prior", "mog10", "--aae-labels", "true", "--hidden", "32", "--latent", "2", "--epochs", "1", "--out", model]);
    assert!(!aae.status.success());
    assert!(
        String::from_utf8_lossy(&aae.stderr).contains("the mog10 prior has 10 parts, one per class, not 12"),
        "{}",
        String::from_utf8_lossy(&aae.stderr)
    );

    std::fs::write(dir.join("bad.safetensors"), b"not a set").unwrap();
    let bad = cli(&["train", "--data-file", dir.join("bad.safetensors").to_str().unwrap(), "--epochs", "1", "--out", model]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("This file is not a set of images saved by AE Playground."), "{}", String::from_utf8_lossy(&bad.stderr));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn training_with_your_set_lowers_its_reconstruction_error_against_a_model_that_never_saw_it() {
    // Your own class: 200 Fashion-MNIST sneakers (real images, and nothing like a digit).
    let fashion = common::fashion(Split::Test);
    let picked: Vec<usize> = (0..fashion.len()).filter(|&i| fashion.labels[i] == 7).take(200).collect();
    let pixels = ndarray::Array2::from_shape_fn((picked.len(), 784), |(r, c)| fashion.pixels[[picked[r], c]]);
    let set = OwnSet { data: Dataset { pixels, labels: vec![0; picked.len()], rows: 28, cols: 28 }, classes: vec!["sneakers".into()] };
    let dir = std::env::temp_dir().join(format!("ae-own-set-learn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("set.safetensors");
    std::fs::write(&file, set.write().unwrap()).unwrap();
    let (file, never, saw) = (file.to_str().unwrap(), dir.join("never.safetensors"), dir.join("saw.safetensors"));
    let common = ["train", "--model", "ae", "--hidden", "64", "--latent", "8", "--batch", "50", "--epochs", "2", "--limit", "3000", "--seed", "4"];
    let never_run = cli(&[&common[..], &["--out", never.to_str().unwrap()]].concat());
    assert!(never_run.status.success(), "{}", String::from_utf8_lossy(&never_run.stderr));
    let saw_run = cli(&[&common[..], &["--data-file", file, "--with-dataset", "--out", saw.to_str().unwrap()]].concat());
    assert!(saw_run.status.success(), "{}", String::from_utf8_lossy(&saw_run.stderr));
    let loss = |model: &std::path::Path| {
        let out = cli(&["eval", "--model-file", model.to_str().unwrap(), "--data-file", file]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.split_whitespace().find_map(|w| w.strip_prefix("test_loss=")).unwrap_or_else(|| panic!("no test_loss in {text}")).parse::<f64>().unwrap()
    };
    let (never_loss, saw_loss) = (loss(&never), loss(&saw));
    eprintln!("reconstruction loss on the 200 sneakers: never saw them {never_loss:.2}, trained with them {saw_loss:.2}");
    assert!(saw_loss < 0.8 * never_loss, "trained with the set: {saw_loss}, never saw it: {never_loss}");
    std::fs::remove_dir_all(&dir).ok();
}
