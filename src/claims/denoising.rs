//! Lecture 3: the denoising autoencoder (Vincent et al. 2008) learns to undo
//! a corruption, so it must model what digits look like rather than copy
//! pixels. Judged by squared error against the clean image, which neither
//! side is trained on (both minimise the Bernoulli likelihood).

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::config::NoiseKind;
use crate::error::Result;
use crate::probes;

macro_rules! net {
    () => {
        "hidden=256&latent=32&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1&noise=mask&noise_level=0.5"
    };
}
/// Shares of pixels wiped; the figures are named by their index.
pub const LEVELS: [f32; 4] = [0.0, 0.25, 0.5, 0.75];
const IMAGES: usize = 500;
/// The page's `noise_curve` probe with seed 11.
const NOISE_SEED: u64 = probes::NOISE_SALT ^ 11;

pub static LESSON: Lesson = Lesson {
    name: "denoising",
    sides: &[
        Side { key: "ae", label: "Autoencoder", link: concat!("model=ae&", net!()) },
        Side { key: "dae", label: "Denoising autoencoder (half the pixels wiped)", link: concat!("model=dae&", net!()) },
    ],
    batches: 300,
    needs_judge: false,
    neutral: "b.noise_level=0",
    rules: &[
        Rule {
            id: "dae-better-on-noisy",
            says: "With half the pixels wiped, the denoising autoencoder’s reconstruction is clearly closer to the clean image than the plain one’s.",
            measure: "relative drop in squared error, half the pixels wiped: (AE − DAE) ÷ AE",
            above: Some(0.2),
            below: None,
            seeds: [0.46, 0.50],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "gap-grows",
            says: "The gap grows with the noise: it is larger with three quarters of the pixels wiped than with half.",
            measure: "AE − DAE squared error at three quarters wiped, minus the same at half",
            above: Some(2.0),
            below: None,
            seeds: [6.0, 7.1],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "clean-no-better",
            says: "On clean images, the ones it was trained on, the plain autoencoder does better.",
            measure: "squared error on clean images, DAE − AE",
            above: Some(0.0),
            below: None,
            seeds: [15.7, 17.3],
            neutralised: false,
            earned: true,
        },
    ],
    figures,
    values,
};

/// Squared error against the clean image at each of `LEVELS` (e0…e3), first 500 test images.
fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, IMAGES);
    let errs = probes::noise_curve(p.model, &x.view(), &labels, &LEVELS, NoiseKind::Mask, NOISE_SEED)?;
    Ok(errs.iter().enumerate().map(|(i, &e)| (format!("e{i}"), e as f64)).collect())
}

fn values(s: &[Figures]) -> Vec<f64> {
    let e = |side: usize, i: usize| super::get(&s[side], &format!("e{i}"));
    let gap = |i| e(0, i) - e(1, i);
    vec![gap(2) / e(0, 2), gap(3) - gap(2), e(1, 0) - e(0, 0)]
}
