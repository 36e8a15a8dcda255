//! A training run as a model file, so that training continues bit for bit
//! where it stopped: after an export and an import, or a reload of the page.
//! Besides the weights the file carries
//! - each optimiser's state as tensors `optim.<param>.<state>` (Adam's `m`
//!   and `v`, momentum's `velocity`; the adversarial AE's discriminator and
//!   generator optimisers under `optim.disc.` and `optim.gen.`), shaped like
//!   their parameter, so Python's safetensors reads them like any tensor;
//! - under the metadata key `resume`, JSON (`RunState`): the optimisers' step
//!   counts, the training generator's state, the epoch's shuffle (replayed
//!   from the generator's state before it) and the position in it, the epoch
//!   counter and the divergence rule's start.
//!
//! A file without them (older files, files of weights only, other tools')
//! still loads: what it lacks starts fresh, as a loaded model always did.
//! What is not saved: the divergence roll-back's copy of the weights, which
//! restarts from the loaded ones (it only matters if training then diverges).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::TrainConfig;
use crate::data::{idx, DatasetName};
use crate::error::{Error, Result};
use crate::io::{self, Extra, Loaded, STATE_PREFIX};
use crate::models::{Group, Model};
use crate::optim::Optimizer;
use crate::rng::Rng;
use crate::session::Session;
use crate::trainer::Trainer;

/// The metadata key of `RunState`.
const RESUME: &str = "resume";
const MISMATCH: &str = "This model file is damaged: the training state it carries (optimiser, progress) does not match its model.";

/// Where a run is, beyond its weights and optimiser moments. f32 values are
/// written as f64, which JSON carries exactly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// The training generator's 128-bit state, in hex.
    pub rng: String,
    /// Box–Muller's second normal, waiting for the next draw.
    pub spare: Option<f64>,
    /// The generator's state just before this epoch's shuffle (hex), and the
    /// number of images shuffled: replaying the shuffle rebuilds the order.
    pub epoch_rng: String,
    pub order_len: usize,
    /// Images of this epoch's order already used.
    pub cursor: usize,
    /// The trainer's epoch counter (not `Session::epochs`, which also counts
    /// an epoch that has just run out of batches).
    pub epoch: usize,
    /// The divergence rule's start: the first batch's loss.
    pub start: Option<f64>,
    /// `begin_step` calls of each optimiser, by the prefix of its tensors.
    pub optimizer_steps: BTreeMap<String, u64>,
}

/// The trainer's optimisers: the prefix of each one's tensors, and the
/// parameters it steps (`None`: all of the model's, in `visit` order).
const OPTIMISERS: [(&str, Option<Group>); 4] =
    [(STATE_PREFIX, None), ("optim.disc.", Some(Group::Discriminator)), ("optim.gen.", Some(Group::Encoder)), ("optim.dec.", Some(Group::Decoder))];

/// Names and shapes of the tensors an optimiser steps, in slot order. The
/// main optimiser of an adversarial model steps its autoencoder group.
fn slots(model: &mut dyn Model, group: Option<Group>) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    let f = &mut |name: &str, shape: &[usize], _: &mut [f32], _: &mut [f32]| out.push((name.to_string(), shape.to_vec()));
    match (model.adversarial(), group) {
        (Some(adv), group) => adv.visit_group(group.unwrap_or(Group::Autoencoder), f),
        (None, None) => model.visit(f),
        (None, Some(_)) => {} // a plain model has one optimiser
    }
    out
}

impl Trainer {
    fn optimiser(&self, i: usize) -> &dyn Optimizer {
        [&self.opt, &self.disc_opt, &self.gen_opt, &self.dec_opt][i].as_ref()
    }

    fn optimiser_mut(&mut self, i: usize) -> &mut dyn Optimizer {
        match i {
            0 => self.opt.as_mut(),
            1 => self.disc_opt.as_mut(),
            2 => self.gen_opt.as_mut(),
            _ => self.dec_opt.as_mut(),
        }
    }

    /// Where the run is, as `RunState`.
    pub fn run_state(&self) -> RunState {
        let (rng, spare) = self.rng.state();
        RunState {
            rng: format!("{rng:032x}"),
            spare: spare.map(f64::from),
            epoch_rng: format!("{:032x}", self.epoch_rng),
            order_len: self.order.len(),
            cursor: self.cursor,
            epoch: self.epoch,
            start: self.start.map(f64::from),
            optimizer_steps: (0..OPTIMISERS.len())
                .filter(|&i| self.optimiser(i).steps() > 0)
                .map(|i| (OPTIMISERS[i].0.to_string(), self.optimiser(i).steps()))
                .collect(),
        }
    }

