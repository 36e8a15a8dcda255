//! Lecture 3: the contractive autoencoder (Rifai et al. 2011) adds
//! λ‖∂h/∂x‖²_F to the loss, so the code changes little when the input moves
//! in directions the data does not vary in. Both sides have the same
//! (linear) code layer; only λ differs. The Jacobian is measured relative to
//! the code's own spread over the same images, so shrinking every code
//! cannot fake a flatter encoder; and what the CAE gives up in
//! reconstruction is shown (not credited).

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::probes;
use crate::trainer::evaluate;

macro_rules! net {
    () => {
        "hidden=256&latent=16&activation=sigmoid&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
const IMAGES: usize = 100;

pub static LESSON: Lesson = Lesson {
    name: "contractive",
    sides: &[
        Side { key: "ae", label: "Autoencoder", link: concat!("model=ae&", net!()) },
        Side { key: "cae", label: "Contractive autoencoder (λ = 1)", link: concat!("model=cae&contractive=1&", net!()) },
    ],
    batches: 300,
    needs_judge: false,
    neutral: "b.contractive=0",
    rules: &[
        Rule {
            id: "flatter-encoder",
            says: "The contractive autoencoder’s code is clearly less sensitive to its input: its Jacobian ‖∂h/∂x‖_F, measured relative to the spread of its own codes, is below 0.87 of the plain autoencoder’s (with λ = 0 it is exactly 1).",
            measure: "mean ‖∂h/∂x‖_F ÷ the codes’ spread on 100 test images, CAE ÷ AE",
            above: None,
            below: Some(0.87),
            seeds: [0.73, 0.78],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "pays-in-reconstruction",
            says: "It pays for it in reconstruction: its test reconstruction loss is higher.",
            measure: "test reconstruction, CAE minus AE (nats per image)",
            above: Some(0.0),
            below: None,
            seeds: [15.7, 20.9],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

/// The relative Jacobian on the first 100 test images, its parts, and the test reconstruction.
fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, IMAGES);
    let j = probes::relative_jacobian(p.model, &x.view(), &labels)?;
    let e = evaluate(p.model, p.test);
    Ok(Figures::from([
        ("jacobian".into(), j.mean_norm as f64),
        ("spread".into(), j.code_spread as f64),
        ("relative".into(), j.relative as f64),
        ("recon".into(), e.stats.recon as f64),
    ]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![g(1, "relative") / g(0, "relative"), g(1, "recon") - g(0, "recon")]
}
