//! Lecture 4: the KL term's weight β (Higgins et al. 2017). The loss is
//! reconstruction + β·KL(q(z|x) ‖ N(0, I)). At β = 10, against the plain
//! VAE (β = 1), the codes carry less information (a smaller KL on test
//! images) and some dimensions collapse to the prior, paid for in
//! reconstruction. The claim is made for β = 10; at β = 4 and this length
//! no dimension collapses (see the README).

use super::{Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::trainer::evaluate;

macro_rules! net {
    () => {
        "model=vae&hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
/// A dimension whose mean KL on the test set is below this carries (almost) nothing.
pub const ACTIVE_NATS: f32 = 0.1;

pub static LESSON: Lesson = Lesson {
    name: "beta",
    sides: &[
        Side { key: "b1", label: "β = 1 (the plain VAE)", link: concat!(net!(), "&beta=1") },
        Side { key: "b10", label: "β = 10", link: concat!(net!(), "&beta=10") },
    ],
    batches: 300,
    needs_judge: false,
    neutral: "b.beta=1",
    rules: &[
        Rule {
            id: "less-kl",
            says: "At β = 10 the codes carry far less information about the input: the KL term on test images is less than half the plain VAE’s.",
            measure: "test KL, β = 10 ÷ β = 1",
            above: None,
            below: Some(0.5),
            seeds: [0.06, 0.072],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "collapsed",
            says: "Some code dimensions collapse to the prior (below 0.1 nats each): at least three more than at β = 1.",
            measure: "dimensions carrying 0.1 nats or more, β = 1 minus β = 10",
            above: Some(2.5),
            below: None,
            seeds: [10.0, 13.0],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "pays-in-reconstruction",
            says: "It is paid for in reconstruction: the test reconstruction loss rises by more than 10 nats.",
            measure: "test reconstruction, β = 10 minus β = 1 (nats)",
            above: Some(10.0),
            below: None,
            seeds: [78.3, 82.0],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

/// The test set's reconstruction and KL (nats per image) and the dimensions carrying at least `ACTIVE_NATS`.
fn figures(p: &mut Probe) -> Result<Figures> {
    let e = evaluate(p.model, p.test);
    let active = e.kl_per_dim.iter().filter(|&&k| k >= ACTIVE_NATS).count();
    Ok(Figures::from([("recon".into(), e.stats.recon as f64), ("kl".into(), e.stats.kl as f64), ("active".into(), active as f64)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![g(1, "kl") / g(0, "kl"), g(0, "active") - g(1, "active"), g(1, "recon") - g(0, "recon")]
}
