//! The command line as a user runs it.

use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ae-playground")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `key=value` pairs of the last stdout line.
fn summary(o: &Output) -> Vec<(String, f64)> {
    let out = stdout(o);
    let last = out.lines().last().unwrap_or_default().to_string();
    last.split_whitespace().filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.parse().unwrap())).collect()
}

fn value(s: &[(String, f64)], key: &str) -> f64 {
    s.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key} in {s:?}")).1
}

#[test]
fn help_and_version_follow_conventions() {
    let h = cli(&["--help"]);
    assert!(h.status.success() && stdout(&h).contains("train") && stdout(&h).contains("eval"));
    let v = cli(&["--version"]);
    assert!(v.status.success() && stdout(&v).contains(env!("CARGO_PKG_VERSION")));
    let bad = cli(&["train", "--model", "gan"]);
    assert!(!bad.status.success());
    // clap refuses it with the enum's serde names as the choices.
    assert!(stderr(&bad).contains("invalid value 'gan'") && stderr(&bad).contains("vae, cvae, classifier"), "{}", stderr(&bad));
    let help = cli(&["train", "--help"]);
    assert!(stdout(&help).contains("[possible values: identity, sigmoid, tanh, relu, leaky_relu]"), "{}", stdout(&help));
    let bad = cli(&["train", "--lr", "0", "--limit", "10"]);
    assert!(!bad.status.success() && stderr(&bad).contains("learning rate 0 must be between 1e-6 and 100"), "{}", stderr(&bad));
    let bad = cli(&["train", "--hidden", "12,x"]);
    assert!(!bad.status.success() && stderr(&bad).contains("--hidden"));
}

