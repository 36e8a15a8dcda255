//! The settings of the models trained as a game with a discriminator: the
//! adversarial AE's prior, labels, discriminator and game, VAE-GAN's
//! discriminator, weights and balance, and the hashing model's code noise
//! (each entry's `only` says which kinds it matters for). Part of the one
//! table (`mod.rs`, whose `ALL` lists them in order).

use super::*;
use crate::config::Prior;
pub const PRIOR: Setting = Setting {
    key: "prior",
    path: "model.prior",
    kind: Kind::Choice { choices: choices::<Prior>, aliases: aliases::<Prior> },
    label: "prior",
    help: "The distribution the adversarial AE's discriminator makes the codes match: gaussian N(0, I), mog10 ten Gaussians on a circle, swiss_roll a spiral.",
    page: Page {
        learn: "The shape the adversarial autoencoder pushes its codes into: one round cloud, ten clouds on a circle, or a spiral.",
        labels: &[("gaussian", "Gaussian N(0, I)"), ("mog10", "10 Gaussians on a circle"), ("swiss_roll", "swiss roll")],
        only: &["aae"],
        ..SAME
    },
};
pub const AAE_LABELS: Setting = Setting {
    key: "aae_labels",
    path: "model.aae_labels",
    kind: Kind::Bool,
    label: "labels for the discriminator",
    help:
        "The discriminator also sees each image's label, and each class is matched to its own part of the prior (a mixture component or a segment of the roll).",
    page: Page { learn: "The discriminator also sees each image's label, so each class is pushed into its own part of the prior.", only: &["aae"], ..SAME },
};
pub const DISC_HIDDEN: Setting = Setting {
    key: "disc_hidden",
    path: "model.disc_hidden",
    kind: Kind::List { min: 1, max: 4096, max_len: 4 },
    label: "discriminator layer sizes",
    help: "The discriminator's widths, separated by commas: the adversarial AE's reads a code and says whether it came from the prior; VAE-GAN's reads an image and says whether it is real, and its last layer is the features its reconstruction is measured in.",
    page: Page {
        learn: "The layer sizes of the discriminator: the small network that tells codes from samples of the prior (adversarial AE), or real images from decoded ones (VAE-GAN).",
        max: Some(1024.0),
        only: &["aae", "vaegan"],
        ..SAME
    },
};
pub const DISC_CONV: Setting = Setting {
    key: "disc_conv",
    path: "model.disc_conv",
    kind: Kind::List { min: 1, max: 256, max_len: 4 },
    label: "discriminator convolutions",
    help: "VAE-GAN only: the channels of convolutions (5×5, stride 2, each halving the image's side) the discriminator reads the image with before its dense layers, separated by commas, e.g. 32,64; empty, it is dense only. With no dense layers, the last convolution's output is the features the reconstruction is measured in, as in the paper.",
    page: Page {
        learn: "VAE-GAN only: small filters the discriminator slides over the image, each layer halving it, before its dense layers. They see strokes and edges where they are, which dense layers do not; empty means none.",
        max: Some(128.0),
        only: &["vaegan"],
        ..SAME
    },
};
pub const DISC_LR: Setting = Setting {
    key: "disc_lr",
    path: "train.disc_lr",
    kind: Kind::Float { min: 1e-6, max: 100.0 },
    label: "adversarial learning rate",
    help: "The step size of the game: the discriminator's updates and the encoder's updates to fool it (reconstruction uses the learning rate). Each has its own optimiser.",
    page: Page { learn: "The step size of the discriminator, and for the adversarial AE of the encoder trying to fool it.",  max: Some(10.0), only: &["aae", "vaegan"], ..SAME },
};
pub const GEN_STEPS: Setting = Setting {
    key: "gen_steps",
    path: "train.gen_steps",
    kind: Kind::Int { min: 1, max: 10 },
    label: "generator steps per batch",
    help: "How many times per batch the encoder is updated to fool the discriminator.",
    page: Page { learn: "How many times per batch the encoder tries to fool the discriminator.", only: &["aae"], ..SAME },
};
pub const LR_DECAY: Setting = Setting {
    key: "lr_decay",
    path: "train.lr_decay",
    kind: Kind::Float { min: 0.1, max: 1.0 },
    label: "learning-rate decay per epoch",
    help: "Every learning rate of the adversarial AE (reconstruction and game) is multiplied by this at the end of each epoch, so the game settles instead of swinging from epoch to epoch; 1 keeps them constant.",
    page: Page {
        learn: "After each pass over the data, every step size of the adversarial autoencoder shrinks by this factor, so the tug of war with the discriminator settles down instead of swinging on.",
        only: &["aae"],
        ..SAME
    },
};
pub const CODE_NOISE: Setting = Setting {
    key: "code_noise",
    path: "model.code_noise",
    kind: Kind::Float { min: 0.0, max: 100.0 },
    label: "code noise",
    help: "σ of the Gaussian noise added before the hash model's sigmoid code in training; more noise drives the code harder to 0 or 1. 0 leaves it a smooth code.",
    page: Page {
        learn: "How much random noise shakes the code while it trains. To be heard through it, each code unit learns to sit at 0 or 1, so the code becomes bits.",
        max: Some(20.0),
        only: &["hash"],
        ..SAME
    },
};
pub const GAMMA: Setting = Setting {
    key: "gamma",
    path: "model.gamma",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "feature weight γ",
    help: "VAE-GAN: γ, the weight of the feature reconstruction in the decoder's objective against its GAN term (Larsen et al. 2016).",
    page: Page {
        learn: "How much VAE-GAN's decoder cares about rebuilding the discriminator's view of the input, against fooling the discriminator.",
        max: Some(100.0),
        only: &["vaegan"],
        ..SAME
    },
};
pub const PIXEL_WEIGHT: Setting = Setting {
    key: "pixel_weight",
    path: "model.pixel_weight",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "pixel weight",
    help: "VAE-GAN: the weight of the pixel reconstruction −ln p(x|z) beside the feature one; 0 leaves the features alone.",
    page: Page {
        learn: "How much VAE-GAN also rebuilds the pixels themselves, as a plain VAE does. 0: only the discriminator's features.",
        max: Some(100.0),
        only: &["vaegan"],
        ..SAME
    },
};
pub const BALANCE_EQUILIBRIUM: Setting = Setting {
    key: "balance_equilibrium",
    path: "model.balance_equilibrium",
    kind: Kind::Float { min: 0.0, max: 10.0 },
    label: "balance point",
    help: "VAE-GAN: the discriminator's loss (nats) the game is held near; ln 2 ≈ 0.69 is a discriminator that cannot tell.",
    page: Page { learn: "The discriminator's loss the game is kept near: about 0.69 means it is only guessing.", only: &["vaegan"], ..SAME },
};
pub const BALANCE_MARGIN: Setting = Setting {
    key: "balance_margin",
    path: "model.balance_margin",
    kind: Kind::Float { min: 0.0, max: 10.0 },
    label: "balance margin",
    help: "VAE-GAN: the discriminator skips its update while a cost of its is below the balance point by more than this, and the decoder skips its own while one is above by more.",
    page: Page { learn: "How far ahead the discriminator may get before it rests, and how far behind before the decoder rests.", only: &["vaegan"], ..SAME },
};
