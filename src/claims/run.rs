//! A lesson run natively, as the page runs it: each side built from its
//! link, its output bias set from the training set's mean image (the worker
//! does the same on `init`), trained for the lesson's batches, then measured.

use super::judge::train_judge;
use super::{side_configs, Figures, Lesson, Probe};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::models::Model;
use crate::trainer::Trainer;

/// Side `side` of `lesson`, trained, under `overrides` and an optional seed.
pub fn train_side(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>, train: &Dataset) -> Result<Trainer> {
    let c = side_configs(lesson, side, overrides, seed)?;
    let mut t = Trainer::new(&c.model, &c.train)?;
    t.init_output_bias(train);
    t.train_batches(train, lesson.batches)?;
    Ok(t)
}

/// Every side's figures after training (the judging classifier trained first, if the lesson needs it).
pub fn run(lesson: &Lesson, overrides: &str, seed: Option<u64>, train: &Dataset, test: &Dataset) -> Result<Vec<Figures>> {
    let mut judge = if lesson.needs_judge { Some(train_judge(train)?) } else { None };
    (0..lesson.sides.len()).map(|side| measure_side(lesson, side, overrides, seed, train, test, judge.as_mut())).collect()
}

/// One side, trained and measured.
pub fn measure_side(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>, train: &Dataset, test: &Dataset, judge: Option<&mut Trainer>) -> Result<Figures> {
    let mut t = train_side(lesson, side, overrides, seed, train)?;
    let judge = judge.map(|j| j.model.as_mut() as &mut dyn Model);
    (lesson.figures)(&mut Probe { model: t.model.as_mut(), train, test, side, judge }).map_err(|e| Error::Probe(format!("{} ({}): {e}", lesson.name, lesson.sides[side].key)))
}
