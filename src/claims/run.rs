//! A lesson run natively, as the page runs it: each side built from its
//! link, its output bias set from the training set's mean image (the worker
//! does the same on `init`), trained for the lesson's batches, then measured.

use super::{side_configs, Figures, Lesson, Probe};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::trainer::Trainer;

/// Side `side` of `lesson`, trained, under `overrides` and an optional seed.
pub fn train_side(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>, train: &Dataset) -> Result<Trainer> {
    let c = side_configs(lesson, side, overrides, seed)?;
    let mut t = Trainer::new(&c.model, &c.train)?;
    t.init_output_bias(train);
    t.train_batches(train, lesson.batches)?;
    Ok(t)
}

/// Every side's figures after training.
pub fn run(lesson: &Lesson, overrides: &str, seed: Option<u64>, train: &Dataset, test: &Dataset) -> Result<Vec<Figures>> {
    (0..lesson.sides.len())
        .map(|side| {
            let mut t = train_side(lesson, side, overrides, seed, train)?;
            (lesson.figures)(&mut Probe { model: t.model.as_mut(), train, test, side })
                .map_err(|e| Error::Probe(format!("{} ({}): {e}", lesson.name, lesson.sides[side].key)))
        })
        .collect()
}
