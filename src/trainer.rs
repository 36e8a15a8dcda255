//! The training loop shared by the CLI and the browser: a model, its
//! optimiser, the one seeded generator, and where we are in the epoch.

use std::collections::BTreeMap;

use ndarray::Array2;

use crate::config::{BatchOrder, ModelConfig, TrainConfig};
use crate::data::{Dataset, DatasetName};
use crate::error::{Error, Result};
use crate::model_size::param_count;
use crate::models::{build, Group, Model, Phase, Stats};
use crate::optim::Optimizer;
use crate::rng::Rng;
use crate::session::Session;

/// The least variance a learned-variance decoder starts a pixel at (σ = 0.01), for pixels that never change.
const LEAST_VARIANCE: f32 = 1e-4;
use crate::stats::StatsMean;
use crate::tensor::{all_finite, ensure_shape};

/// How often the last good weights are copied aside for a divergence roll-back.
const SNAPSHOT_EVERY: u64 = 50;
/// Divergence without NaN: a batch loss above `start + GROWTH × max(|start|,
/// FLOOR)` nats, where `start` is the loss of this trainer's first batch,
/// computed before any update (so a learning rate that explodes at once
/// cannot spoil it). Adam at a learning rate of 10 sends the loss to millions
/// while every number stays finite; nothing a working run does comes near
/// ten times its own start.
const GROWTH: f32 = 10.0;
const FLOOR: f32 = 100.0;
/// Test figures use their own fixed generator: reproducible, and evaluating
/// never perturbs the training run's random stream.
const EVAL_SEED: u64 = 0x5eed_e7a1;
/// With `BatchOrder::Seed` the shuffles' generator is seeded with `seed ^ ORDER_STREAM`
/// (seed_from_u64 scrambles it, so neighbouring seeds stay unrelated).
const ORDER_STREAM: u64 = 0x0b_ad5e_ed0f_ba7c;

pub struct Trainer {
    pub model: Box<dyn Model>,
    pub train_cfg: TrainConfig,
    pub(crate) opt: Box<dyn Optimizer>,
    /// An adversarial model's two other optimisers, both at `disc_lr`, the
    /// learning rate of the paper's "regularisation phase": the discriminator's,
    /// and the generator phase's, which steps the encoder with moments of its
    /// own, since Adam's running averages of the reconstruction's and the
    /// game's gradients would mix. Unused by other models.
    pub(crate) disc_opt: Box<dyn Optimizer>,
    pub(crate) gen_opt: Box<dyn Optimizer>,
    /// VAE-GAN's decoder's, at `lr` (its encoder's is `gen_opt`, at `lr` too).
    pub(crate) dec_opt: Box<dyn Optimizer>,
    pub(crate) rng: Rng,
    /// The shuffles' own generator, with `BatchOrder::Seed`; otherwise they come from `rng`.
    pub(crate) order_rng: Option<Rng>,
    /// The shuffling generator's state just before `order` was shuffled: a saved run
    /// replays the shuffle from it instead of storing the order (`checkpoint.rs`).
    pub(crate) epoch_rng: u128,
    pub(crate) order: Vec<usize>,
    pub(crate) cursor: usize,
    /// Completed passes over the training set.
    pub epoch: usize,
    pub step: u64,
    pub samples_seen: u64,
    xbuf: Array2<f32>, // (B, D), the gathered minibatch
    lbuf: Vec<u8>,     // (B)
    snapshot: Vec<Vec<f32>>,
    /// The first batch's loss: the start the divergence rule compares with.
    pub(crate) start: Option<f32>,
}

/// Test-set figures: batch-weighted means over the whole set.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub stats: Stats,
    pub kl_per_dim: Vec<f32>,
}

impl Trainer {
    /// Builds the model from `seed` (initialisation draws come first from it).
    pub fn new(model_cfg: &ModelConfig, train_cfg: &TrainConfig) -> Result<Trainer> {
        train_cfg.validate()?;
        let mut rng = Rng::new(train_cfg.seed);
        let model = build(model_cfg, &mut rng)?;
        Ok(Trainer::with_model(model, train_cfg, rng))
    }

    /// Continues training a loaded model.
    pub fn from_model(model: Box<dyn Model>, train_cfg: &TrainConfig) -> Result<Trainer> {
        train_cfg.validate()?;
        let rng = Rng::new(train_cfg.seed);
        Ok(Trainer::with_model(model, train_cfg, rng))
    }

