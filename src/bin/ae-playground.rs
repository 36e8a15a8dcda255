//! The command-line face of the core: train, eval, sample, reconstruct.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ae_playground::config::{ModelConfig, ModelKind, Prior};
use ae_playground::data::mnist::default_data_root;
use ae_playground::latent::LatentView;
use ae_playground::settings;
use ae_playground::trainer::evaluate;
use ae_playground::{io, prior, Dataset, DatasetName, Error, Model, Rng, Split, StatsMean, Trainer};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use ndarray::Array2;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[derive(Parser)]
#[command(name = "ae-playground", version, about = "Train and inspect autoencoders (AE, DAE, CAE, VAE, CVAE, AAE) on MNIST")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Threads each matrix product is split over, 1 to 4 (default: half the cores, at most 4).
    /// The results are the same bits for every count; not a setting of the run, so not in the model file.
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..=ae_playground::threads::MAX_THREADS as u64))]
    threads: Option<u64>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing would only add noise
enum Command {
    /// Train a model and write it as .safetensors
    Train(TrainArgs),
    /// Test-set loss of a model file (for VAEs the negative ELBO and its two terms; with a prior, how the codes fit it)
    Eval(EvalArgs),
    /// Write a PNG grid of samples from the prior (the manifold for 2-D latents)
    Sample(SampleArgs),
    /// Write a PNG of test images (odd rows) above their reconstructions (even rows)
    Reconstruct(ReconstructArgs),
    /// Judge a VAE's, CVAE's or AAE's samples with a trained classifier
    Judge(JudgeArgs),
    /// Run a lesson's experiment as the page does, at one or more seeds, and print its verdict
    Lesson(LessonArgs),
}

