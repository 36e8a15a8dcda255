//! Loss figures and the one place they are averaged.

/// How many figures a `Stats` holds.
pub const FIGURES: usize = 8;

/// Loss terms of one batch, each in nats per image (batch mean of per-image sums).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// The objective that is minimised: recon + kl + penalty (or the CE of a classifier).
    pub loss: f32,
    /// Reconstruction negative log-likelihood −log p(x|z).
    pub recon: f32,
    /// KL(q(z|x) ‖ p(z)), VAEs only.
    pub kl: f32,
    /// Contractive penalty λ · mean ‖∂h/∂x‖²_F, CAE only: an unbiased one-probe estimate (`models/cae.rs`).
    pub penalty: f32,
    /// Fraction classified correctly, classifier only.
    pub accuracy: f32,
    /// AAE: the discriminator's Bernoulli NLL of "prior or code", nats per code
    /// averaged over the prior samples and the codes (ln 2 ≈ 0.69 when it cannot tell).
    pub disc_loss: f32,
    /// AAE: the generator's loss −ln D(code), nats per code (non-saturating form).
    pub gen_loss: f32,
    /// AAE: the fraction of prior samples and codes the discriminator tells apart correctly.
    pub disc_accuracy: f32,
}

impl Stats {
    /// The figures with their names, in a fixed order: what crosses to the
    /// browser and what a report prints.
    pub fn named(&self) -> [(&'static str, f32); FIGURES] {
        [
            ("loss", self.loss),
            ("recon", self.recon),
            ("kl", self.kl),
            ("penalty", self.penalty),
            ("accuracy", self.accuracy),
            ("disc_loss", self.disc_loss),
            ("gen_loss", self.gen_loss),
            ("disc_accuracy", self.disc_accuracy),
        ]
    }

    /// The figures back from `named`'s order.
    fn from_values(v: [f32; FIGURES]) -> Stats {
        let [loss, recon, kl, penalty, accuracy, disc_loss, gen_loss, disc_accuracy] = v;
        Stats { loss, recon, kl, penalty, accuracy, disc_loss, gen_loss, disc_accuracy }
    }
}

/// A weighted mean of `Stats`, summed in f64: the trainer's chunks (weight 1
/// per batch), the test pass (weight = images in the batch), the CLI's epoch
/// line and the browser's progress reports all average here.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StatsMean {
    sum: [f64; FIGURES],
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
        Stats::from_values(self.sum.map(|v| (v / w) as f32))
    }

    /// The mean so far, leaving this accumulator empty.
    pub fn take(&mut self) -> Option<Stats> {
        let out = (!self.is_empty()).then(|| self.mean());
        *self = StatsMean::default();
        out
    }
}
