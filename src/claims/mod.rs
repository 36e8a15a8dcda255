//! The lessons' claims, as the core measures and judges them. The page's
//! lessons (www/lesson/lessons/) train their sides in separate workers and draw the
//! views; the figures a verdict rests on and the verdict itself come from
//! here, so the page and `tests/claims.rs` (every lesson at 5 seeds, and with
//! the thing it credits taken away) judge by the same code.
//!
//! A lesson is a few sides (settings as a link carries them), a number of
//! batches, the figures measured on each side after training (`figures`),
//! and rules: each rule is one sentence of the claim, one number computed
//! from the sides' figures (`values`), and a threshold with a margin chosen
//! outside the 5-seed spread. `neutral` is the link that makes the one thing
//! the lesson varies the same on every side; under it every rule that credits
//! that thing must fail (a rule that cannot fail is not a test).
//!
//! The 5-seed ranges in each rule (`seeds`) are what `tests/claims.rs`
//! measured natively; the test fails if a seed leaves them, so the range a
//! learner is shown as "what you should see" stays true.

mod aae;
mod ae_vs_vae;
mod backprop;
mod beta;
mod contractive;
mod cross_entropy;
mod cvae;
mod denoising;
mod generation;
mod gradient_descent;
mod hashing;
mod initialisation;
pub mod judge;
mod likelihood;
mod link;
mod manifold;
mod retrieval;
mod run;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::models::Model;

pub use link::{side_configs, SideConfigs};
pub use run::{measure_side, run, train_side, Data};

/// Named figures of one side, as they cross to the page (JSON) and back.
pub type Figures = BTreeMap<String, f64>;

/// One model of a lesson.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Side {
    pub key: &'static str,
    pub label: &'static str,
    /// Its settings, as the link carries them (`model=ae&hidden=256…`).
    pub link: &'static str,
}

/// One sentence of a claim, judged by one number.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    pub id: &'static str,
    /// The sentence, as the card states it.
    pub says: &'static str,
    /// What the number is, in words.
    pub measure: &'static str,
    /// The sentence holds when the number is above this…
    pub above: Option<f64>,
    /// …and below this.
    pub below: Option<f64>,
    /// The range of the number over seeds 1–5 at the lesson's own settings, natively.
    pub seeds: [f64; 2],
    /// Whether the neutral link takes away what this sentence credits (then it must fail there).
    pub neutralised: bool,
    /// Whether it held at all five seeds. A sentence that failed at some seed is
    /// shown with its number but never counted as holding.
    pub earned: bool,
}

impl Rule {
    /// Whether the number passes the threshold (what the 5-seed test checks).
    pub fn passes(&self, v: f64) -> bool {
        v.is_finite() && self.above.is_none_or(|a| v > a) && self.below.is_none_or(|b| v < b)
    }

    /// Whether the sentence holds: earned at five seeds, and passed in this run.
    pub fn holds(&self, v: f64) -> bool {
        self.earned && self.passes(v)
    }
}

/// What one side measures: its model after training, the data, and which side it is.
pub struct Probe<'a> {
    pub model: &'a mut dyn Model,
    pub train: &'a Dataset,
    pub test: &'a Dataset,
    pub side: usize,
    /// The side's learning rate (its step size).
    pub lr: f32,
    /// The judging classifier (judge.rs), for lessons that need one.
    pub judge: Option<&'a mut dyn Model>,
}

pub struct Lesson {
    pub name: &'static str,
    pub sides: &'static [Side],
    pub batches: usize,
    /// Overrides (`b.contractive=0`) that make the varied setting the same on every side.
    pub neutral: &'static str,
    /// Whether its figures need the judging classifier (`Probe::judge`).
    pub needs_judge: bool,
    pub rules: &'static [Rule],
    pub figures: fn(&mut Probe) -> Result<Figures>,
    /// One number per rule, in order, from every side's figures.
    pub values: fn(&[Figures]) -> Vec<f64>,
}

