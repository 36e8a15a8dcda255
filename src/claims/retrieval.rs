//! Lecture 5: retrieval. Comparing 784 pixels finds similar digits because
//! MNIST's are centred; an autoencoder's code of 16 numbers is 50 times
//! cheaper to store and compare. The claim: it keeps the precision, and it
//! is the training that makes it so (an untrained encoder's 16 numbers,
//! the neutral link, do not).

use super::{Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::measures::retrieval_precision;

macro_rules! net {
    () => {
        "hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
pub const K: usize = 8;
pub const QUERIES: usize = 1000;

pub static LESSON: Lesson = Lesson {
    name: "retrieval",
    sides: &[
        Side { key: "ae", label: "Autoencoder codes (16 numbers)", link: concat!("model=ae&", net!()) },
        Side { key: "vae", label: "VAE means (16 numbers)", link: concat!("model=vae&", net!()) },
    ],
    batches: 300,
    // The smallest step the settings allow: 300 batches leave the encoders as they started.
    needs_judge: false,
    neutral: "a.lr=0.000001&b.lr=0.000001",
    rules: &[
        Rule {
            id: "ae-keeps-precision",
            says: "An autoencoder’s 16-number codes find images of the query’s class about as often as its 784 pixels do: at most 0.03 less often.",
            measure: "precision of the 8 nearest test images over 1,000 queries, AE codes minus pixels",
            above: Some(-0.03),
            below: None,
            seeds: [-0.006, 0.006],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "vae-keeps-precision",
            says: "So do a VAE’s 16 code means: at most 0.03 less often than pixels.",
            measure: "the same, VAE means minus pixels",
            above: Some(-0.03),
            below: None,
            seeds: [-0.002, 0.005],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

/// Precision@8 of the side's codes; the first side also measures the pixels'.
fn figures(p: &mut Probe) -> Result<Figures> {
    let mut f = Figures::from([("precision".into(), super::code_precision(p, K, QUERIES)?)]);
    if p.side == 0 {
        let pixels = p.test.images(0, p.test.len());
        f.insert("pixels".into(), retrieval_precision(&pixels.view(), &p.test.labels, K, QUERIES)?);
    }
    Ok(f)
}

fn values(s: &[Figures]) -> Vec<f64> {
    let px = super::get(&s[0], "pixels");
    vec![super::get(&s[0], "precision") - px, super::get(&s[1], "precision") - px]
}