    fn with_model(model: Box<dyn Model>, train_cfg: &TrainConfig, rng: Rng) -> Trainer {
        let vaegan = model.config().kind == crate::config::ModelKind::Vaegan;
        let mut t = Trainer {
            model,
            train_cfg: train_cfg.clone(),
            opt: train_cfg.optimizer.build(train_cfg.lr),
            disc_opt: train_cfg.optimizer.build(train_cfg.disc_lr),
            gen_opt: train_cfg.optimizer.build(if vaegan { train_cfg.lr } else { train_cfg.disc_lr }),
            dec_opt: train_cfg.optimizer.build(train_cfg.lr),
            rng,
            order_rng: match train_cfg.batch_order {
                BatchOrder::AfterInit => None,
                // A stream apart from the initialisation's, so no model's
                // draws move it: the seed alone fixes the batches.
                BatchOrder::Seed => Some(Rng::new(train_cfg.seed ^ ORDER_STREAM)),
            },
            epoch_rng: 0,
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            step: 0,
            samples_seen: 0,
            xbuf: Array2::zeros((0, 0)),
            lbuf: Vec::new(),
            snapshot: Vec::new(),
            start: None,
        };
        t.take_snapshot();
        t
    }

    /// Sets the decoder's output bias to the logit of each pixel's mean
    /// intensity, so a fresh model starts out predicting the average image
    /// instead of spending its first steps learning it (Karpathy, "A recipe
    /// for training neural networks": "init well"). A Gaussian decoder with a
    /// learned variance starts each pixel's log-variance at that pixel's
    /// variance over the data, the variance of that same average-image
    /// guess: a step of Adam moves a log-variance by about the learning rate,
    /// so from 0 (σ = 1) it would take thousands of batches to get there.
    pub fn init_output(&mut self, data: &Dataset) {
        let cfg = self.model.config();
        if cfg.kind == crate::config::ModelKind::Classifier || data.is_empty() || data.dim() != cfg.input {
            return;
        }
        let name = format!("decoder.{}.bias", cfg.hidden.len());
        let mean = data.mean_image();
        let mut learns_var = false; // (the variance is a pass over every image: only this decoder needs it)
        self.model.visit(&mut |n, _, _, _| learns_var |= n == "decoder.logvar");
        let var = if learns_var { data.pixel_variance(&mean) } else { Vec::new() };
        self.model.visit(&mut |n, _, b, _| {
            if n == name {
                for (b, &m) in b.iter_mut().zip(mean.iter()) {
                    let p = m.clamp(1e-3, 1.0 - 1e-3);
                    *b = (p / (1.0 - p)).ln();
                }
            }
            if n == "decoder.logvar" {
                for (l, &v) in b.iter_mut().zip(var.iter()) {
                    *l = v.max(LEAST_VARIANCE).ln().clamp(crate::loss::LOGVAR_MIN, crate::loss::LOGVAR_MAX);
                }
            }
        });
        self.take_snapshot();
    }

    /// Fraction of the current epoch done, in [0, 1).
    pub fn epoch_progress(&self) -> f32 {
        if self.order.is_empty() {
            0.0
        } else {
            self.cursor as f32 / self.order.len() as f32
        }
    }

    /// One minibatch of SGD. Batches are drawn from a fresh shuffle each
    /// epoch; a last partial batch is dropped so every step has the same shape.
    /// On NaN or infinity the weights roll back to the last snapshot and the
    /// error says so.
    pub fn step(&mut self, data: &Dataset) -> Result<Stats> {
        let b = self.train_cfg.batch.min(data.len());
        if b == 0 {
            return Err(Error::Data("the training set is empty".into()));
        }
        if data.dim() != self.model.config().input {
            return Err(Error::Data(format!("images have {} pixels but the model expects {}", data.dim(), self.model.config().input)));
        }
        if self.order.len() != data.len() || self.cursor + b > self.order.len() {
            if self.order.len() == data.len() {
                self.epoch += 1;
                self.apply_lr_decay();
            }
            // Refilled in place: a new epoch allocates nothing either.
            self.order.clear();
            self.order.extend(0..data.len());
            let shuffler = self.order_rng.as_mut().unwrap_or(&mut self.rng);
            self.epoch_rng = shuffler.state().0;
            shuffler.shuffle(&mut self.order);
            self.cursor = 0;
        }
        ensure_shape(&mut self.xbuf, b, data.dim());
        let batch = &self.order[self.cursor..self.cursor + b];
        data.gather(batch, &mut self.xbuf);
        self.lbuf.clear();
        self.lbuf.extend(batch.iter().map(|&i| data.labels[i]));
        self.cursor += b;
        let stats = if self.model.adversarial().is_some() { self.adversarial_step()? } else { self.plain_step()? };
        self.step += 1;
        self.samples_seen += b as u64;
        if self.step.is_multiple_of(SNAPSHOT_EVERY) {
            self.take_snapshot();
        }
        Ok(stats)
    }

