//! `judge`: a generator's samples read by a trained classifier.

use std::path::PathBuf;

use ae_playground::config::ModelKind;
use ae_playground::Rng;
use clap::Args;

use crate::input::*;
use crate::output::*;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct JudgeArgs {
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

/// Samples from the generator and lets the classifier say what they show:
/// for a CVAE, how often a sample conditioned on class c is classified as c;
/// for a VAE, how the samples spread over the classes.
pub(crate) fn judge(a: JudgeArgs) -> CliResult {
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