#[derive(Args)]
struct LessonArgs {
    /// The lesson's name (backprop, denoising, …)
    name: String,
    /// Seeds to run, each for every side (default: the lesson's own)
    #[arg(long, value_delimiter = ',')]
    seeds: Vec<u64>,
    /// Per-side overrides as a lesson link carries them: a.lr=0.01&b.beta=4, or `neutral` for the lesson's neutral link
    #[arg(long, default_value = "")]
    set: String,
    /// Folder holding mnist/ and fashion-mnist/ (default: $AE_DATA_DIR or ./data); each side uses the dataset its link names
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(Args)]
struct DataArgs {
    #[arg(long, help = settings::DATASET.help, value_parser = choice::<DatasetName>(), default_value_t = DatasetName::default())]
    dataset: DatasetName,
    /// Folder holding mnist/ and fashion-mnist/ (default: $AE_DATA_DIR or ./data)
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// `train`'s flags: every setting of the table (see `SettingArgs`), and the run's own.
#[derive(Args)]
struct TrainArgs {
    #[command(flatten)]
    settings: SettingArgs,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Train on only the first N training images
    #[arg(long)]
    limit: Option<usize>,
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the trained model
    #[arg(long, default_value = "model.safetensors")]
    out: PathBuf,
}

/// One flag per setting of `settings::ALL`, made from the table alone: name
/// (`noise_level` → `--noise-level`), help, allowed values and default. Adding a
/// setting to the table adds its flag. The dataset is `DataArgs`' (every
/// command reads data); settings the page holds fixed (input size, classes)
/// follow the data, not a flag. `--seed random` asks the OS for a seed.
struct SettingArgs {
    values: Vec<(&'static settings::Setting, serde_json::Value)>,
}

fn is_flag(s: &settings::Setting) -> bool {
    !s.page.fixed && s.key != settings::DATASET.key
}

impl clap::FromArgMatches for SettingArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = settings::ALL.iter().filter(|s| is_flag(s)).filter_map(|s| m.get_one::<serde_json::Value>(s.key).map(|v| (s, v.clone()))).collect();
        Ok(SettingArgs { values })
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for SettingArgs {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for s in settings::ALL.iter().filter(|s| is_flag(s)) {
            // clap (without its `string` feature) keeps &'static str: the few strings made once per run are leaked.
            let leak = |t: String| -> &'static str { Box::leak(t.into_boxed_str()) };
            let mut arg = clap::Arg::new(s.key).long(leak(s.key.replace('_', "-"))).help(s.help).default_value(leak(s.default_text()));
            arg = match s.kind {
                settings::Kind::Choice { choices, aliases } => {
                    let names = choices().into_iter().map(PossibleValue::new);
                    let hidden = aliases().into_iter().map(|a| PossibleValue::new(a).hide(true));
                    arg.value_parser(PossibleValuesParser::new(names.chain(hidden)).map(serde_json::Value::String))
                }
                // A switch: `--aae-labels` alone turns it on.
                settings::Kind::Bool => arg.num_args(0..=1).default_missing_value("true").value_parser(move |t: &str| s.value_from_text(t)),
                _ if s.key == settings::SEED.key => arg.value_parser(|t: &str| match t {
                    "random" => Ok(serde_json::Value::String("random".into())),
                    _ => settings::SEED.value_from_text(t).map_err(|_| format!("--seed takes a whole number or \"random\", not '{t}'")),
                }),
                _ => arg.value_parser(move |t: &str| s.value_from_text(t)),
            };
            cmd = cmd.arg(arg);
        }
        cmd
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[derive(Args)]
struct EvalArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Dataset to evaluate on (default: the one the model was trained on)
    #[arg(long, value_parser = choice::<DatasetName>())]
    dataset: Option<DatasetName>,
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(Args)]
struct SampleArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Grid side: n×n images
    #[arg(long, default_value_t = 10)]
    n: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// For a 2-D latent, draw the manifold (decoded Gaussian quantiles, or for an AAE's mixture or roll an even grid over its support) instead of random samples
    #[arg(long)]
    manifold: bool,
    /// CVAE, or AAE with --aae-labels: the class to generate (default: one column per class)
    #[arg(long)]
    label: Option<u8>,
    #[arg(long, default_value = "samples.png")]
    out: PathBuf,
}

#[derive(Args)]
struct ReconstructArgs {
    #[arg(long)]
    model_file: PathBuf,
    /// Images per row
    #[arg(long, default_value_t = 10)]
    n: usize,
    /// Dataset to take the images from (default: the one the model was trained on)
    #[arg(long, value_parser = choice::<DatasetName>())]
    dataset: Option<DatasetName>,
    #[arg(long)]
    data_dir: Option<PathBuf>,
    #[arg(long, default_value = "reconstructions.png")]
    out: PathBuf,
}

#[derive(Args)]
struct JudgeArgs {
    /// The generator: a vae, cvae or aae model file
    #[arg(long)]
    model_file: PathBuf,
    /// A classifier model file (train one with --model classifier)
    #[arg(long)]
    classifier: PathBuf,
    /// Samples per class (CVAE, AAE with labels) or in all (VAE, AAE)
    #[arg(long, default_value_t = 100)]
    n: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cores = ae_playground::threads::cores();
    ae_playground::threads::set_threads(cli.threads.map_or_else(|| ae_playground::threads::default_threads(cores), |n| n as usize));
    let result = match cli.command {
        Command::Train(a) => train(a),
        Command::Eval(a) => eval(a),
        Command::Sample(a) => sample(a),
        Command::Reconstruct(a) => reconstruct(a),
        Command::Judge(a) => judge(a),
        Command::Lesson(a) => lesson(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult = Result<(), String>;

/// The most numbers a command makes at once (256 MiB of f32). `--n` and the
/// classes are each bounded, but their product with the image size is what
/// takes memory: 256 classes × 10,000 samples × 784 pixels is 8 GB.
const MAX_OUTPUT_FLOATS: usize = 1 << 26;

/// Refuses to make `images` images of `pixels` each when they exceed `MAX_OUTPUT_FLOATS` numbers.
fn check_output_size(images: usize, pixels: usize, what: &str) -> CliResult {
    match images.checked_mul(pixels) {
        Some(n) if n <= MAX_OUTPUT_FLOATS => Ok(()),
        _ => Err(format!(
            "{what} would make {images} images of {pixels} pixels, more than {MAX_OUTPUT_FLOATS} numbers ({} MiB) at once: use a smaller --n",
            (MAX_OUTPUT_FLOATS * 4) >> 20
        )),
    }
}

/// The side of a square image of `pixels`, or why the images cannot be drawn as tiles.
fn square_side(pixels: usize) -> Result<usize, String> {
    let side = (pixels as f64).sqrt().round() as usize;
    if side * side == pixels {
        Ok(side)
    } else {
        Err(format!("this model's images are {pixels} pixels, not a square number, so they cannot be drawn as square tiles"))
    }
}

/// A clap parser for a unit enum that offers (and lists in `--help`) its
/// serde names, and takes serde's aliases too without listing them.
fn choice<T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static>() -> impl TypedValueParser<Value = T> {
    let names = settings::choices::<T>().into_iter().map(PossibleValue::new);
    let aliases = settings::aliases::<T>().into_iter().map(|a| PossibleValue::new(a).hide(true));
    PossibleValuesParser::new(names.chain(aliases)).map(|s| settings::parse::<T>(&s).expect("clap offers only the enum's own names"))
}

/// The dataset named on the command line, else the one the model file says it was trained on, else MNIST.
fn dataset_for(asked: Option<DatasetName>, loaded: &io::Loaded) -> Result<DatasetName, String> {
    match (asked, loaded.metadata.get("dataset")) {
        (Some(name), _) => Ok(name),
        (None, Some(meta)) => DatasetName::parse(meta).ok_or_else(|| format!("the model file names an unknown dataset '{meta}'; pass --dataset")),
        (None, None) => Ok(DatasetName::default()),
    }
}

fn load(root: &Option<PathBuf>, name: DatasetName, split: Split) -> Result<Dataset, String> {
    let root = root.clone().unwrap_or_else(default_data_root);
    Dataset::load(&root, name, split).map_err(|e| format!("{e} (run `bash scripts/setup.sh` to fetch the datasets)"))
}

fn train(a: TrainArgs) -> CliResult {
    let mut values = a.settings.values;
    // MNIST and Fashion-MNIST: the dataset flag, 28×28 pixels and 10 classes come with the data.
    values.push((&settings::DATASET, serde_json::json!(a.data.dataset)));
    for (s, v) in values.iter_mut() {
        if s.key == settings::SEED.key && v == "random" {
            let seed = Rng::fresh_seed() as u64;
            eprintln!("seed {seed}");
            *v = serde_json::json!(seed);
        }
    }
    // Checked here too, so a bad flag is refused before the data is read.
    let (cfg, tcfg, _) = settings::configs_from(&values).map_err(|e| e.to_string())?;
    if a.epochs == 0 {
        return Err("--epochs must be at least 1".into());
    }
    let name = a.data.dataset;
    let mut train = load(&a.data.data_dir, name, Split::Train)?;
    if let Some(n) = a.limit {
        train = train.take(n);
    }
    let test = load(&a.data.data_dir, name, Split::Test)?;
    train.check_model(&cfg).and_then(|_| test.check_model(&cfg)).map_err(|e| e.to_string())?;
    let mut t = Trainer::new(&cfg, &tcfg).map_err(|e| e.to_string())?;
    t.init_output_bias(&train);
    let steps_per_epoch = train.len() / tcfg.batch.min(train.len()).max(1);
    let started = Instant::now();
    let mut last_eval = None;
    for epoch in 1..=a.epochs {
        let epoch_start = Instant::now();
        let mut mean = StatsMean::default();
        let mut last_draw = Instant::now();
        for s in 0..steps_per_epoch {
            mean.add(&t.step(&train).map_err(|e| e.to_string())?, 1.0);
            if last_draw.elapsed().as_millis() >= 200 || s + 1 == steps_per_epoch {
                last_draw = Instant::now();
                let rate = mean.weight() * tcfg.batch as f64 / epoch_start.elapsed().as_secs_f64();
                progress_bar(epoch, a.epochs, (s + 1) as f64 / steps_per_epoch as f64, mean.mean().loss as f64, rate);
            }
        }
        let ev = evaluate(t.model.as_mut(), &test);
        eprintln!();
        eprintln!("epoch {epoch}: train_loss={:.2} {}", mean.mean().loss, format_stats(&cfg, &ev.stats));
        last_eval = Some(ev);
    }
    let meta = t.metadata(Some(name));
    let bytes = io::save(t.model.as_mut(), &meta);
    std::fs::write(&a.out, bytes).map_err(|e| format!("cannot write {}: {e}", a.out.display()))?;
    eprintln!("wrote {}", a.out.display());
    let ev = last_eval.expect("at least one epoch");
    println!("{} seconds={:.1}", format_stats(&cfg, &ev.stats), started.elapsed().as_secs_f64());
    Ok(())
}

/// The machine-readable summary line: `test_loss=… recon=… kl=…`.
fn format_stats(cfg: &ModelConfig, s: &ae_playground::Stats) -> String {
    let mut line = format!("test_loss={:.2}", s.loss);
    match cfg.kind {
        ModelKind::Classifier => line += &format!(" accuracy={:.4}", s.accuracy),
        ModelKind::Vae | ModelKind::Cvae => line += &format!(" recon={:.2} kl={:.2}", s.recon, s.kl),
        ModelKind::Cae => line += &format!(" recon={:.2} penalty={:.3}", s.recon, s.penalty),
        ModelKind::Aae => {
            line += &format!(" recon={:.2} disc_loss={:.3} gen_loss={:.3} disc_accuracy={:.3}", s.recon, s.disc_loss, s.gen_loss, s.disc_accuracy)
        }
        _ => line += &format!(" recon={:.2}", s.recon),
    }
    line
}

fn progress_bar(epoch: usize, epochs: usize, frac: f64, loss: f64, rate: f64) {
    const WIDTH: usize = 30;
    let filled = ((frac * WIDTH as f64) as usize).min(WIDTH);
    let bar: String = "#".repeat(filled) + &"-".repeat(WIDTH - filled);
    eprint!("\repoch {epoch}/{epochs} [{bar}] {:>3.0}% loss {loss:.2} {rate:.0} samples/s ", frac * 100.0);
    let _ = std::io::stderr().flush();
}

/// Reads and loads a model file, refusing one larger than `io::MAX_FILE_BYTES` before reading it.
fn open_model(path: &Path) -> Result<io::Loaded, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    let too_big = |len: u64| {
        format!(
            "{} is larger than the largest model file ({} MiB, {} bytes): it is {len} bytes, so it is not a model this playground saves",
            path.display(),
            io::MAX_FILE_BYTES >> 20,
            io::MAX_FILE_BYTES
        )
    };
    if len > io::MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    // Read at most one byte past the cap, in case the file grew since its length was read.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(io::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > io::MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    io::load(&bytes).map_err(|e: Error| format!("{}: {e}", path.display()))
}

fn eval(a: EvalArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let name = dataset_for(a.dataset, &loaded)?;
    let test = load(&a.data_dir, name, Split::Test)?;
    test.check_model(loaded.model.config()).map_err(|e| format!("{}: {e}", a.model_file.display()))?;
    let started = Instant::now();
    let ev = evaluate(loaded.model.as_mut(), &test);
    let cfg = loaded.model.config().clone();
    if !ev.kl_per_dim.is_empty() {
        let dims: Vec<String> = ev.kl_per_dim.iter().map(|k| format!("{k:.2}")).collect();
        eprintln!("kl per latent dimension: {}", dims.join(" "));
    }
    let mut line = format_stats(&cfg, &ev.stats);
    if cfg.kind != ModelKind::Classifier {
        line += &format!(" {}", prior_fit(loaded.model.as_mut(), &test));
    }
    eprintln!("evaluated {} test images in {:.1}s", test.len(), started.elapsed().as_secs_f64());
    println!("{line}");
    Ok(())
}

/// Test codes this many at most enter the MMD (it costs n² kernel evaluations).
const MMD_CODES: usize = 2000;

/// How the test codes fit the model's prior (N(0, I) for VAEs, whose codes
/// are the means of q(z|x), and for models without a prior, to compare): mean and covariance against 0 and I, MMD² against
/// as many prior samples, and for the mixture the nearest-component accuracy.
fn prior_fit(model: &mut dyn Model, test: &Dataset) -> String {
    let cfg = model.config().clone();
    let codes = model.encode(&test.images(0, test.len()).view(), &test.labels);
    let prior = if cfg.kind == ModelKind::Aae { cfg.prior } else { Prior::Gaussian };
    let n = MMD_CODES.min(test.len());
    let fit = prior::fit(prior, &codes.view(), &test.labels, n, &mut Rng::new(1));
    let mut s = format!("code_mean_norm={:.3} code_cov_dev={:.3} mmd2={:.4}", fit.mean_norm, fit.cov_dev, fit.mmd2);
    if let Some(acc) = fit.component_accuracy {
        s += &format!(" component_accuracy={acc:.4}");
    }
    s
}

fn sample(a: SampleArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let model: &mut dyn Model = loaded.model.as_mut();
    let cfg = model.config().clone();
    if !cfg.kind.has_prior() {
        return Err(format!("sampling needs a model with a prior (vae, cvae or aae); this file holds a {}", cfg.kind.name()));
    }
    if a.n == 0 || a.n > 100 {
        return Err("--n must be between 1 and 100".into());
    }
    let (n, k) = (a.n, cfg.latent);
    square_side(cfg.input)?;
    check_output_size(n * n, cfg.input, "sampling")?;
    let mut z = Array2::zeros((n * n, k));
    if a.manifold {
        if k != 2 {
            return Err(format!("--manifold needs a 2-D latent; this model's latent has {k} dimensions"));
        }
        // Kingma & Welling (2014) fig. 4: the prior's quantiles, the page's grid;
        // for the AAE's mixture and roll, an even grid over their support.
        z = match (cfg.kind, prior::support_half_width(cfg.prior)) {
            (ModelKind::Aae, Some(half)) => prior::support_grid(n, half),
            _ => LatentView::prior(k).and_then(|v| v.manifold(n, true)).map_err(|e| e.to_string())?.1,
        };
    }
    if a.label.is_some_and(|l| l as usize >= cfg.classes) {
        return Err(format!("--label must be below {}", cfg.classes));
    }
    // Without --label a CVAE grid shows one class per column.
    let labels: Vec<u8> = (0..n * n).map(|i| a.label.unwrap_or((i % n % cfg.classes) as u8)).collect();
    let Some(generator) = model.generative() else { return Err("this model has no decoder".into()) };
    let images = if a.manifold { Some(generator.decode(&z.view(), &labels)) } else { generator.sample(&labels, &mut Rng::new(a.seed)) };
    let images = images.ok_or("only a vae, cvae or aae has a prior to sample from")?;
    write_grid(&a.out, &images, n, n)
}

fn reconstruct(a: ReconstructArgs) -> CliResult {
    let mut loaded = open_model(&a.model_file)?;
    let name = dataset_for(a.dataset, &loaded)?;
    let test = load(&a.data_dir, name, Split::Test)?;
    test.check_model(loaded.model.config()).map_err(|e| format!("{}: {e}", a.model_file.display()))?;
    if a.n == 0 || a.n > 100 {
        return Err("--n must be between 1 and 100".into());
    }
    let n = a.n.min(test.len());
    square_side(test.dim())?;
    let Some(model) = loaded.model.generative() else { return Err("a classifier does not reconstruct".into()) };
    let x = test.images(0, n);
    let r = model.reconstruct(&x.view(), &test.labels[..n]);
    let mut both = Array2::zeros((2 * n, x.ncols()));
    both.slice_mut(ndarray::s![..n, ..]).assign(&x);
    both.slice_mut(ndarray::s![n.., ..]).assign(&r);
    write_grid(&a.out, &both, 2, n)
}

/// Samples from the generator and lets the classifier say what they show:
/// for a CVAE, how often a sample conditioned on class c is classified as c;
/// for a VAE, how the samples spread over the classes.
fn judge(a: JudgeArgs) -> CliResult {
    let mut generator = open_model(&a.model_file)?;
    let mut classifier = open_model(&a.classifier)?;
    let gcfg = generator.model.config().clone();
    let ccfg = classifier.model.config().clone();
    if !gcfg.kind.has_prior() {
        return Err(format!("judging needs a vae, cvae or aae to sample from; {} holds a {}", a.model_file.display(), gcfg.kind.name()));
    }
    if ccfg.kind != ModelKind::Classifier {
        return Err(format!("{} holds a {}, not a classifier", a.classifier.display(), ccfg.kind.name()));
    }
    if ccfg.input != gcfg.input {
        return Err(format!("the classifier takes {} pixels but the generator makes {}", ccfg.input, gcfg.input));
    }
    if a.n == 0 || a.n > 10_000 {
        return Err("--n must be between 1 and 10000".into());
    }
    let classes = gcfg.classes.min(ccfg.classes);
    // A CVAE's label conditions the decoder; a labelled AAE's picks the part of the prior.
    let by_class = gcfg.kind.is_conditional() || (gcfg.kind == ModelKind::Aae && gcfg.aae_labels);
    let samples = if by_class { classes * a.n } else { a.n };
    check_output_size(samples, gcfg.input, &format!("judging {} per class × {classes} classes", a.n))?;
    let asked: Vec<u8> = if by_class { (0..classes * a.n).map(|i| (i / a.n) as u8).collect() } else { vec![0; a.n] };
    let images =
        generator.model.generative().and_then(|g| g.sample(&asked, &mut Rng::new(a.seed))).ok_or("only a vae, cvae or aae has a prior to sample from")?;
    let probs = classifier.model.encode(&images.view(), &asked);
    let said: Vec<usize> = probs.rows().into_iter().map(|r| ae_playground::models::argmax(r.as_slice().expect("contiguous"))).collect();
    let mut counts = vec![0usize; ccfg.classes];
    said.iter().for_each(|&c| counts[c] += 1);
    let spread: Vec<String> = counts.iter().map(|c| format!("{:.3}", *c as f64 / said.len() as f64)).collect();
    eprintln!("classes of {} samples as the classifier sees them: {}", said.len(), spread.join(" "));
    if by_class {
        let hits = said.iter().zip(&asked).filter(|(s, a)| **s == **a as usize).count();
        println!("class_accuracy={:.4} samples={}", hits as f64 / said.len() as f64, said.len());
    } else {
        println!("samples={} class_spread={}", said.len(), spread.join(","));
    }
    Ok(())
}

/// Writes `images (rows·cols, 784)` as one grayscale PNG of 28×28 tiles.
fn write_grid(path: &Path, images: &Array2<f32>, rows: usize, cols: usize) -> CliResult {
    let side = square_side(images.ncols())?;
    let (w, h) = (cols * side, rows * side);
    let mut pixels = vec![0u8; w * h];
    for (i, img) in images.rows().into_iter().enumerate().take(rows * cols) {
        let (r, c) = (i / cols, i % cols);
        for (p, &v) in img.iter().enumerate() {
            let (y, x) = (p / side, p % side);
            pixels[(r * side + y) * w + c * side + x] = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        }
    }
    let file = std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&pixels).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn lesson(a: LessonArgs) -> CliResult {
    let lesson = ae_playground::claims::lesson(&a.name).map_err(|e| e.to_string())?;
    let root = a.data_dir.clone().unwrap_or_else(default_data_root);
    let load = |name, split| Dataset::load(&root, name, split).map_err(|e| e.to_string());
    let mnist = (load(DatasetName::Mnist, Split::Train)?, load(DatasetName::Mnist, Split::Test)?);
    // Fashion-MNIST only for lessons whose sides ask for it.
    let fashion = match (load(DatasetName::FashionMnist, Split::Train), load(DatasetName::FashionMnist, Split::Test)) {
        (Ok(train), Ok(test)) => Some((train, test)),
        _ => None,
    };
    let data = ae_playground::claims::Data { mnist: (&mnist.0, &mnist.1), fashion: fashion.as_ref().map(|(a, b)| (a, b)) };
    let set = if a.set == "neutral" { lesson.neutral } else { a.set.as_str() };
    let seeds: Vec<Option<u64>> = if a.seeds.is_empty() { vec![None] } else { a.seeds.iter().map(|&s| Some(s)).collect() };
    for seed in seeds {
        let t0 = Instant::now();
        let figures = ae_playground::claims::run(lesson, set, seed, &data).map_err(|e| e.to_string())?;
        let verdict = lesson.judge(&figures).map_err(|e| e.to_string())?;
        let seed = seed.map_or("the lesson's".to_string(), |s| s.to_string());
        println!("{} seed {seed} ({:.1} s): {}", lesson.name, t0.elapsed().as_secs_f64(), if verdict.holds { "holds" } else { "does not hold" });
        for (side, f) in lesson.sides.iter().zip(&figures) {
            println!("  {}: {}", side.key, serde_json::to_string(f).map_err(|e| e.to_string())?);
        }
        for r in &verdict.rules {
            println!("  {} = {:.4}: {}", r.id, r.value, if r.holds { "holds" } else { "does not hold" });
        }
    }
    Ok(())
}
