//! Lecture 1: gradient descent as a first-order Taylor step. One step of
//! −η·g changes the loss by about −η‖g‖², the drop the gradient predicts,
//! as long as the loss is nearly linear over the step. Three copies of one
//! network train with plain SGD at three step sizes; after training, each
//! takes one more step of its own size on 100 test images (undone), and the
//! predicted drop is set beside the actual one.

use super::{first, Figures, Lesson, Probe, Rule, Side};
use crate::error::Result;
use crate::probes::taylor_step;
use crate::trainer::evaluate;

macro_rules! net {
    () => {
        "model=ae&hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=sgd&batch=100&seed=1"
    };
}
const IMAGES: usize = 100;
const STEP_SEED: u64 = 0x7a71_0a5e_57e9_0001;

pub static LESSON: Lesson = Lesson {
    name: "gradient-descent",
    sides: &[
        Side { key: "small", label: "Step size 0.0001 (small)", link: concat!("lr=0.0001&", net!()) },
        Side { key: "middle", label: "Step size 0.005", link: concat!("lr=0.005&", net!()) },
        Side { key: "large", label: "Step size 0.03 (large)", link: concat!("lr=0.03&", net!()) },
    ],
    batches: 200,
    needs_judge: false,
    neutral: "a.lr=0.005&c.lr=0.005",
    rules: &[
        Rule {
            id: "small-step-is-linear",
            says: "For a small step the loss is nearly linear: the actual drop is within 5% of the drop the gradient predicts (−η‖g‖²).",
            measure: "actual ÷ predicted change of the loss for one step of 0.0001",
            above: Some(0.95),
            below: Some(1.05),
            seeds: [0.997, 1.001],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "large-step-leaves-the-line",
            says: "A large step goes past the region where the prediction holds: its actual drop falls short of the predicted one by far more than the small step’s.",
            measure: "actual ÷ predicted for one step: step 0.0001 minus step 0.03",
            above: Some(0.3),
            below: None,
            seeds: [0.57, 1.02],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "too-small-is-slow",
            says: "But too small a step learns slowly: after the same batches its test loss is far above the middle step’s.",
            measure: "test loss (nats per image), step 0.0001 minus step 0.005",
            above: Some(20.0),
            below: None,
            seeds: [74.2, 80.4],
            neutralised: true,
            earned: true,
        },
    ],
    figures,
    values,
};

fn figures(p: &mut Probe) -> Result<Figures> {
    let (x, labels) = first(p.test, IMAGES);
    let t = taylor_step(p.model, &x.view(), &labels, p.lr, STEP_SEED)?;
    let test = evaluate(p.model, p.test).stats.loss as f64;
    Ok(Figures::from([("predicted".into(), t.predicted), ("actual".into(), t.actual), ("ratio".into(), t.actual / t.predicted), ("testLoss".into(), test)]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![g(0, "ratio"), g(0, "ratio") - g(2, "ratio"), g(0, "testLoss") - g(1, "testLoss")]
}
