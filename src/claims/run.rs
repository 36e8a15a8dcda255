//! A lesson run natively, as the page runs it: each side built from its
//! link, its output bias set from its training set's mean image (the worker
//! does the same on `init`), trained for the lesson's batches, then measured
//! on its own dataset (a side's link may choose Fashion-MNIST).

use super::judge::train_judge;
use super::{side_configs, Figures, Lesson, Probe};
use crate::data::{Dataset, DatasetName};
use crate::error::{Error, Result};
use crate::models::Model;
use crate::trainer::Trainer;

/// The datasets a run may need, each as (training set, test set), by name.
#[derive(Default)]
pub struct Data<'a> {
    sets: Vec<(DatasetName, (&'a Dataset, &'a Dataset))>,
}

impl<'a> Data<'a> {
    pub fn with(mut self, name: DatasetName, train: &'a Dataset, test: &'a Dataset) -> Self {
        self.sets.push((name, (train, test)));
        self
    }

    pub fn get(&self, name: DatasetName) -> Result<(&'a Dataset, &'a Dataset)> {
        let found = self.sets.iter().find(|(n, _)| *n == name).map(|(_, sets)| *sets);
        found.ok_or_else(|| Error::Probe(format!("this lesson needs the {} dataset, which is not loaded", crate::settings::name(&name))))
    }
}

/// Side `side` of `lesson`, trained, under `overrides` and an optional seed.
pub fn train_side(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>, data: &Data) -> Result<(Trainer, DatasetName)> {
    let c = side_configs(lesson, side, overrides, seed)?;
    let (train, _) = data.get(c.dataset)?;
    let mut t = Trainer::new(&c.model, &c.train)?;
    t.init_output(train);
    t.train_batches(train, lesson.batches)?;
    Ok((t, c.dataset))
}

/// Every side's figures after training. If the lesson needs the judging classifier, `judge`
/// holds it: trained on MNIST here if it is empty, and kept for the next run (it is always
/// the same classifier, and reading samples does not change it).
pub fn run(lesson: &Lesson, overrides: &str, seed: Option<u64>, data: &Data, judge: &mut Option<Trainer>) -> Result<Vec<Figures>> {
    if lesson.needs_judge && judge.is_none() {
        *judge = Some(train_judge(data.get(DatasetName::Mnist)?.0)?);
    }
    let mut judge = judge.as_mut().filter(|_| lesson.needs_judge);
    (0..lesson.sides.len()).map(|side| measure_side(lesson, side, overrides, seed, data, judge.as_deref_mut())).collect()
}

/// One side, trained and measured.
pub fn measure_side(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>, data: &Data, judge: Option<&mut Trainer>) -> Result<Figures> {
    let (mut t, dataset) = train_side(lesson, side, overrides, seed, data)?;
    let (train, test) = data.get(dataset)?;
    let judge = judge.map(|j| j.model.as_mut() as &mut dyn Model);
    let lr = t.train_cfg.lr;
    (lesson.figures)(&mut Probe { model: t.model.as_mut(), train, test, side, lr, judge })
        .map_err(|e| Error::Probe(format!("{} ({}): {e}", lesson.name, lesson.sides[side].key)))
}
