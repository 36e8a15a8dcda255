//! The one seeded generator. Every random draw in the crate (initialisation,
//! shuffling, corruption noise, reparameterisation) goes through a `Rng` that
//! the caller passes in, so a seed and a config reproduce a run bit for bit.

use rand::{Rng as _, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// PCG-64 (MCG variant, O'Neill 2014): a named, portable algorithm whose
/// stream is the same natively and in wasm32.
#[derive(Clone)]
pub struct Rng {
    inner: Pcg64Mcg,
    /// Box–Muller yields normals in pairs; the second waits here.
    spare: Option<f32>,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { inner: Pcg64Mcg::seed_from_u64(seed), spare: None }
    }

    /// A seed from the operating system (or `crypto.getRandomValues` in the browser).
    pub fn fresh_seed() -> u32 {
        let mut b = [0u8; 4];
        // Falling back to a constant only loses freshness, never correctness.
        let _ = getrandom::fill(&mut b);
        u32::from_le_bytes(b)
    }

    /// Where the stream is: the 128-bit state and the normal waiting from
    /// Box–Muller's last pair. `from_state` continues the stream exactly.
    pub fn state(&self) -> (u128, Option<f32>) {
        (self.inner.state(), self.spare)
    }

    /// The generator at a point `state` returned (the low bit of an MCG state
    /// is always set; an even one is made odd, as PCG's own constructor does).
    pub fn from_state(state: u128, spare: Option<f32>) -> Self {
        Rng { inner: Pcg64Mcg::new(state), spare }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in [0, 1) with 24 random bits, exactly representable in f32.
    pub fn uniform(&mut self) -> f32 {
        (self.inner.next_u32() >> 8) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// Uniform integer in [0, n) by rejection, so every value is equally likely.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.inner.next_u64();
            if v < zone {
                return (v % n) as usize;
            }
        }
    }

    /// Standard normal by Box–Muller, computed in f64 so the tails are sound.
    pub fn normal(&mut self) -> f32 {
        if let Some(s) = self.spare.take() {
            return s;
        }
        let u1 = ((self.inner.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64); // (0, 1]
        let u2 = (self.inner.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        self.spare = Some((r * t.sin()) as f32);
        (r * t.cos()) as f32
    }

    /// Fisher–Yates, for the per-epoch minibatch order.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}
