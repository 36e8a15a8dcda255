//! Lecture 1, the maximum-likelihood view: a decoder outputs the parameters
//! of a distribution p(x|z), and its loss is −log p(x|z); Bernoulli pixels
//! give cross-entropy, Gaussian ones squared error. Which to choose is a
//! claim about the data. On black-and-white digits (MNIST with every pixel
//! made 0 or 1), the Bernoulli describes the data exactly and a Gaussian does
//! not. Like is compared with like: every decoder is read as a chance that
//! each pixel is white (`probes::white_chances`; a Gaussian's chance that a
//! draw lands above ½), so each gives every test image a probability, and
//! those chances can be checked against how often pixels are white.

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::probes;

macro_rules! net {
    () => {
        "dataset=mnist_binary&model=ae&hidden=256&latent=16&activation=relu&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
/// Test images judged (the first ones of the test set).
pub const IMAGES: usize = 2000;
/// Bins of stated chance for the calibration error.
const BINS: usize = 10;

pub static LESSON: Lesson = Lesson {
    name: "likelihood",
    sides: &[
        Side { key: "bernoulli", label: "Bernoulli decoder (cross-entropy)", link: concat!(net!(), "&decoder=bernoulli") },
        Side { key: "gaussian", label: "Gaussian decoder, σ = 1 (squared error)", link: concat!(net!(), "&decoder=gaussian") },
        Side { key: "learned", label: "Gaussian decoder, learned σ", link: concat!(net!(), "&decoder=gaussian_learned_var") },
    ],
    batches: 300,
    needs_judge: false,
    neutral: "b.decoder=bernoulli&c.decoder=bernoulli",
    rules: &[
        Rule {
            id: "bernoulli-most-probable",
            says: "On black-and-white digits, the Bernoulli decoder gives test images a clearly higher probability than the Gaussian decoder with a learned σ.",
            measure: "−log p per test image, (learned-σ Gaussian − Bernoulli) ÷ learned-σ Gaussian",
            above: Some(0.1),
            below: None,
            seeds: [0.26, 0.29],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "bernoulli-calibrated",
            says: "The Bernoulli decoder’s chances are honest: of the pixels it calls white with chance p, about p are white; the learned-σ Gaussian’s are several times further off.",
            measure: "calibration error (mean gap between stated chance and share white), learned-σ Gaussian ÷ Bernoulli",
            above: Some(3.0),
            below: None,
            seeds: [7.0, 14.2],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "sigma-matters",
            says: "Plain squared error is a Gaussian with σ fixed at 1: it calls every pixel nearly a coin toss, and learning σ makes test images far more probable.",
            measure: "−log p per test image, (σ = 1 − learned σ) ÷ σ = 1",
            above: Some(0.3),
            below: None,
            seeds: [0.65, 0.66],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

/// On the first 2,000 binary test images: `nll`, −log p of the image in
/// nats (every pixel's chance of its own colour); `calibration`, the mean
/// over pixels of |stated chance − share white| within ten bins of stated
/// chance; and `ownNll`, −log p(x|z) in the decoder's own terms (a density
/// for Gaussians), which the card shows and no rule uses.
fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, IMAGES);
    let chances = probes::white_chances(p.model, &x.view(), &labels)?;
    let mut nll = 0.0;
    // Per bin: summed stated chance, white pixels.
    let mut bins = [(0.0f64, 0.0f64); BINS];
    for (&c, &v) in chances.iter().zip(x.iter()) {
        let c = (c as f64).clamp(1e-12, 1.0 - 1e-12);
        let white = v > 0.5;
        nll -= if white { c.ln() } else { (1.0 - c).ln() };
        let b = &mut bins[((c * BINS as f64) as usize).min(BINS - 1)];
        *b = (b.0 + c, b.1 + white as u8 as f64);
    }
    let calibration = bins.iter().map(|(said, seen)| (said - seen).abs()).sum::<f64>() / chances.len() as f64;
    let own = probes::nll_per_image(p.model, &x.view(), &labels)?;
    let own_nll = own.iter().map(|&v| v as f64).sum::<f64>() / own.len() as f64;
    Ok(Figures::from([("nll".into(), nll / x.nrows() as f64), ("calibration".into(), calibration), ("ownNll".into(), own_nll)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let nll = |i: usize| super::get(&s[i], "nll");
    let cal = |i: usize| super::get(&s[i], "calibration");
    vec![(nll(2) - nll(0)) / nll(2), cal(2) / cal(0), (nll(1) - nll(2)) / nll(1)]
}
