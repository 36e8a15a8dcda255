//! Lecture 4: the adversarial autoencoder (Makhzani et al. 2015). A
//! discriminator learns to tell codes from draws of a prior of our choosing
//! and the encoder learns to fool it, so the codes take the prior's shape.
//! Never judged by the game's own discriminator (the encoder is trained to
//! fool it): the test codes are compared with the prior by the unbiased MMD²
//! (h = 1) and, for the labelled priors, by the share of codes that fall in
//! their own label's part, each beside a plain autoencoder's codes from the
//! same run, measured against the same prior.

use ndarray::s;

use super::{encode_all, Figures, Lesson, Probe, Rule, Side};
use crate::config::{ModelKind, Prior};
use crate::error::Result;
use crate::measures::{k_nearest, Points};
use crate::prior::{mmd2, sample, COMPONENTS, MMD_BANDWIDTH};
use crate::rng::Rng;

// The lesson's 400 batches are measured with the 64-64 discriminator: the
// 400-400 default (issue 20 §1) fits better over 10 epochs, but at 400 batches
// it left seed 1's mixture at 0.164 and seed 2's roll at 0.206 above the plain
// AE's share, below the rules' 0.3.
macro_rules! net {
    () => {
        "hidden=128&latent=2&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
/// Test codes compared with as many prior draws (MMD² costs n²).
const CODES: usize = 1000;
/// Labelled prior draws per part, for the share of codes in their own part.
const PER_PART: usize = 200;
const PRIOR_SEED: u64 = 0x0aae_5eed_9a11_0e75;

pub static LESSON: Lesson = Lesson {
    name: "aae",
    sides: &[
        Side { key: "gaussian", label: "Prior N(0, I)", link: concat!("model=aae&disc_lr=0.001&disc_hidden=64,64&aae_labels=0&prior=gaussian&", net!()) },
        Side { key: "mog10", label: "Mixture of ten Gaussians, one per digit", link: concat!("model=aae&disc_lr=0.001&disc_hidden=64,64&aae_labels=1&prior=mog10&", net!()) },
        Side { key: "roll", label: "Swiss roll, one segment per digit", link: concat!("model=aae&disc_lr=0.001&disc_hidden=64,64&aae_labels=1&prior=swiss_roll&", net!()) },
        Side { key: "ae", label: "Plain autoencoder (no prior), for comparison", link: concat!("model=ae&", net!()) },
    ],
    batches: 400,
    needs_judge: false,
    neutral: "a.model=ae&b.model=ae&c.model=ae",
    rules: &[
        Rule {
            id: "gaussian-matched",
            says: "Under N(0, I), the adversarial autoencoder’s test codes are clearly closer to the prior than a plain autoencoder’s: their MMD² to it is below 0.7 of the plain one’s (a plain autoencoder’s codes follow no prior).",
            measure: "MMD² of 1,000 test codes to N(0, I), adversarial ÷ plain",
            above: None,
            below: Some(0.7),
            seeds: [0.08, 0.40],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "mixture-parts",
            says: "Told the labels, each digit takes its own component of the mixture: far more test codes lie nearest their own label’s part than a plain autoencoder’s do.",
            measure: "share of test codes nearest their own label’s part of the mixture, adversarial minus plain",
            above: Some(0.3),
            below: None,
            seeds: [0.41, 0.65],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "roll-parts",
            says: "Each digit also takes its own segment of the swiss roll, far more often than a plain autoencoder’s codes do.",
            measure: "share of test codes nearest their own label’s segment of the roll, adversarial minus plain",
            above: Some(0.3),
            below: None,
            seeds: [0.51, 0.60],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "mixture-matched",
            says: "The codes take the mixture’s shape as a whole: MMD² below 0.7 of a plain autoencoder’s. Not earned at this length: at some seeds the adversarial codes are farther from the mixture than the plain ones.",
            measure: "MMD² of 1,000 test codes to the mixture, adversarial ÷ plain",
            above: None,
            below: Some(0.7),
            seeds: [0.24, 1.41],
            neutralised: true,
            earned: false,
        },
        Rule {
            id: "roll-matched",
            says: "The codes take the swiss roll’s shape as a whole: MMD² below 0.7 of a plain autoencoder’s.",
            measure: "MMD² of 1,000 test codes to the swiss roll, adversarial ÷ plain",
            above: None,
            below: Some(0.7),
            seeds: [0.36, 0.68],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

const PRIORS: [(Prior, &str); 3] = [(Prior::Gaussian, "gaussian"), (Prior::Mog10, "mog10"), (Prior::SwissRoll, "roll")];

/// An adversarial side measures its codes against its own prior; a plain
/// autoencoder against all three (it has none of its own).
fn figures(p: &mut Probe) -> Result<Figures> {
    let cfg = p.model.config().clone();
    let codes = encode_all(p.model, p.test);
    let codes = codes.slice(s![..CODES.min(codes.nrows()), ..]);
    let labels = &p.test.labels[..codes.nrows()];
    let mut f = Figures::new();
    for (prior, name) in PRIORS {
        if cfg.kind == ModelKind::Aae && cfg.prior != prior {
            continue;
        }
        let mut rng = Rng::new(PRIOR_SEED);
        let draws = sample(prior, cfg.latent, codes.nrows(), None, &mut rng);
        f.insert(format!("mmd_{name}"), mmd2(&codes, &draws.view(), MMD_BANDWIDTH));
        if prior != Prior::Gaussian {
            f.insert(format!("parts_{name}"), own_part_share(prior, &codes, labels, &mut rng)?);
        }
    }
    Ok(f)
}

/// The share of `codes` whose nearest labelled prior draw (`PER_PART` per part) is of their own label's part.
fn own_part_share(prior: Prior, codes: &ndarray::ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Result<f64> {
    let parts: Vec<u8> = (0..COMPONENTS * PER_PART).map(|i| (i / PER_PART) as u8).collect();
    let draws = sample(prior, codes.ncols(), parts.len(), Some(&parts), rng);
    let nearest = k_nearest(codes, Points::Floats(draws.view()), 1, false)?;
    let hits = nearest.iter().zip(labels).filter(|(nb, &l)| parts[nb[0].index] == l).count();
    Ok(hits as f64 / labels.len().max(1) as f64)
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![
        g(0, "mmd_gaussian") / g(3, "mmd_gaussian"),
        g(1, "parts_mog10") - g(3, "parts_mog10"),
        g(2, "parts_roll") - g(3, "parts_roll"),
        g(1, "mmd_mog10") / g(3, "mmd_mog10"),
        g(2, "mmd_roll") / g(3, "mmd_roll"),
    ]
}