    /// The run as a model file: the weights, the metadata of `metadata`, and
    /// everything continuing it bit for bit needs (see the module's comment).
    pub fn save(&mut self, dataset: Option<DatasetName>) -> Vec<u8> {
        let mut meta = self.metadata(dataset);
        meta.insert(RESUME.into(), serde_json::to_string(&self.run_state()).expect("the run state serialises"));
        let names: Vec<_> = OPTIMISERS.iter().map(|&(_, group)| slots(self.model.as_mut(), group)).collect();
        // Borrowed field by field: the state from the optimisers, the weights from the model.
        let opts: [&dyn Optimizer; 4] = [self.opt.as_ref(), self.disc_opt.as_ref(), self.gen_opt.as_ref(), self.dec_opt.as_ref()];
        let mut tensors = Vec::new();
        for ((&(prefix, _), slots), opt) in OPTIMISERS.iter().zip(&names).zip(opts) {
            for (slot, (param, shape)) in slots.iter().enumerate() {
                for (k, state) in opt.state_names().iter().enumerate() {
                    let values = opt.state(slot, k);
                    if !values.is_empty() {
                        tensors.push(Extra { name: format!("{prefix}{param}.{state}"), shape: shape.clone(), values });
                    }
                }
            }
        }
        io::save_with(self.model.as_mut(), &meta, &tensors)
    }

    /// Continues the run a file holds: its weights, training settings (the
    /// metadata's `train`, else the defaults), counters, and whatever of the
    /// optimisers' state and the run's position it carries. Returns the
    /// session the file records (its dataset included).
    pub fn restore(loaded: Loaded) -> Result<(Trainer, Session)> {
        let Loaded { model, metadata, state } = loaded;
        let train_cfg = match metadata.get("train") {
            Some(text) => serde_json::from_str::<TrainConfig>(text).map_err(|e| Error::Config(format!("training settings: {e}")))?,
            None => TrainConfig::default(),
        };
        let mut t = Trainer::from_model(model, &train_cfg)?;
        let session = Session::read(&metadata);
        t.resume(&session);
        if let Some(text) = metadata.get(RESUME) {
            let run: RunState = serde_json::from_str(text).map_err(|e| mismatch(format!("{RESUME}: {e}")))?;
            t.continue_from(&run)?;
        }
        t.restore_optimisers(state)?;
        Ok((t, session))
    }

    fn continue_from(&mut self, run: &RunState) -> Result<()> {
        let hex = |s: &str, what: &str| u128::from_str_radix(s, 16).map_err(|_| mismatch(format!("{what} “{s}” is not a generator state")));
        self.rng = Rng::from_state(hex(&run.rng, "rng")?, run.spare.map(|v| v as f32));
        self.epoch_rng = hex(&run.epoch_rng, "epoch_rng")?;
        // No data set holds more images than the IDX reader reads (so a
        // hostile file cannot ask for a permutation of billions).
        let most = idx::MAX_ELEMENTS / self.model.config().input.max(1);
        if run.cursor > run.order_len || run.order_len > most {
            return Err(mismatch(format!("position {} in an epoch of {} images", run.cursor, run.order_len)));
        }
        self.order.clear();
        self.order.extend(0..run.order_len);
        let mut shuffler = Rng::from_state(self.epoch_rng, None);
        shuffler.shuffle(&mut self.order);
        // With its own generator the next epoch's shuffle continues from where
        // this one's ended (nothing else draws from it). Before the first
        // step there was no shuffle: the generator stays at its seed.
        if self.order_rng.is_some() && run.order_len > 0 {
            self.order_rng = Some(shuffler);
        }
        self.cursor = run.cursor;
        self.epoch = run.epoch;
        self.apply_lr_decay();
        self.start = run.start.map(|v| v as f32);
        for (prefix, &steps) in &run.optimizer_steps {
            let i = OPTIMISERS.iter().position(|(p, _)| p == prefix).ok_or_else(|| mismatch(format!("no optimiser “{prefix}”")))?;
            self.optimiser_mut(i).set_steps(steps);
        }
        Ok(())
    }

    /// Gives each optimiser its tensors' state from the file; every tensor
    /// must name a parameter that optimiser steps, with that parameter's shape.
    fn restore_optimisers(&mut self, mut state: BTreeMap<String, (Vec<usize>, Vec<f32>)>) -> Result<()> {
        for (i, &(prefix, group)) in OPTIMISERS.iter().enumerate() {
            let slots = slots(self.model.as_mut(), group);
            let opt = self.optimiser_mut(i);
            for (slot, (param, shape)) in slots.iter().enumerate() {
                for (k, name) in opt.state_names().iter().enumerate() {
                    let key = format!("{prefix}{param}.{name}");
                    let Some((got, values)) = state.remove(&key) else { continue };
                    if &got != shape {
                        return Err(mismatch(format!("tensor {key} has shape {got:?}, but {param} has {shape:?}")));
                    }
                    opt.set_state(slot, k, values);
                }
            }
        }
        match state.keys().next() {
            Some(name) => Err(mismatch(format!("tensor {name} is the state of no parameter this model's {:?} optimiser steps", self.train_cfg.optimizer))),
            None => Ok(()),
        }
    }
}

fn mismatch(detail: String) -> Error {
    Error::ModelFile { people: MISMATCH, detail }
}
