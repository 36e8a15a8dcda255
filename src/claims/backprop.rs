//! Lecture 1: backprop through deep sigmoid networks. The error reaching
//! layer l is multiplied by σ′ ≤ ¼ at every sigmoid layer above it; ReLU
//! passes it on with slope 1 where a unit is active. Both sides start from
//! the same initialisation scheme (Glorot's, the sigmoid era's own), so only
//! the activation differs.

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::probes;
use crate::rng::Rng;

macro_rules! net {
    () => {
        "model=ae&hidden=256,128,64&latent=16&decoder=bernoulli&init=xavier&optimizer=sgd&lr=0.01&batch=64&seed=1"
    };
}
/// The page's `grad_norms` probe with seed 0.
const GRAD_SEED: u64 = probes::GRAD_SALT;

pub static LESSON: Lesson = Lesson {
    name: "backprop",
    sides: &[
        Side { key: "sigmoid", label: "Sigmoid hidden units", link: concat!(net!(), "&activation=sigmoid") },
        Side { key: "relu", label: "ReLU hidden units", link: concat!(net!(), "&activation=relu") },
    ],
    batches: 100,
    needs_judge: false,
    neutral: "b.activation=sigmoid",
    rules: &[Rule {
        id: "first-layer-starves",
        says: "With sigmoid units the first weight layer gets a far smaller share of the gradient than with ReLU units: at least ten times smaller, relative to the last layer.",
        measure: "log₁₀ of (ReLU’s first/last gradient norm ÷ sigmoid’s)",
        above: Some(1.0),
        below: None,
        seeds: [3.5, 4.0],
        neutralised: true,
        earned: true,
    }],
    figures,
    values,
};

/// ‖∂objective/∂W‖ of the first and last weight layers on the first 64 test images.
fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, 64);
    let norms = probes::grad_norms(p.model, &x.view(), &labels, &mut Rng::new(GRAD_SEED))?;
    let (f, l) = (norms.first().map_or(f64::NAN, |g| g.norm as f64), norms.last().map_or(f64::NAN, |g| g.norm as f64));
    Ok(Figures::from([("first".into(), f), ("last".into(), l), ("ratio".into(), f / l), ("layers".into(), norms.len() as f64)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    vec![(super::get(&s[1], "ratio") / super::get(&s[0], "ratio")).log10()]
}