#[test]
fn train_then_eval_then_sample_and_reconstruct() {
    let dir = std::env::temp_dir().join(format!("ae-pg-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("vae.safetensors");
    let m = model.to_str().unwrap();
    let t =
        cli(&["train", "--model", "vae", "--hidden", "64", "--latent", "2", "--epochs", "1", "--limit", "3000", "--batch", "64", "--seed", "1", "--out", m]);
    assert!(t.status.success(), "{}", stderr(&t));
    assert!(stderr(&t).contains("samples/s"), "a progress bar with samples/s");
    let trained = summary(&t);
    let e = cli(&["eval", "--model-file", m]);
    assert!(e.status.success(), "{}", stderr(&e));
    let evaluated = summary(&e);
    // eval reproduces the figure train printed, from the file alone.
    for key in ["test_loss", "recon", "kl"] {
        assert_eq!(value(&trained, key), value(&evaluated, key), "{key}");
    }
    assert!(value(&evaluated, "test_loss") < 300.0);
    for args in [vec!["sample", "--manifold", "--n", "8"], vec!["sample", "--n", "4"], vec!["reconstruct", "--n", "6"]] {
        let png = dir.join(format!("{}.png", args.join("_")));
        let mut a = args.clone();
        a.extend(["--model-file", m, "--out", png.to_str().unwrap()]);
        let o = cli(&a);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_corrupt_model_file_gives_an_error_and_a_failing_exit() {
    let path = std::env::temp_dir().join(format!("ae-pg-bad-{}.safetensors", std::process::id()));
    std::fs::write(&path, b"not a model").unwrap();
    let o = cli(&["eval", "--model-file", path.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("This file is not a model file"), "{}", stderr(&o));
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_classifier_judges_a_cvae_s_samples_well_above_chance() {
    let dir = std::env::temp_dir().join(format!("ae-pg-judge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (clf, gen) = (dir.join("clf.safetensors"), dir.join("cvae.safetensors"));
    let c = cli(&["train", "--model", "classifier", "--hidden", "128", "--epochs", "1", "--limit", "10000", "--batch", "64", "--out", clf.to_str().unwrap()]);
    assert!(c.status.success(), "{}", stderr(&c));
    assert!(value(&summary(&c), "accuracy") > 0.85, "the judge itself is accurate: {}", stdout(&c));
    let g = cli(&[
        "train",
        "--model",
        "cvae",
        "--hidden",
        "128",
        "--latent",
        "4",
        "--epochs",
        "2",
        "--limit",
        "10000",
        "--batch",
        "64",
        "--out",
        gen.to_str().unwrap(),
    ]);
    assert!(g.status.success(), "{}", stderr(&g));
    let j = cli(&["judge", "--model-file", gen.to_str().unwrap(), "--classifier", clf.to_str().unwrap(), "--n", "50"]);
    assert!(j.status.success(), "{}", stderr(&j));
    let acc = value(&summary(&j), "class_accuracy");
    eprintln!("CVAE samples classified as their conditioning class: {acc}");
    // Chance is 0.1: the label really steers what the CVAE draws.
    assert!(acc > 0.5, "{}", stdout(&j));
    let wrong = cli(&["judge", "--model-file", clf.to_str().unwrap(), "--classifier", clf.to_str().unwrap()]);
    assert!(!wrong.status.success() && stderr(&wrong).contains("needs a vae, cvae or aae"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_random_seed_is_printed_and_reproduces_its_run() {
    let dir = std::env::temp_dir().join(format!("ae-pg-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("m.safetensors");
    let run = |seed: &str| {
        cli(&["train", "--model", "ae", "--hidden", "32", "--latent", "2", "--epochs", "1", "--limit", "1000", "--seed", seed, "--out", out.to_str().unwrap()])
    };
    let first = run("random");
    assert!(first.status.success(), "{}", stderr(&first));
    let seed = stderr(&first).lines().find_map(|l| l.strip_prefix("seed ").map(str::to_string)).expect("the chosen seed is printed");
    let again = run(&seed);
    assert_eq!(value(&summary(&first), "test_loss"), value(&summary(&again), "test_loss"));
    let bad = cli(&["train", "--seed", "abc"]);
    assert!(!bad.status.success() && stderr(&bad).contains("--seed takes a whole number"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The adversarial autoencoder through the CLI: `--prior swiss-roll` (the
/// issue's spelling, an alias of `swiss_roll`), eval's fit to the prior, the
/// decoded grid over the roll's support, one class's samples, and the judge.
#[test]
fn an_aae_trains_evaluates_its_fit_to_the_prior_samples_and_is_judged() {
    let dir = std::env::temp_dir().join(format!("ae-pg-aae-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (gen, clf) = (dir.join("aae.safetensors"), dir.join("clf.safetensors"));
    let g = gen.to_str().unwrap();
    let common = ["--hidden", "64", "--latent", "2", "--epochs", "1", "--limit", "3000", "--batch", "50"];
    let t = cli(&[&["train", "--model", "aae", "--prior", "swiss-roll", "--aae-labels", "--out", g][..], &common].concat());
    assert!(t.status.success(), "{}", stderr(&t));
    let trained = summary(&t);
    for key in ["recon", "disc_loss", "gen_loss", "disc_accuracy"] {
        assert!(value(&trained, key).is_finite(), "{key}");
    }
    let acc = value(&trained, "disc_accuracy");
    assert!((0.0..=1.0).contains(&acc), "disc_accuracy {acc}");
    let e = cli(&["eval", "--model-file", g]);
    assert!(e.status.success(), "{}", stderr(&e));
    let evaluated = summary(&e);
    assert_eq!(value(&trained, "recon"), value(&evaluated, "recon"), "eval reproduces train's figure from the file");
    assert!(value(&evaluated, "mmd2").is_finite() && value(&evaluated, "code_cov_dev") >= 0.0);
    for args in [vec!["sample", "--manifold", "--n", "8"], vec!["sample", "--n", "4", "--label", "7"]] {
        let png = dir.join(format!("{}.png", args.join("_")));
        let o = cli(&[&args[..], &["--model-file", g, "--out", png.to_str().unwrap()]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
    }
    let c = cli(&["train", "--model", "classifier", "--hidden", "64", "--epochs", "1", "--limit", "3000", "--out", clf.to_str().unwrap()]);
    assert!(c.status.success(), "{}", stderr(&c));
    let j = cli(&["judge", "--model-file", g, "--classifier", clf.to_str().unwrap(), "--n", "20"]);
    assert!(j.status.success(), "{}", stderr(&j));
    let judged = summary(&j);
    // With labels on, the judge asks for each class's segment of the roll.
    assert_eq!(value(&judged, "samples"), 200.0);
    assert!((0.0..=1.0).contains(&value(&judged, "class_accuracy")));
    let odd = cli(&["train", "--model", "aae", "--prior", "mog10", "--latent", "3", "--limit", "10", "--out", g]);
    assert!(!odd.status.success() && stderr(&odd).contains("must be even"), "{}", stderr(&odd));
    std::fs::remove_dir_all(&dir).ok();
}