    /// One objective, one optimiser: every model but the AAE.
    fn plain_step(&mut self) -> Result<Stats> {
        let stats = self.model.compute_grads(&self.xbuf.view(), &self.lbuf, &mut self.rng);
        let mut finite = stats.loss.is_finite();
        self.model.visit(&mut |_, _, _, g| finite &= all_finite(g));
        if !finite || self.grew_too_far(stats.loss) {
            self.restore_snapshot();
            return Err(Error::Diverged { step: self.step, loss: stats.loss });
        }
        self.opt.begin_step();
        let mut slot = 0;
        let opt = &mut self.opt;
        self.model.visit(&mut |_, _, w, g| {
            opt.update(slot, w, g);
            slot += 1;
        });
        Ok(stats)
    }

    /// A game's phases on the gathered batch (the model's `phase`): the
    /// AAE's reconstruction, discriminator and `gen_steps` generator steps
    /// (`models/aae.rs`), VAE-GAN's discriminator, encoder and decoder
    /// (`models/vaegan.rs`), each followed by its optimiser's update of its
    /// own parameter group, unless the model skips it this batch. The
    /// divergence rule watches every phase for NaN and infinity, and the
    /// reconstruction loss for growth; any trips the roll-back of all weights.
    fn adversarial_step(&mut self) -> Result<Stats> {
        let gen_steps = self.train_cfg.gen_steps.max(1);
        let mut out = Stats::default();
        for i in 0.. {
            let adv = self.model.adversarial().expect("checked by the caller");
            let Some(phase) = adv.phase(i, gen_steps) else { break };
            let s = adv.phase_grads(phase, &self.xbuf.view(), &self.lbuf, &mut self.rng);
            let skip = adv.skip(phase);
            let mut finite = s.loss.is_finite();
            adv.visit_group(phase.group(), &mut |_, _, _, g| finite &= all_finite(g));
            let watched = matches!(phase, Phase::Reconstruction | Phase::Encoder);
            if !finite || (watched && self.grew_too_far(s.loss)) {
                self.restore_snapshot();
                return Err(Error::Diverged { step: self.step, loss: s.loss });
            }
            match phase {
                Phase::Reconstruction => (out.loss, out.recon) = (s.loss, s.recon),
                Phase::Encoder => (out.loss, out.recon, out.kl) = (s.loss, s.recon, s.kl),
                Phase::Discriminator => (out.disc_loss, out.disc_accuracy) = (s.disc_loss, s.disc_accuracy),
                Phase::Generator => out.gen_loss += s.gen_loss / gen_steps as f32,
                Phase::Decoder => out.gen_loss = s.gen_loss,
            }
            if skip {
                continue;
            }
            let opt = match phase.group() {
                Group::Autoencoder => &mut self.opt,
                Group::Discriminator => &mut self.disc_opt,
                Group::Encoder => &mut self.gen_opt,
                Group::Decoder => &mut self.dec_opt,
            };
            opt.begin_step();
            let mut slot = 0;
            let adv = self.model.adversarial().expect("checked by the caller");
            adv.visit_group(phase.group(), &mut |_, _, w, g| {
                opt.update(slot, w, g);
                slot += 1;
            });
        }
        Ok(out)
    }

    /// The divergence rule above; the first call records the start.
    fn grew_too_far(&mut self, loss: f32) -> bool {
        let start = *self.start.get_or_insert(loss);
        loss > start + GROWTH * start.abs().max(FLOOR)
    }

    /// Runs `batches` steps and returns their mean figures (each batch
    /// weighing the same). Stops at the first error, divergence included.
    pub fn train_batches(&mut self, data: &Dataset, batches: usize) -> Result<Stats> {
        let mut mean = StatsMean::default();
        for _ in 0..batches {
            mean.add(&self.step(data)?, 1.0);
        }
        Ok(mean.mean())
    }

    /// Completed passes over the training set. `epoch` counts a pass when the
    /// next one starts; this also counts one that has just run out of batches.
    /// The order of the training images in the current epoch (empty before the first step).
    pub fn batch_order(&self) -> &[usize] {
        &self.order
    }

    pub fn epochs_done(&self) -> u64 {
        let b = self.train_cfg.batch.min(self.order.len());
        let finished = !self.order.is_empty() && self.cursor + b > self.order.len();
        self.epoch as u64 + finished as u64
    }

    /// The run so far, for a model file's metadata.
    pub fn session(&self, dataset: Option<DatasetName>) -> Session {
        Session { steps: self.step, epochs: self.epochs_done(), samples_seen: self.samples_seen, dataset }
    }

