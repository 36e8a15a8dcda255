//! Loss figures and the one place they are averaged.

/// How many figures a `Stats` holds.
pub const FIGURES: usize = 10;

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
    /// AAE, test figures only: the unbiased MMD² (`prior::fit`) between a test
    /// batch's codes and as many samples of the whole prior, averaged over the
    /// batches (a mean of unbiased estimates is one): how far the codes' spread
    /// is from the prior's, as training goes.
    pub prior_mmd2: f32,
    /// AAE with labels on the mixture or the roll, test figures only: the share
    /// of codes nearest their own class's part of the prior. NaN where no part
    /// is a class's (the Gaussian prior, or no labels).
    pub own_part: f32,
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
            ("prior_mmd2", self.prior_mmd2),
            ("own_part", self.own_part),
        ]
    }

    /// The figures back from `named`'s order.
    fn from_values(v: [f32; FIGURES]) -> Stats {
        let [loss, recon, kl, penalty, accuracy, disc_loss, gen_loss, disc_accuracy, prior_mmd2, own_part] = v;
        Stats { loss, recon, kl, penalty, accuracy, disc_loss, gen_loss, disc_accuracy, prior_mmd2, own_part }
    }
}

/// How a figure reads on the page.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// A part of the loss, in nats: the parts add up to it ("recon 80.1 + KL 20.3").
    Part,
    /// A share in [0, 1], shown as a percentage.
    Share,
    /// Nats, but not a part of the loss.
    Nats,
    /// A number on its own scale, read to three decimals.
    Figure,
}

/// How the page shows one figure of `Stats` beside the loss
/// (`www/page/render.js` loops over a model kind's `ModelKind::terms`).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Term {
    /// Its name in `Stats::named`.
    pub name: &'static str,
    /// Its name on the chart and before its value.
    pub label: &'static str,
    pub form: Form,
    /// Drawn on the chart's right-hand scale: far smaller than the loss, or not in nats.
    pub right: bool,
    /// On the page at all: the discriminator's two losses are read better as its accuracy.
    pub shown: bool,
    /// For a learner, after the value: what the figure means.
    pub means: &'static str,
}

/// Every figure but the loss itself, in `Stats::named`'s order.
pub const TERMS: [Term; FIGURES - 1] = [
    Term { name: "recon", label: "recon", form: Form::Part, right: false, shown: true, means: "how badly the output matches the input" },
    Term { name: "kl", label: "KL", form: Form::Part, right: true, shown: true, means: "how far the codes are from the prior N(0, I)" },
    Term { name: "penalty", label: "penalty", form: Form::Part, right: true, shown: true, means: "how much the code moves when the input wiggles" },
    Term { name: "accuracy", label: "accuracy", form: Form::Share, right: true, shown: true, means: "of the test images labelled right" },
    Term {
        name: "disc_loss",
        label: "discriminator loss",
        form: Form::Nats,
        right: false,
        shown: false,
        means: "ln 2 ≈ 0.69 when it cannot tell codes from prior samples",
    },
    Term {
        name: "gen_loss",
        label: "encoder's adversarial loss",
        form: Form::Nats,
        right: false,
        shown: false,
        means: "low when the encoder fools the discriminator",
    },
    Term {
        name: "disc_accuracy",
        label: "disc accuracy",
        form: Form::Share,
        right: true,
        shown: true,
        means: "the discriminator is right this often, telling codes from prior samples (adversarial AE) or real images from decoded ones (VAE-GAN); 50% would mean it cannot tell them apart",
    },
    Term {
        name: "prior_mmd2",
        label: "MMD² to the prior",
        form: Form::Figure,
        right: true,
        shown: true,
        means: "how far the test codes' spread is from the prior's; 0 when they match",
    },
    Term {
        name: "own_part",
        label: "codes in their own part",
        form: Form::Share,
        right: true,
        shown: true,
        means: "of the test codes lie nearest their own class's part of the prior (10% by chance)",
    },
];

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
