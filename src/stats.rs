//! Loss figures and the one place they are averaged.

/// Loss terms of one batch, each in nats per image (batch mean of per-image sums).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// The objective that is minimised: recon + kl + penalty (or the CE of a classifier).
    pub loss: f32,
    /// Reconstruction negative log-likelihood −log p(x|z).
    pub recon: f32,
    /// KL(q(z|x) ‖ p(z)), VAEs only.
    pub kl: f32,
    /// Contractive penalty λ‖J‖²_F, CAE only.
    pub penalty: f32,
    /// Fraction classified correctly, classifier only.
    pub accuracy: f32,
}

impl Stats {
    /// The figures with their names, in a fixed order: what crosses to the
    /// browser and what a report prints.
    pub fn named(&self) -> [(&'static str, f32); 5] {
        [("loss", self.loss), ("recon", self.recon), ("kl", self.kl), ("penalty", self.penalty), ("accuracy", self.accuracy)]
    }
}

/// A weighted mean of `Stats`, summed in f64: the trainer's chunks (weight 1
/// per batch), the test pass (weight = images in the batch), the CLI's epoch
/// line and the browser's progress reports all average here.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StatsMean {
    sum: [f64; 5],
    weight: f64,
}

impl StatsMean {
    pub fn add(&mut self, s: &Stats, weight: f64) {
        for (acc, (_, v)) in self.sum.iter_mut().zip(s.named()) {
            *acc += v as f64 * weight;
        }
        self.weight += weight;
    }

    pub fn is_empty(&self) -> bool {
        self.weight == 0.0
    }

    /// Total weight added (batches, or images).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The mean so far; all zeros when nothing was added.
    pub fn mean(&self) -> Stats {
        let w = if self.weight > 0.0 { self.weight } else { 1.0 };
        let m = |v: f64| (v / w) as f32;
        let s = &self.sum;
        Stats { loss: m(s[0]), recon: m(s[1]), kl: m(s[2]), penalty: m(s[3]), accuracy: m(s[4]) }
    }

    /// The mean so far, leaving this accumulator empty.
    pub fn take(&mut self) -> Option<Stats> {
        let out = (!self.is_empty()).then(|| self.mean());
        *self = StatsMean::default();
        out
    }
}
