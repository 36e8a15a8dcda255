//! `lesson`: a lesson's experiment as the page runs it (src/claims), at some seeds, with its verdict.

use std::path::PathBuf;
use std::time::Instant;

use ae_playground::data::mnist::default_data_root;
use ae_playground::{Dataset, DatasetName, Split};
use clap::Args;

use crate::CliResult;

#[derive(Args)]
pub(crate) struct LessonArgs {
    /// The lesson's name (backprop, denoising, …)
    name: String,
    /// Seeds to run, each for every side (default: the lesson's own)
    #[arg(long, value_delimiter = ',')]
    seeds: Vec<u64>,
    /// Per-side overrides as a lesson link carries them: a.lr=0.01&b.beta=4, or `neutral` for the lesson's neutral link
    #[arg(long, default_value = "")]
    set: String,
    /// Batches each side trains (default: the lesson's own), as a link's `batches=` sets them
    #[arg(long)]
    batches: Option<usize>,
    /// Folder holding mnist/ and fashion-mnist/ (default: $AE_DATA_DIR or ./data); each side uses the dataset its link names
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Print what each side would train (its model, training and dataset settings, as JSON) instead of training
    #[arg(long)]
    configs: bool,
}

pub(crate) fn lesson(a: LessonArgs) -> CliResult {
    let own = ae_playground::claims::lesson(&a.name).map_err(|e| e.to_string())?;
    if a.batches == Some(0) {
        return Err("--batches must be at least 1".into());
    }
    let lesson = &ae_playground::claims::Lesson { batches: a.batches.unwrap_or(own.batches), ..*own };
    let set = if a.set == "neutral" { lesson.neutral } else { a.set.as_str() };
    let seeds: Vec<Option<u64>> = if a.seeds.is_empty() { vec![None] } else { a.seeds.iter().map(|&s| Some(s)).collect() };
    if a.configs {
        return print_configs(lesson, set, &seeds);
    }
    let root = a.data_dir.clone().unwrap_or_else(default_data_root);
    let load = |name, split| Dataset::load(&root, name, split).map_err(|e| e.to_string());
    // Each dataset only if its files are there: a lesson whose sides need a missing one says so.
    let sets: Vec<_> = [DatasetName::Mnist, DatasetName::FashionMnist, DatasetName::MnistBinary]
        .into_iter()
        .filter_map(|name| Some((name, load(name, Split::Train).ok()?, load(name, Split::Test).ok()?)))
        .collect();
    let data = sets.iter().fold(ae_playground::claims::Data::default(), |d, (name, train, test)| d.with(*name, train, test));
    let mut judge = None;
    for seed in seeds {
        let t0 = Instant::now();
        let figures = ae_playground::claims::run(lesson, set, seed, &data, &mut judge).map_err(|e| e.to_string())?;
        let verdict = lesson.judge(&figures).map_err(|e| e.to_string())?;
        let seed = seed_name(seed);
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

/// Each side's settings under `set`, one JSON line a side, as the page would hand them to its worker.
fn print_configs(lesson: &ae_playground::claims::Lesson, set: &str, seeds: &[Option<u64>]) -> CliResult {
    for &seed in seeds {
        println!("{} seed {}:", lesson.name, seed_name(seed));
        for (i, side) in lesson.sides.iter().enumerate() {
            let c = ae_playground::claims::side_configs(lesson, i, set, seed).map_err(|e| e.to_string())?;
            // (Each config serialised as itself, not through a serde_json::Value, which would print its f32s as f64s.)
            let json = format!(
                r#"{{"model":{},"train":{},"dataset":{}}}"#,
                serde_json::to_string(&c.model).map_err(|e| e.to_string())?,
                serde_json::to_string(&c.train).map_err(|e| e.to_string())?,
                serde_json::to_string(&c.dataset).map_err(|e| e.to_string())?
            );
            println!("  {}: {json}", side.key);
        }
    }
    Ok(())
}

/// How a run's seed is named in the output: its number, or the lesson's own.
fn seed_name(seed: Option<u64>) -> String {
    seed.map_or("the lesson's".to_string(), |s| s.to_string())
}
