//! Lecture 1, the gradient view of a loss. Same network, same saturated
//! initial weights, same batches; only the decoder's likelihood differs. At
//! the output, squared error's gradient is (μ − x)·σ′(s) and cross-entropy's
//! is μ − x: squared error keeps the σ′ factor, near 0 where the output
//! sigmoid is saturated, and cross-entropy cancels it. Judged by squared
//! error, the measure the Gaussian side itself minimises.

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::error::{Error, Result};
use crate::probes;

macro_rules! net {
    () => {
        "model=ae&hidden=&latent=16&activation=sigmoid&init=normal:1&optimizer=sgd&lr=0.01&batch=32&seed=5"
    };
}
const SHOWN: usize = 100;

pub static LESSON: Lesson = Lesson {
    name: "cross-entropy",
    sides: &[
        Side { key: "ce", label: "Bernoulli decoder (cross-entropy)", link: concat!(net!(), "&decoder=bernoulli") },
        Side { key: "mse", label: "Gaussian decoder (squared error)", link: concat!(net!(), "&decoder=gaussian") },
    ],
    batches: 200,
    needs_judge: false,
    neutral: "b.decoder=bernoulli",
    rules: &[Rule {
        id: "ce-learns-faster",
        says: "From the same saturated start, the Bernoulli decoder (cross-entropy) ends with a clearly smaller squared error than the Gaussian one (squared error), though squared error is what the Gaussian one minimises.",
        measure: "squared error per test image, cross-entropy’s ÷ squared error’s",
        above: None,
        below: Some(0.8),
        seeds: [0.22, 0.26],
        neutralised: true,
        earned: true,
    }],
    figures,
    values,
};

/// Mean over the first 100 test images of Σ_pixels (x − x̂)², and the mean σ′ at the output.
pub(super) fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, SHOWN);
    let slopes = probes::output_slopes(p.model, &x.view(), &labels, 1)?;
    let gen = p.model.generative().ok_or_else(|| Error::Probe("this lesson needs a decoder".into()))?;
    let mu = gen.reconstruct(&x.view(), &labels);
    let err = mu.iter().zip(x.iter()).map(|(&m, &x)| ((m - x) as f64).powi(2)).sum::<f64>() / x.nrows() as f64;
    Ok(Figures::from([("squaredError".into(), err), ("meanSlope".into(), slopes.mean as f64)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    vec![super::get(&s[0], "squaredError") / super::get(&s[1], "squaredError")]
}
