//! Where a training run got to, as model files record it. The CLI and the
//! page write the same keys, so either can pick up the other's file.

use std::collections::BTreeMap;

use crate::data::DatasetName;

/// Counters of a training run and the data it ran on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// Optimiser steps taken.
    pub steps: u64,
    /// Completed passes over the training set.
    pub epochs: u64,
    /// Training images seen, counting repeats.
    pub samples_seen: u64,
    pub dataset: Option<DatasetName>,
}

impl Session {
    const STEPS: &'static str = "steps";
    const EPOCHS: &'static str = "epochs";
    const SAMPLES_SEEN: &'static str = "samples_seen";
    const DATASET: &'static str = "dataset";
    /// What the page wrote before the keys were shared.
    const OLD_EPOCHS: &'static str = "epoch";

    /// Adds the session's keys to a model file's metadata.
    pub fn write(&self, meta: &mut BTreeMap<String, String>) {
        meta.insert(Self::STEPS.into(), self.steps.to_string());
        meta.insert(Self::EPOCHS.into(), self.epochs.to_string());
        meta.insert(Self::SAMPLES_SEEN.into(), self.samples_seen.to_string());
        if let Some(d) = self.dataset {
            meta.insert(Self::DATASET.into(), d.name().into());
        }
    }

    /// Reads the session back; a missing or unreadable counter is 0 (files
    /// from other tools carry none), an unknown dataset name is `None`.
    pub fn read(meta: &BTreeMap<String, String>) -> Session {
        let counter = |k: &str| meta.get(k).and_then(|v| v.parse::<u64>().ok());
        Session {
            steps: counter(Self::STEPS).unwrap_or(0),
            epochs: counter(Self::EPOCHS).or_else(|| counter(Self::OLD_EPOCHS)).unwrap_or(0),
            samples_seen: counter(Self::SAMPLES_SEEN).unwrap_or(0),
            dataset: meta.get(Self::DATASET).and_then(|d| DatasetName::parse(d)),
        }
    }
}