pub const LESSONS: &[&Lesson] = &[
    &gradient_descent::LESSON,
    &backprop::LESSON,
    &cross_entropy::LESSON,
    &initialisation::LESSON,
    &likelihood::LESSON,
    &manifold::LESSON,
    &denoising::LESSON,
    &contractive::LESSON,
    &beta::LESSON,
    &ae_vs_vae::LESSON,
    &cvae::LESSON,
    &aae::LESSON,
    &retrieval::LESSON,
    &hashing::LESSON,
    &generation::LESSON,
];

pub fn lesson(name: &str) -> Result<&'static Lesson> {
    LESSONS.iter().copied().find(|l| l.name == name).ok_or_else(|| Error::Probe(format!("there is no measured lesson called '{name}'")))
}

/// One rule's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Judged {
    pub id: &'static str,
    pub says: &'static str,
    pub measure: &'static str,
    pub value: f64,
    pub holds: bool,
    pub earned: bool,
    pub above: Option<f64>,
    pub below: Option<f64>,
    pub seeds: [f64; 2],
}

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub rules: Vec<Judged>,
    /// Every rule holds.
    pub holds: bool,
}

impl Lesson {
    pub fn judge(&self, sides: &[Figures]) -> Result<Verdict> {
        if sides.len() != self.sides.len() {
            return Err(Error::Probe(format!("the {} lesson has {} sides, but figures came for {}", self.name, self.sides.len(), sides.len())));
        }
        let values = (self.values)(sides);
        let rules: Vec<Judged> = self
            .rules
            .iter()
            .zip(values)
            .map(|(r, value)| Judged {
                id: r.id,
                says: r.says,
                measure: r.measure,
                value,
                holds: r.holds(value),
                earned: r.earned,
                above: r.above,
                below: r.below,
                seeds: r.seeds,
            })
            .collect();
        let holds = rules.iter().all(|r| r.holds);
        Ok(Verdict { rules, holds })
    }

    /// What the page needs to run the lesson (www/lesson/lessons/claims.js).
    pub fn to_json(&self) -> Value {
        json!({ "sides": self.sides, "batches": self.batches, "neutral": self.neutral, "needs_judge": self.needs_judge, "rules": self.rules })
    }
}

/// Every measured lesson, by name: what `www/lesson/lessons/claims.js` exports.
pub fn table_json() -> Value {
    Value::Object(LESSONS.iter().map(|l| (l.name.to_string(), l.to_json())).collect())
}

/// A figure by name, NaN when missing (a NaN fails every rule).
pub(crate) fn get(f: &Figures, name: &str) -> f64 {
    f.get(name).copied().unwrap_or(f64::NAN)
}

/// The first `n` test images and their labels (fewer if the set is smaller).
pub(crate) fn first(test: &Dataset, n: usize) -> (ndarray::Array2<f32>, Vec<u8>) {
    let n = n.min(test.len());
    (test.images(0, n), test.labels[..n].to_vec())
}

/// Precision@k of retrieval by the side's codes (means for VAEs) over the whole test set.
pub(crate) fn code_precision(p: &mut Probe, k: usize, queries: usize) -> Result<f64> {
    let codes = encode_all(p.model, p.test);
    crate::measures::retrieval_precision(&codes.view(), &p.test.labels, k, queries)
}

/// The codes of every test image, in chunks so the activation buffers stay small.
pub(crate) fn encode_all(model: &mut dyn Model, test: &Dataset) -> ndarray::Array2<f32> {
    let chunks: Vec<_> = (0..test.len())
        .step_by(CHUNK)
        .map(|s| {
            let e = (s + CHUNK).min(test.len());
            model.encode(&test.images(s, e).view(), &test.labels[s..e])
        })
        .collect();
    let views: Vec<_> = chunks.iter().map(|c| c.view()).collect();
    ndarray::concatenate(ndarray::Axis(0), &views).expect("codes of one width")
}

const CHUNK: usize = 1000;
