//! Optimisers. Parameters arrive one tensor at a time as (slot, values,
//! gradients); each optimiser keeps whatever per-slot state it needs, and
//! hands it out by name so a model file can carry it (`checkpoint.rs`).

use serde::{Deserialize, Serialize};

pub trait Optimizer {
    /// Called once per step before the tensors are visited (Adam's step count).
    fn begin_step(&mut self) {}
    /// Updates tensor number `slot` in place from its gradient.
    fn update(&mut self, slot: usize, w: &mut [f32], g: &[f32]);
    fn learning_rate(&self) -> f32;
    /// Changes the step size from the next update on; the moments are kept.
    fn set_learning_rate(&mut self, lr: f32);
    /// The names of the state kept per tensor: Adam's moments `m` and `v`,
    /// momentum's `velocity`; SGD keeps none.
    fn state_names(&self) -> &'static [&'static str] {
        &[]
    }
    /// State `k` (an index into `state_names`) of tensor `slot`: as long as
    /// the tensor, or empty before the tensor's first update.
    fn state(&self, _slot: usize, _k: usize) -> &[f32] {
        &[]
    }
    /// Replaces state `k` of tensor `slot` (the caller checks the length).
    fn set_state(&mut self, _slot: usize, _k: usize, _values: Vec<f32>) {}
    /// `begin_step` calls so far: Adam's bias correction depends on it.
    fn steps(&self) -> u64 {
        0
    }
    fn set_steps(&mut self, _steps: u64) {}
}

/// The lecture's rule: Δθ = −η ∇L.
pub struct Sgd {
    pub lr: f32,
}

impl Optimizer for Sgd {
    fn update(&mut self, _slot: usize, w: &mut [f32], g: &[f32]) {
        w.iter_mut().zip(g).for_each(|(w, g)| *w -= self.lr * g);
    }
    fn learning_rate(&self) -> f32 {
        self.lr
    }
    fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }
}

/// Heavy-ball momentum: v ← μv − η∇L, θ ← θ + v.
pub struct Momentum {
    pub lr: f32,
    pub mu: f32,
    velocity: Vec<Vec<f32>>,
}

impl Optimizer for Momentum {
    fn update(&mut self, slot: usize, w: &mut [f32], g: &[f32]) {
        let v = zeroed(&mut self.velocity, slot, w.len());
        for ((w, g), v) in w.iter_mut().zip(g).zip(v.iter_mut()) {
            *v = self.mu * *v - self.lr * g;
            *w += *v;
        }
    }
    fn learning_rate(&self) -> f32 {
        self.lr
    }
    fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["velocity"]
    }
    fn state(&self, slot: usize, _k: usize) -> &[f32] {
        self.velocity.get(slot).map_or(&[], Vec::as_slice)
    }
    fn set_state(&mut self, slot: usize, _k: usize, values: Vec<f32>) {
        put(&mut self.velocity, slot, values);
    }
}

/// Adam (Kingma & Ba 2015) with bias correction.
pub struct Adam {
    pub lr: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    /// Steps begun; the bias correction's exponent (saturating at i32::MAX,
    /// where β^t has long been 0).
    t: u64,
    m: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
}

impl Optimizer for Adam {
    fn begin_step(&mut self) {
        self.t += 1;
    }
    fn update(&mut self, slot: usize, w: &mut [f32], g: &[f32]) {
        let (b1, b2) = (self.beta1, self.beta2);
        let t = self.t.min(i32::MAX as u64) as i32;
        let step = self.lr * (1.0 - b2.powi(t)).sqrt() / (1.0 - b1.powi(t));
        let eps = self.eps;
        zeroed(&mut self.m, slot, w.len());
        zeroed(&mut self.v, slot, w.len());
        let (m, v) = (&mut self.m[slot], &mut self.v[slot]);
        for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *w -= step * *m / (v.sqrt() + eps);
        }
    }
    fn learning_rate(&self) -> f32 {
        self.lr
    }
    fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["m", "v"]
    }
    fn state(&self, slot: usize, k: usize) -> &[f32] {
        let s = if k == 0 { &self.m } else { &self.v };
        s.get(slot).map_or(&[], Vec::as_slice)
    }
    fn set_state(&mut self, slot: usize, k: usize, values: Vec<f32>) {
        put(if k == 0 { &mut self.m } else { &mut self.v }, slot, values);
    }
    fn steps(&self) -> u64 {
        self.t
    }
    fn set_steps(&mut self, steps: u64) {
        self.t = steps;
    }
}

/// Stores `values` as tensor `slot`'s state, growing the table as needed.
fn put(s: &mut Vec<Vec<f32>>, slot: usize, values: Vec<f32>) {
    if s.len() <= slot {
        s.resize(slot + 1, Vec::new());
    }
    s[slot] = values;
}

fn zeroed(s: &mut Vec<Vec<f32>>, slot: usize, len: usize) -> &mut Vec<f32> {
    if s.len() <= slot {
        s.resize(slot + 1, Vec::new());
    }
    if s[slot].len() != len {
        s[slot] = vec![0.0; len];
    }
    &mut s[slot]
}

/// Which optimiser, as plain config data (URL hash, CLI flag, file metadata).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Adam,
}

impl OptimizerKind {
    pub fn build(self, lr: f32) -> Box<dyn Optimizer> {
        match self {
            OptimizerKind::Sgd => Box::new(Sgd { lr }),
            OptimizerKind::Momentum => Box::new(Momentum { lr, mu: 0.9, velocity: Vec::new() }),
            OptimizerKind::Adam => Box::new(Adam { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 0, m: Vec::new(), v: Vec::new() }),
        }
    }
}
