//! Lecture 4: the conditional VAE. Its decoder is given the label, so its
//! code need not carry the class: the class mixes in its code space, and a
//! code's nearest codes share its class less often than a VAE's do. (The
//! lesson's "same hand" for every class is shown, not measured.)

use super::{Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;

macro_rules! net {
    () => {
        "hidden=256&latent=2&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
pub const K: usize = 8;
pub const QUERIES: usize = 1000;

pub static LESSON: Lesson = Lesson {
    name: "cvae",
    sides: &[
        Side { key: "vae", label: "VAE", link: concat!("model=vae&", net!()) },
        Side { key: "cvae", label: "Conditional VAE", link: concat!("model=cvae&", net!()) },
    ],
    batches: 300,
    needs_judge: false,
    neutral: "b.model=vae",
    rules: &[Rule {
        id: "class-leaves-code",
        says: "Given the label, the conditional VAE’s code carries less of the class: of a test code’s 8 nearest test codes, clearly fewer share its class than in the VAE.",
        measure: "precision of the 8 nearest codes over 1,000 test queries, VAE minus conditional VAE",
        above: Some(0.05),
        below: None,
        seeds: [0.13, 0.23],
        neutralised: true,
        earned: true,
    }],
    figures,
    values,
};

fn figures(p: &mut Probe) -> Result<Figures> {
    Ok(Figures::from([("precision".into(), super::code_precision(p, K, QUERIES)?)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    vec![super::get(&s[0], "precision") - super::get(&s[1], "precision")]
}
