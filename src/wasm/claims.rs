//! The lessons' figures and verdicts (src/claims) for the page. Each side's
//! worker measures its own model (`lesson_figures`); one of them then judges
//! all the sides' figures (`lesson_verdict`), with the rules the native
//! claims test holds to. Both cross as JSON text: named figures, never
//! positions.

use wasm_bindgen::prelude::*;

use super::js::fail;
use super::{MnistData, Playground};
use crate::claims::judge::{judge_configs, JUDGE_BATCHES};
use crate::claims::{self, Figures, Probe};
use crate::models::Model;
use crate::trainer::Trainer;

#[wasm_bindgen]
impl Playground {
    /// This model's figures for side `side` of lesson `name`, as a JSON
    /// object of named numbers. Weights and the optimiser are untouched.
    pub fn lesson_figures(&mut self, name: &str, side: usize, data: &MnistData) -> Result<String, JsError> {
        self.figures_for(name, side, data, None)
    }

    /// `lesson_figures` for a lesson that judges samples with the classifier
    /// `judge` (one built by `judge_classifier` and trained `judge_batches`).
    pub fn lesson_figures_judged(&mut self, name: &str, side: usize, data: &MnistData, judge: &mut Playground) -> Result<String, JsError> {
        self.figures_for(name, side, data, Some(judge))
    }

    /// The classifier that judges the lessons' samples (src/claims/judge.rs), untrained.
    pub fn judge_classifier() -> Result<Playground, JsError> {
        let (m, t) = judge_configs();
        Ok(Playground::around(Trainer::new(&m, &t)?))
    }

    /// How many batches the judging classifier trains for.
    pub fn judge_batches() -> usize {
        JUDGE_BATCHES
    }

    fn figures_for(&mut self, name: &str, side: usize, data: &MnistData, judge: Option<&mut Playground>) -> Result<String, JsError> {
        let lesson = claims::lesson(name)?;
        if side >= lesson.sides.len() {
            return Err(fail(format!("the {name} lesson has {} sides, not a side {side}", lesson.sides.len())));
        }
        if lesson.needs_judge && judge.is_none() {
            return Err(fail(format!("the {name} lesson judges samples with a classifier: use lesson_figures_judged")));
        }
        self.check_input(&data.test)?;
        let lr = self.trainer.train_cfg.lr;
        let judge = judge.map(|j| j.trainer.model.as_mut() as &mut dyn Model);
        let figures = (lesson.figures)(&mut Probe { model: self.trainer.model.as_mut(), train: &data.train, test: &data.test, side, lr, judge })?;
        serde_json::to_string(&figures).map_err(|e| fail(format!("the figures did not serialise: {e}")))
    }
}

/// The verdict on lesson `name` from every side's figures (a JSON array of
/// objects, in side order): each rule's sentence, number, outcome and the
/// 5-seed range, as JSON.
#[wasm_bindgen]
pub fn lesson_verdict(name: &str, figures_json: &str) -> Result<String, JsError> {
    let lesson = claims::lesson(name)?;
    let sides: Vec<Figures> = serde_json::from_str(figures_json).map_err(|e| fail(format!("The lesson's figures could not be read ({e}).")))?;
    let verdict = lesson.judge(&sides)?;
    // serde_json writes a NaN as null, which the page shows as "not measured".
    serde_json::to_string(&verdict).map_err(|e| fail(format!("the verdict did not serialise: {e}")))
}
