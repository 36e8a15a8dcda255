//! Lecture 1: cross-entropy is less sensitive to the initial weights than
//! squared error. Two decoders (Bernoulli: cross-entropy; Gaussian: squared
//! error) times two initialisations (Glorot's, and a saturated N(0, 1) that
//! pins the output sigmoids near 0 or 1), the same seed and batches. How far
//! each loss's result moves when the initialisation changes is measured by
//! squared error on test images (the measure the Gaussian side minimises).

use super::{cross_entropy, Figures, Lesson, Rule, Side};

macro_rules! net {
    () => {
        "model=ae&hidden=&latent=16&activation=sigmoid&optimizer=sgd&lr=0.01&batch=32&seed=5"
    };
}

pub static LESSON: Lesson = Lesson {
    name: "initialisation",
    sides: &[
        Side { key: "ce-good", label: "Cross-entropy, Glorot initialisation", link: concat!("decoder=bernoulli&init=xavier&", net!()) },
        Side { key: "ce-saturated", label: "Cross-entropy, saturated N(0, 1) initialisation", link: concat!("decoder=bernoulli&init=normal:1&", net!()) },
        Side { key: "mse-good", label: "Squared error, Glorot initialisation", link: concat!("decoder=gaussian&init=xavier&", net!()) },
        Side { key: "mse-saturated", label: "Squared error, saturated N(0, 1) initialisation", link: concat!("decoder=gaussian&init=normal:1&", net!()) },
    ],
    batches: 200,
    needs_judge: false,
    neutral: "b.init=xavier&d.init=xavier",
    rules: &[Rule {
        id: "ce-less-sensitive",
        says: "Changing the initialisation from a good one to a saturated one moves squared error’s result far more than cross-entropy’s.",
        measure: "relative change of test squared error from the good to the saturated start: squared-error decoder’s minus cross-entropy decoder’s",
        above: Some(1.0),
        below: None,
        seeds: [3.1, 3.82],
        neutralised: true,
        earned: true,
    }],
    figures: cross_entropy::figures,
    values,
};

fn values(s: &[Figures]) -> Vec<f64> {
    let e = |i: usize| super::get(&s[i], "squaredError");
    let moved = |good: usize, sat: usize| (e(sat) - e(good)).abs() / e(good);
    vec![moved(2, 3) - moved(0, 1)]
}
