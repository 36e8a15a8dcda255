//! Lecture 5: generation, and GAN+VAE (Larsen et al. 2016). A VAE trained on
//! pixels averages what it is unsure of, so its samples are blurred; VAE-GAN
//! adds a discriminator on images and measures reconstruction in its
//! features, so its decoder is pushed towards images the discriminator takes
//! for real. Both sides are the same VAE, from the same seed and batches;
//! only the discriminator differs. The claim is judged by what neither
//! model optimises: how grey their samples' pixels are, and what a
//! classifier that is no part of either (judge.rs) reads in them. The
//! neutral link makes the VAE-GAN side a plain VAE.

use super::judge::{class_shares, confident_share};
use super::{Figures, Lesson, Probe, Rule, Side};
use crate::error::{Error, Result};
use crate::measures::{grey_share, ink_share};
use crate::rng::Rng;

macro_rules! net {
    () => {
        "hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
/// Samples each side decodes from N(0, I), the same codes on both sides.
pub const SAMPLES: usize = 500;
const SAMPLE_SEED: u64 = 0x6e6e_7261_7465_0005;
/// A sample is legible when the classifier's top probability is above this.
const THRESHOLD: f32 = 0.9;

pub static LESSON: Lesson = Lesson {
    name: "generation",
    sides: &[
        Side { key: "vae", label: "VAE", link: concat!("model=vae&", net!()) },
        Side { key: "vaegan", label: "VAE-GAN", link: concat!("model=vaegan&disc_hidden=256&", net!()) },
    ],
    batches: 600,
    neutral: "b.model=vae",
    needs_judge: true,
    rules: &[
        Rule {
            id: "less-grey",
            says: "VAE-GAN’s samples are less blurred: fewer of their pixels are grey (between 0.15 and 0.85) than the VAE’s, at least 15% fewer.",
            measure: "share of grey pixels in 500 samples from N(0, I), VAE-GAN ÷ VAE",
            above: None,
            below: Some(0.85),
            seeds: [0.575, 0.751],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "as-sharp-as-digits",
            says: "As sharp as real digits, the goal set for VAE-GAN: at most 0.6 of the VAE’s grey share (real digits have 0.07). Not earned: one seed in five gets there.",
            measure: "the same ratio, VAE-GAN ÷ VAE",
            above: None,
            below: Some(0.6),
            seeds: [0.575, 0.751],
            neutralised: true,
            earned: false,
        },
        Rule {
            id: "as-legible",
            says: "And they are digits as often: the classifier reads VAE-GAN’s samples with confidence nearly as often as the VAE’s (at most 5 points fewer). Not earned at this length: look closely and many are speckled, and at three seeds in five the classifier reads 8 to 10 points fewer of them.",
            measure: "share of the 500 samples read with probability above 0.9, VAE-GAN minus VAE",
            above: Some(-0.05),
            below: None,
            seeds: [-0.103, 0.017],
            neutralised: false,
            earned: false,
        },
        Rule {
            id: "every-digit",
            says: "The sharpness is not bought by collapsing onto a few digits: the classifier finds every digit among VAE-GAN’s samples, none in more than a quarter of them.",
            measure: "the largest share of VAE-GAN’s 500 samples the classifier gives one digit",
            above: None,
            below: Some(0.25),
            seeds: [0.175, 0.221],
            neutralised: false,
            earned: true,
        },
    ],
    figures,
    values,
};

fn figures(p: &mut Probe) -> Result<Figures> {
    let judge = p.judge.as_deref_mut().ok_or_else(|| Error::Probe("this lesson needs the judging classifier".into()))?;
    let g = p.model.generative().ok_or_else(|| Error::Probe("this lesson needs a decoder".into()))?;
    let samples = g.sample(&[0; SAMPLES], &mut Rng::new(SAMPLE_SEED)).ok_or_else(|| Error::Probe("this lesson needs a model with a prior".into()))?;
    let shares = class_shares(judge, &samples.view());
    let (largest, fewest) = shares.iter().fold((0.0f64, 1.0f64), |(hi, lo), &s| (hi.max(s), lo.min(s)));
    Ok(Figures::from([
        ("grey".into(), grey_share(&samples.view())),
        ("ink".into(), ink_share(&samples.view())),
        ("confident".into(), confident_share(judge, &samples.view(), THRESHOLD)),
        ("largestClass".into(), largest),
        ("smallestClass".into(), fewest),
    ]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    let ratio = g(1, "grey") / g(0, "grey");
    // A digit never drawn is as much a collapse as one drawn too often.
    let largest = if g(1, "smallestClass") > 0.0 { g(1, "largestClass") } else { 1.0 };
    vec![ratio, ratio, g(1, "confident") - g(0, "confident"), largest]
}
