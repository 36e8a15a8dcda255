//! `train`: a model from the settings' flags, trained for some epochs and written as .safetensors.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use ae_playground::config::{ModelConfig, ModelKind};
use ae_playground::settings;
use ae_playground::trainer::evaluate;
use ae_playground::{io, Rng, Split, StatsMean, Trainer};
use clap::Args;

use crate::args::*;
use crate::input::*;
use crate::CliResult;

/// `train`'s flags: every setting of the table (see `SettingArgs`), and the run's own.
#[derive(Args)]
pub(crate) struct TrainArgs {
    #[command(flatten)]
    settings: SettingArgs,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Train on only the first N training images
    #[arg(long)]
    limit: Option<usize>,
    /// Train on a set of your own images (the page's "Export your set"): alone, tested on the set itself
    #[arg(long)]
    data_file: Option<PathBuf>,
    /// With --data-file: mix the set into the dataset's training images, its classes numbered after the dataset's, tested on the dataset's test images
    #[arg(long, requires = "data_file")]
    with_dataset: bool,
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the trained model
    #[arg(long, default_value = "model.safetensors")]
    out: PathBuf,
}

pub(crate) fn train(a: TrainArgs) -> CliResult {
    let mut values = a.settings.values;
    // MNIST and Fashion-MNIST: the dataset flag, 28×28 pixels and 10 classes come with the data.
    values.push((&settings::DATASET, serde_json::json!(a.data.dataset)));
    // Your own set brings its classes: after the dataset's 10 when mixed in, else its own (at least 2).
    let own = a.data_file.as_deref().map(open_own_set).transpose()?;
    if let Some(set) = &own {
        let classes = if a.with_dataset { 10 + set.classes.len() } else { set.classes.len().max(2) };
        values.push((&settings::CLASSES, serde_json::json!(classes)));
    }
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
    let (mut train, test) = match &own {
        Some(set) if !a.with_dataset => {
            let classes = if set.classes.len() == 1 { "1 class".to_string() } else { format!("{} classes", set.classes.len()) };
            eprintln!("training on {} images of your own in {classes} ({}); tested on the same images", set.data.len(), set.classes.join(", "));
            (set.data.clone(), set.data.clone())
        }
        _ => (load(&a.data.data_dir, name, Split::Train)?, load(&a.data.data_dir, name, Split::Test)?),
    };
    if let Some(n) = a.limit {
        train = train.take(n);
    }
    if let (Some(set), true) = (&own, a.with_dataset) {
        train = set.mixed_into(&train, 10).map_err(|e| e.to_string())?;
        eprintln!("training on {} images: the dataset's and {} of your own, whose classes {} are labels 10 on", train.len(), set.data.len(), set.classes.join(", "));
    }
    train.check_model(&cfg).and_then(|_| test.check_model(&cfg)).map_err(|e| e.to_string())?;
    let mut t = Trainer::new(&cfg, &tcfg).map_err(|e| e.to_string())?;
    t.init_output(&train);
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
        // An adversarial game that comes apart shows here as it happens, not only at the end.
        if cfg.kind == ModelKind::Aae {
            eprintln!("epoch {epoch} fit to the prior: {}", crate::eval::prior_fit(t.model.as_mut(), &test));
        }
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
pub(crate) fn format_stats(cfg: &ModelConfig, s: &ae_playground::Stats) -> String {
    let mut line = format!("test_loss={:.2}", s.loss);
    match cfg.kind {
        ModelKind::Classifier => line += &format!(" accuracy={:.4}", s.accuracy),
        ModelKind::Vae | ModelKind::Cvae => line += &format!(" recon={:.2} kl={:.2}", s.recon, s.kl),
        ModelKind::Cae => line += &format!(" recon={:.2} penalty={:.3}", s.recon, s.penalty),
        ModelKind::Aae => {
            line += &format!(" recon={:.2} disc_loss={:.3} gen_loss={:.3} disc_accuracy={:.3}", s.recon, s.disc_loss, s.gen_loss, s.disc_accuracy)
        }
        // recon: in the discriminator's features, plus any pixel term.
        ModelKind::Vaegan => {
            line +=
                &format!(" recon={:.2} kl={:.2} disc_loss={:.3} gen_loss={:.3} disc_accuracy={:.3}", s.recon, s.kl, s.disc_loss, s.gen_loss, s.disc_accuracy)
        }
        _ => line += &format!(" recon={:.2}", s.recon),
    }
    line
}

pub(crate) fn progress_bar(epoch: usize, epochs: usize, frac: f64, loss: f64, rate: f64) {
    const WIDTH: usize = 30;
    let filled = ((frac * WIDTH as f64) as usize).min(WIDTH);
    let bar: String = "#".repeat(filled) + &"-".repeat(WIDTH - filled);
    eprint!("\repoch {epoch}/{epochs} [{bar}] {:>3.0}% loss {loss:.2} {rate:.0} samples/s ", frac * 100.0);
    let _ = std::io::stderr().flush();
}