    /// Continues the counters of a saved run (the next step starts a fresh epoch).
    pub fn resume(&mut self, s: &Session) {
        self.step = s.steps;
        self.epoch = s.epochs as usize;
        self.samples_seen = s.samples_seen;
    }

    /// Everything a model file records besides the model: the training
    /// settings (`train`, JSON) and the session's counters and dataset.
    pub fn metadata(&self, dataset: Option<DatasetName>) -> BTreeMap<String, String> {
        let mut meta = BTreeMap::new();
        meta.insert("train".to_string(), serde_json::to_string(&self.train_cfg).unwrap_or_default());
        self.session(dataset).write(&mut meta);
        meta
    }

    fn take_snapshot(&mut self) {
        let mut snap = std::mem::take(&mut self.snapshot);
        let mut i = 0;
        self.model.visit(&mut |_, _, w, _| {
            if snap.len() <= i {
                snap.push(Vec::new());
            }
            snap[i].clear();
            snap[i].extend_from_slice(w);
            i += 1;
        });
        self.snapshot = snap;
    }

    fn restore_snapshot(&mut self) {
        let snap = &self.snapshot;
        let mut i = 0;
        self.model.visit(&mut |_, _, w, _| {
            w.copy_from_slice(&snap[i]);
            i += 1;
        });
    }

    /// Test-set loss over all of `data`, in batches.
    pub fn evaluate(&mut self, data: &Dataset) -> Evaluation {
        evaluate(self.model.as_mut(), data)
    }
}

/// Batch-weighted mean loss terms of `model` over `data`.
pub fn evaluate(model: &mut dyn Model, data: &Dataset) -> Evaluation {
    let mut pass = EvaluationPass::new();
    loop {
        if let Some(e) = pass.advance(model, data, usize::MAX) {
            return e;
        }
    }
}

/// `evaluate` in resumable pieces: the browser spreads the 10,000 test images
/// over several time slices so `pause` is never kept waiting. Each call does up
/// to `batches` batches of the same size with the same generator, so the
/// result is bit for bit what `evaluate` returns. The weights must not change
/// between pieces.
pub struct EvaluationPass {
    rng: Rng,
    start: usize,
    sum: StatsMean,
    kl: Vec<f64>,
}

impl Default for EvaluationPass {
    fn default() -> Self {
        EvaluationPass::new()
    }
}

impl EvaluationPass {
    /// Images per test batch for all but the largest models.
    pub const BATCH: usize = 500;
    /// Weights × images one test batch may cost: 500 images of 2^21 weights.
    /// The browser reads messages only between batches: 500 images of the
    /// page's largest model (28.8 M weights) took 3–8 s; now 36 at a time.
    const BATCH_WEIGHTS: u64 = 500 << 21;

    /// Images per test batch for a model of `params` weights: 500, or fewer
    /// when 500 would cost more than `BATCH_WEIGHTS`. Fixed by the config,
    /// never by a clock, so a seed gives the same figures wherever it runs;
    /// models up to 2^21 weights (every figure quoted) keep 500, bit for bit.
    pub fn batch_for(params: u64) -> usize {
        (Self::BATCH_WEIGHTS / params.max(1)).clamp(1, Self::BATCH as u64) as usize
    }

    pub fn new() -> Self {
        EvaluationPass { rng: Rng::new(EVAL_SEED), start: 0, sum: StatsMean::default(), kl: Vec::new() }
    }

    /// Fraction of the set done, in [0, 1].
    pub fn progress(&self, data: &Dataset) -> f32 {
        if data.is_empty() {
            1.0
        } else {
            self.start as f32 / data.len() as f32
        }
    }

    /// Evaluates up to `batches` more batches; the figures once the set is done.
    pub fn advance(&mut self, model: &mut dyn Model, data: &Dataset, batches: usize) -> Option<Evaluation> {
        let n = data.len();
        let batch = Self::batch_for(param_count(model.config()));
        let mut done = 0;
        while self.start < n && done < batches {
            let end = (self.start + batch).min(n);
            let w = (end - self.start) as f64;
            let s = model.evaluate(&data.images(self.start, end).view(), &data.labels[self.start..end], &mut self.rng);
            self.sum.add(&s, w);
            let dims = model.kl_per_dim();
            self.kl.resize(dims.len(), 0.0);
            for (acc, &d) in self.kl.iter_mut().zip(dims) {
                *acc += d as f64 * w;
            }
            self.start = end;
            done += 1;
        }
        if self.start < n {
            return None;
        }
        // Weighted by images, so the last, smaller batch counts for what it holds.
        let m = |v: f64| (v / n.max(1) as f64) as f32;
        Some(Evaluation { stats: self.sum.mean(), kl_per_dim: self.kl.iter().map(|&v| m(v)).collect() })
    }
}
