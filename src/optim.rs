//! Optimisers. Parameters arrive one tensor at a time as (slot, values,
//! gradients); each optimiser keeps whatever per-slot state it needs, and
//! hands it out by name so a model file can carry it (`checkpoint.rs`).

use serde::{Deserialize, Serialize};

use crate::threads;

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
            *v = flush(self.mu * *v - self.lr * g);
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
        // Below this |g|, (1 − β₂)·g² is subnormal (2^-58 for β₂ = 0.999), and
        // computing it is slow (see `flush`); the gradients of pixels a trained
        // decoder knows are blank shrink through it. Left out of v, it could
        // move √v + ε by an ulp of ε at most.
        let tiny = (f32::MIN_POSITIVE / (1.0 - b2)).sqrt();
        // Every weight's update is its own: split over threads, the same bits.
        let block = threads::block_len(w.len(), 1);
        let blocks = w.chunks_mut(block).zip(g.chunks(block)).zip(m.chunks_mut(block)).zip(v.chunks_mut(block));
        threads::each(blocks, &|(((w, g), m), v)| {
            for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
                let g2 = if g.abs() < tiny { 0.0 } else { (1.0 - b2) * g * g };
                *m = flush(b1 * *m + (1.0 - b1) * g);
                *v = flush(b2 * *v + g2);
                *w -= step * *m / (v.sqrt() + eps);
            }
        });
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

/// A moment whose gradient has stopped (the weights of a pixel that is
/// never inked, of a dead unit) decays geometrically into the subnormal
/// range (below 2^-126) and stays there: 0.9 times 4 ulps rounds back to
/// 4 ulps, 0.999·v sticks at a few hundred. x86 computes with subnormals in
/// microcode, 100+ cycles an operation, and WebAssembly cannot turn that off
/// (native code could, with the FTZ/DAZ bits): the page's default VAE had
/// 38,000 such moments (9% of its parameters) after 10,000 steps. So they
/// become 0, as flush-to-zero would make them; their update (at most
/// lr·2^-126/ε, about 1e-33) was already too small to change a weight. With
/// `activation::EXP_FLOOR` this took that VAE from 1.7 times slower than with
/// FTZ at 10,000 steps to about 1.1 (`examples/soak.rs --interleave`), and a
/// 10-epoch run's model file stayed identical to the byte.
#[inline]
fn flush(x: f32) -> f32 {
    if x.abs() < f32::MIN_POSITIVE {
        0.0
    } else {
        x
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_whose_gradient_stops_reaches_zero_not_a_subnormal() {
        // Without the flush the decay sticks: 0.9 · (4 ulps) rounds to 4 ulps.
        let mut m = 1e-3f32;
        for _ in 0..2000 {
            m *= 0.9;
        }
        assert!(m > 0.0 && m < f32::MIN_POSITIVE, "unflushed, m sticks at {m:e}");
        // One gradient, then none for longer than v takes to decay (0.999^k).
        let mut adam = Adam { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 0, m: Vec::new(), v: Vec::new() };
        let mut momentum = Momentum { lr: 1e-3, mu: 0.9, velocity: Vec::new() };
        let (mut w, mut u) = ([0.5f32; 3], [0.5f32; 3]);
        for step in 0..100_000 {
            let g = if step == 0 { [1e-3, -2e-2, 3e-5] } else { [0.0; 3] };
            adam.begin_step();
            adam.update(0, &mut w, &g);
            momentum.update(0, &mut u, &g);
        }
        assert_eq!((&adam.m[0][..], &adam.v[0][..], &momentum.velocity[0][..]), (&[0.0; 3][..], &[0.0; 3][..], &[0.0; 3][..]));
    }
}
