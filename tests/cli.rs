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

/// A fresh folder for a test's files, named for the test and this process.
fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("ae-pg-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A test's own folder, removed when the test ends, failed or not.
struct Scratch(std::path::PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The numeric `key=value` pairs of a line (others, such as `codes=pixels`, are left out).
fn pairs(line: &str) -> Vec<(String, f64)> {
    line.split_whitespace().filter_map(|kv| kv.split_once('=')).filter_map(|(k, v)| v.parse().ok().map(|v| (k.to_string(), v))).collect()
}

/// `key=value` pairs of the last stdout line.
fn summary(o: &Output) -> Vec<(String, f64)> {
    pairs(stdout(o).lines().last().unwrap_or_default())
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
    let dir = scratch("cli");
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
    let dir = scratch("judge");
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
}

#[test]
fn a_random_seed_is_printed_and_reproduces_its_run() {
    let dir = scratch("seed");
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
}

#[test]
fn every_setting_of_the_table_is_a_train_flag_with_its_default() {
    let help = stdout(&cli(&["train", "--help"]));
    for s in ae_playground::settings::ALL.iter().filter(|s| !s.page.fixed) {
        let flag = format!("--{} ", s.key.replace('_', "-"));
        assert!(help.contains(&flag), "{flag} is missing from train --help:\n{help}");
        if s.key != "dataset" {
            // (clap shows an empty default as "".)
            let default = match s.default_text() {
                t if t.is_empty() => "\"\"".to_string(),
                t => t,
            };
            assert!(help.contains(&format!("[default: {default}]")), "{}'s default in:\n{help}", s.key);
        }
    }
}

/// A model file in `dir` written by the library, as any other tool could write it.
fn model_file(dir: &Scratch, name: &str, cfg: &ae_playground::ModelConfig) -> std::path::PathBuf {
    let mut m = ae_playground::build(cfg, &mut ae_playground::Rng::new(1)).expect("a valid config");
    let path = dir.join(name);
    std::fs::write(&path, ae_playground::io::save(m.as_mut(), &Default::default())).unwrap();
    path
}

#[test]
fn a_classifier_with_fewer_classes_than_the_data_is_refused_with_an_error_not_a_panic() {
    use ae_playground::{ModelConfig, ModelKind};
    let cfg = ModelConfig { kind: ModelKind::Classifier, hidden: vec![16], classes: 2, ..ModelConfig::default() };
    let dir = scratch("cli-classes");
    let file = model_file(&dir, "classifier-2.safetensors", &cfg);
    let e = cli(&["eval", "--model-file", file.to_str().unwrap()]);
    assert_eq!(e.status.code(), Some(1), "exit code 1, not a panic's 101: {}", stderr(&e));
    assert!(stderr(&e).contains("2 classes") && stderr(&e).contains("label 9"), "{}", stderr(&e));
}

#[test]
fn valid_files_whose_input_is_not_784_are_refused_with_an_error_not_a_panic() {
    use ae_playground::{ModelConfig, ModelKind};
    let vae = |input| ModelConfig { kind: ModelKind::Vae, input, hidden: vec![8], latent: 2, ..ModelConfig::default() };
    let dir = scratch("cli-input");
    let small = model_file(&dir, "vae-100.safetensors", &vae(100));
    let small = small.to_str().unwrap();
    let out = dir.join("grid.png");
    let out = out.to_str().unwrap();
    for args in [vec!["eval", "--model-file", small], vec!["reconstruct", "--model-file", small, "--out", out]] {
        let o = cli(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: exit code 1, not a panic's 101: {}", stderr(&o));
        assert!(stderr(&o).contains("images of 100 pixels, but these are 28×28 = 784"), "{args:?}: {}", stderr(&o));
    }
    // 785 pixels are no square: sample cannot tile them.
    let odd = model_file(&dir, "vae-785.safetensors", &vae(785));
    let o = cli(&["sample", "--model-file", odd.to_str().unwrap(), "--out", out]);
    assert_eq!(o.status.code(), Some(1), "exit code 1, not a panic's 101: {}", stderr(&o));
    assert!(stderr(&o).contains("785 pixels"), "{}", stderr(&o));
}

#[test]
fn judge_caps_the_samples_it_makes_not_only_n() {
    use ae_playground::{ModelConfig, ModelKind};
    // 256 classes × --n 10000: 2.56 M images of 784 pixels, 8 GB of floats; each factor is within its own limit.
    let dir = scratch("cli-judge-cap");
    let cvae =
        model_file(&dir, "cvae-256.safetensors", &ModelConfig { kind: ModelKind::Cvae, hidden: vec![8], latent: 2, classes: 256, ..ModelConfig::default() });
    let clf =
        model_file(&dir, "classifier-256.safetensors", &ModelConfig { kind: ModelKind::Classifier, hidden: vec![8], classes: 256, ..ModelConfig::default() });
    let o = cli(&["judge", "--model-file", cvae.to_str().unwrap(), "--classifier", clf.to_str().unwrap(), "--n", "10000"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("2560000 images"), "the refusal says how many: {}", stderr(&o));
}

#[test]
fn a_model_file_larger_than_any_model_is_refused_before_it_is_read() {
    // Sparse: the file takes no disk space, and reading it whole would take 656 MiB of memory.
    let path = std::env::temp_dir().join(format!("ae-pg-cli-huge-{}.safetensors", std::process::id()));
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(ae_playground::io::MAX_FILE_BYTES + 1).unwrap();
    let o = cli(&["eval", "--model-file", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("larger than the largest model file (656 MiB"), "the refusal states the limit: {}", stderr(&o));
}

/// The adversarial autoencoder through the CLI: `--prior swiss-roll` (the
/// issue's spelling, an alias of `swiss_roll`), eval's fit to the prior, the
/// decoded grid over the roll's support, one class's samples, and the judge.
#[test]
fn an_aae_trains_evaluates_its_fit_to_the_prior_samples_and_is_judged() {
    let dir = scratch("aae");
    let (gen, clf) = (dir.join("aae.safetensors"), dir.join("clf.safetensors"));
    let g = gen.to_str().unwrap();
    let common = ["--hidden", "64", "--latent", "2", "--epochs", "1", "--limit", "3000", "--batch", "50"];
    let t = cli(&[&["train", "--model", "aae", "--prior", "swiss-roll", "--aae-labels", "--out", g][..], &common].concat());
    assert!(t.status.success(), "{}", stderr(&t));
    // Each epoch says how the codes fit the prior, as training goes.
    assert!(stderr(&t).contains("epoch 1 fit to the prior: code_mean_norm="), "{}", stderr(&t));
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
    // The labelled roll: the share of codes in their own segment, and how far they lie from it.
    assert!((0.0..=1.0).contains(&value(&evaluated, "component_accuracy")) && value(&evaluated, "roll_median_distance") >= 0.0);
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
}

#[test]
fn the_starter_is_the_pages_default_model_trained_the_same_on_every_run() {
    let dir = scratch("starter");
    let [a, b] = ["a", "b"].map(|n| dir.join(format!("{n}.safetensors")));
    let run = |out: &std::path::Path, threads: &str| cli(&["--threads", threads, "starter", "--batches", "50", "--out", out.to_str().unwrap()]);
    let (ra, rb) = (run(&a, "1"), run(&b, "2"));
    assert!(ra.status.success() && rb.status.success(), "{}{}", stderr(&ra), stderr(&rb));
    let (fa, fb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(fa, fb, "the same bits on every build, whatever the thread count");
    // A few hundred KB: the page downloads it on a first visit.
    assert!(fa.len() < 500 * 1024, "{} bytes", fa.len());
    // The page's defaults, as the settings table gives them.
    let loaded = ae_playground::io::load(&fa).unwrap();
    let (want, _, _) = ae_playground::settings::configs_from(&ae_playground::settings::page_defaults()).unwrap();
    assert_eq!(serde_json::to_value(loaded.model.config()).unwrap(), serde_json::to_value(&want).unwrap());
}

/// The `key=value` pairs of the stdout line that starts with `codes=<codes>`.
fn retrieval_line(o: &Output, codes: &str) -> Vec<(String, f64)> {
    let out = stdout(o);
    pairs(out.lines().find(|l| l.starts_with(&format!("codes={codes} "))).unwrap_or_else(|| panic!("no codes={codes} line in {out}")))
}

/// A VAE-GAN trains, evaluates with its game's figures, and samples from
/// its prior, the sample line saying how grey and how inked the images are.
#[test]
fn a_vaegan_trains_evaluates_and_samples() {
    let dir = scratch("vaegan");
    let model = dir.join("vaegan.safetensors");
    let m = model.to_str().unwrap();
    let t = cli(&[
        "train",
        "--model",
        "vaegan",
        "--hidden",
        "64",
        "--latent",
        "4",
        "--disc-hidden",
        "32",
        "--pixel-weight",
        "1",
        "--epochs",
        "1",
        "--limit",
        "2000",
        "--out",
        m,
    ]);
    assert!(t.status.success(), "{}", stderr(&t));
    let e = cli(&["eval", "--model-file", m]);
    assert!(e.status.success(), "{}", stderr(&e));
    let line = pairs(stdout(&e).lines().last().unwrap());
    for k in ["test_loss", "recon", "kl", "disc_accuracy"] {
        assert!(value(&line, k).is_finite(), "{k} in {line:?}");
    }
    let png = dir.join("samples.png");
    let s = cli(&["sample", "--model-file", m, "--n", "5", "--out", png.to_str().unwrap()]);
    assert!(s.status.success() && png.exists(), "{}", stderr(&s));
    let line = pairs(stdout(&s).lines().find(|l| l.starts_with("samples=")).expect("a samples= line"));
    assert_eq!(value(&line, "samples"), 25.0);
    assert!((0.0..=1.0).contains(&value(&line, "grey")) && (0.0..=1.0).contains(&value(&line, "ink")), "{line:?}");
}

/// The hash model's code noise is what makes its code binary: trained with
/// it, over 0.9 of the code's values sit within 0.1 of 0 or 1 (0.93–0.94 at
/// seeds 1–3); trained without, about half do (0.52–0.58), and `retrieve`
/// cuts its codes at ½ either way.
#[test]
fn a_hash_models_code_noise_drives_its_code_to_bits() {
    let dir = scratch("hash");
    let saturated = |noise: &str| {
        let model = dir.join(format!("hash{noise}.safetensors"));
        let m = model.to_str().unwrap();
        let t = cli(&[
            "train",
            "--model",
            "hash",
            "--hidden",
            "64",
            "--latent",
            "16",
            "--code-noise",
            noise,
            "--epochs",
            "3",
            "--limit",
            "10000",
            "--seed",
            "1",
            "--out",
            m,
        ]);
        assert!(t.status.success(), "{}", stderr(&t));
        let r = cli(&["retrieve", "--model-file", m, "--queries", "100", "--database", "10000", "--top", "1000", "--k", "50", "--bits", "16"]);
        assert!(r.status.success(), "{}", stderr(&r));
        let codes = retrieval_line(&r, "model");
        assert_eq!(value(&codes, "bits"), 16.0);
        value(&codes, "saturated")
    };
    let (noisy, smooth) = (saturated("16"), saturated("0"));
    assert!(noisy > 0.85 && smooth < 0.7, "saturated share {noisy} with noise, {smooth} without");
}

#[test]
fn retrieve_measures_pixels_itq_and_a_models_codes_as_bits() {
    let dir = scratch("retrieve");
    let model = dir.join("ae16.safetensors");
    let m = model.to_str().unwrap();
    let t = cli(&["train", "--model", "ae", "--hidden", "64", "--latent", "16", "--epochs", "1", "--limit", "3000", "--seed", "1", "--out", m]);
    assert!(t.status.success(), "{}", stderr(&t));
    let r = cli(&["retrieve", "--model-file", m, "--queries", "100", "--database", "10000", "--top", "1000", "--k", "50", "--bits", "16"]);
    assert!(r.status.success(), "{}", stderr(&r));
    let pixels = retrieval_line(&r, "pixels");
    let itq = retrieval_line(&r, "itq");
    let codes = retrieval_line(&r, "model");
    assert_eq!(value(&pixels, "queries"), 100.0);
    assert_eq!(value(&itq, "bits"), 16.0);
    assert_eq!(value(&codes, "bits"), 16.0);
    for line in [&pixels, &itq, &codes] {
        let (map, p) = (value(line, "map_at_1000"), value(line, "precision_at_50"));
        // Ten classes: a random ranking scores about 0.1 on both.
        assert!(map > 0.3 && map <= 1.0 && p > 0.3 && p <= 1.0, "{line:?}");
    }
    // A code too wide for 64 bits is refused with a sentence.
    let wide = dir.join("ae100.safetensors");
    let w = wide.to_str().unwrap();
    assert!(cli(&["train", "--model", "ae", "--hidden", "64", "--latent", "100", "--epochs", "1", "--limit", "200", "--out", w]).status.success());
    let r = cli(&["retrieve", "--model-file", w, "--queries", "10", "--top", "100"]);
    assert!(!r.status.success() && stderr(&r).contains("its codes have 100 dimensions, and a binary code here has at most 64 bits"), "{}", stderr(&r));
}
