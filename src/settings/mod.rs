//! The one table of settings. Each entry says once what a setting is called
//! in the URL hash and the form, where it lives in the config (`model.latent`,
//! `train.lr`, `dataset`), its type, its range or choices, its label and help;
//! its default comes from `ModelConfig::default()` / `TrainConfig::default()`
//! and its choices from the enum's serde names. `ModelConfig::validate` and
//! `TrainConfig::validate` (validate.rs) check the same limits, the CLI takes its choices
//! and help from here, and `tests/settings_file.rs` writes the table to
//! `www/shared/settings-table.js`, from which the page builds its hash parser, its form and
//! its messages to the worker. Where the page is stricter than the core (a
//! browser tab cannot hold a 4096×8 network), the entry says so in `page`.
//!
//! Enum names are serde's: `name`, `parse` and `choices` (names.rs) ask the
//! derived `Serialize`/`Deserialize` impls rather than keeping a second list.
//! checks.rs holds what reads and checks a value, validate.rs what checks a
//! whole config, page_json.rs what the page is given.

mod checks;
mod choice_facts;
mod game;
mod names;
mod page_json;
mod validate;

pub use checks::configs_from;
pub use game::*;
pub use names::*;
pub use page_json::table_json;

use crate::config::{BatchOrder, Decoder, ModelKind, NoiseKind};
use crate::data::DatasetName;
use crate::layers::Activation;
use crate::optim::OptimizerKind;
use choice_facts::{dataset_facts, model_facts};

/// What kind of value a setting holds, with the core's limits (inclusive).
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Int {
        min: u64,
        max: u64,
    },
    Float {
        min: f32,
        max: f32,
    },
    /// Comma-separated whole numbers, each in [min, max], at most `max_len` of them.
    List {
        min: u64,
        max: u64,
        max_len: usize,
    },
    /// One of a unit enum's serde names.
    Choice {
        choices: fn() -> Vec<&'static str>,
        /// Other names serde also reads (not listed, not written).
        aliases: fn() -> Vec<&'static str>,
    },
    /// `Init`: a variant's serde name, then `:VALUE` for a variant with a parameter.
    Init {
        param: Bounds,
    },
    /// On or off: `1`/`0` in the URL hash, a checkbox in the form, a bare flag on the command line.
    Bool,
}

/// Inclusive limits of a float parameter.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub min: f32,
    pub max: f32,
}

/// A default the page uses instead of the core's.
#[derive(Clone, Copy, Debug)]
pub enum Literal {
    Int(u64),
    List(&'static [u64]),
}

/// How the page differs from the core for one setting.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// Not in the link or the form: the page always uses the core's default.
    pub fixed: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_len: Option<usize>,
    /// Choices the page does not offer.
    pub exclude: &'static [&'static str],
    pub default: Option<Literal>,
    /// Words for some choices in the form's menu (the rest show their name).
    pub labels: &'static [(&'static str, &'static str)],
    /// The model kinds this setting matters for (empty: all); the form shows it only for those.
    pub only: &'static [&'static str],
    /// Facts about each choice that the page would otherwise retype (for `model`: which kinds
    /// are variational, conditional, adversarial, or have a prior), as JSON by choice name.
    pub choice_facts: Option<fn() -> serde_json::Value>,
    /// May change while the model trains: the worker takes the new value and keeps the model
    /// (the page does not rebuild for it).
    pub live: bool,
    /// The page's help, for a learner of the lecture (`help` is the command line's).
    pub learn: &'static str,
    /// One of the few settings the form shows unfolded; the rest sit under "More settings".
    pub basic: bool,
}

/// The page takes the core's limits and default.
pub const SAME: Page = Page {
    fixed: false,
    min: None,
    max: None,
    max_len: None,
    exclude: &[],
    default: None,
    labels: &[],
    only: &[],
    choice_facts: None,
    live: false,
    learn: "",
    basic: false,
};
const FIXED: Page = Page { fixed: true, ..SAME };

#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The name in the URL hash and the form.
    pub key: &'static str,
    /// Where it lives in `{model: ModelConfig, train: TrainConfig, dataset}`.
    pub path: &'static str,
    pub kind: Kind,
    /// Lower case, to be used mid-sentence ("latent size 0 must be …").
    pub label: &'static str,
    pub help: &'static str,
    pub page: Page,
}

pub const DATASET: Setting = Setting {
    key: "dataset",
    path: "dataset",
    kind: Kind::Choice { choices: choices::<DatasetName>, aliases: aliases::<DatasetName> },
    label: "dataset",
    help:
        "Handwritten digits (MNIST) or photos of clothes (Fashion-MNIST), 28×28 grey pixels each; mnist_binary is MNIST with every pixel made black or white.",
    page: Page {
        learn: "Which pictures to learn from: handwritten digits, photos of clothes, or the digits in pure black and white.",
        labels: &[("mnist", "MNIST digits"), ("fashion", "Fashion-MNIST"), ("mnist_binary", "MNIST digits, black and white")],
        choice_facts: Some(dataset_facts),
        ..SAME
    },
};
pub const MODEL: Setting = Setting {
    key: "model",
    path: "model.kind",
    kind: Kind::Choice { choices: choices::<ModelKind>, aliases: aliases::<ModelKind> },
    label: "model",
    help: "ae: plain autoencoder; dae: denoising; cae: contractive; vae: variational; cvae: conditional VAE; aae: adversarial; hash: binary codes for retrieval (semantic hashing); vaegan: a VAE with a discriminator on images (VAE-GAN); classifier: an MLP that labels images.",
    page: Page { learn: "The kind of autoencoder. Each kind adds one idea to the plain one; the lessons show what each idea buys.", basic: true, 
        exclude: &["classifier"],
        labels: &[
            ("ae", "Autoencoder (AE)"),
            ("dae", "Denoising AE"),
            ("cae", "Contractive AE"),
            ("vae", "Variational AE (VAE)"),
            ("cvae", "Conditional VAE (CVAE)"),
            ("aae", "Adversarial AE"),
            ("hash", "Hashing AE (binary code)"),
            ("vaegan", "VAE-GAN"),
        ],
        choice_facts: Some(model_facts),
        ..SAME
    },
};
pub const HIDDEN: Setting = Setting {
    key: "hidden",
    path: "model.hidden",
    kind: Kind::List { min: 1, max: 4096, max_len: 8 },
    label: "hidden layer sizes",
    help: "Encoder widths separated by commas, e.g. 512,256; the decoder mirrors them. Empty: a linear map to the code.",
    page: Page {
        learn: "How many units each hidden layer of the encoder has, e.g. 256, or 512,256 for two layers; the decoder mirrors them. Empty: no hidden layer.",
        basic: true,
        max: Some(2048.0),
        max_len: Some(4),
        default: Some(Literal::List(&[64])),
        ..SAME
    },
};
pub const LATENT: Setting = Setting {
    key: "latent",
    path: "model.latent",
    kind: Kind::Int { min: 1, max: 1024 },
    label: "latent size",
    help: "Dimensions of the code z; with 2 the plot shows the code itself.",
    page: Page {
        learn: "How many numbers the code z has: the bottleneck every image is squeezed through. With 2, the plot shows the codes themselves.",
        basic: true,
        max: Some(64.0),
        default: Some(Literal::Int(2)),
        ..SAME
    },
};
pub const ACTIVATION: Setting = Setting {
    key: "activation",
    path: "model.activation",
    kind: Kind::Choice { choices: choices::<Activation>, aliases: aliases::<Activation> },
    label: "activation",
    help: "The hidden layers' nonlinearity; identity makes the autoencoder linear (PCA-like).",
    page: Page {
        learn: "What each hidden unit does to its input. Identity makes the whole network linear, so it can learn no more than PCA (the best flat map).",
        labels: &[("relu", "ReLU"), ("leaky_relu", "Leaky ReLU"), ("identity", "identity (linear: PCA-like)")],
        ..SAME
    },
};
pub const INIT: Setting = Setting {
    key: "init",
    path: "model.init",
    kind: Kind::Init { param: Bounds { min: 1e-6, max: 10.0 } },
    label: "weight initialisation",
    help: "auto picks he for (leaky) ReLU layers and xavier for the rest; uniform:SCALE and normal:STD draw from U(±SCALE) and N(0, STD²).",
    page: Page {
        learn:
            "How the starting weights are drawn at random. Auto picks a spread that suits the activation; normal:0.02 would draw them with a spread of 0.02.",
        ..SAME
    },
};
pub const DECODER: Setting = Setting {
    key: "decoder",
    path: "model.decoder",
    kind: Kind::Choice { choices: choices::<Decoder>, aliases: aliases::<Decoder> },
    label: "decoder",
    help: "The pixels' distribution p(x|z), hence the loss −log p(x|z) in nats per image: bernoulli is cross-entropy, gaussian squared error.",
    page: Page { learn: "What the decoder assumes about a pixel, which sets the loss: Bernoulli (black or white) gives cross-entropy, Gaussian (a grey value) gives squared error.", 
        labels: &[("bernoulli", "Bernoulli (cross-entropy)"), ("gaussian", "Gaussian (squared error)"), ("gaussian_learned_var", "Gaussian, learned variance")],
        ..SAME
    },
};
pub const NOISE: Setting = Setting {
    key: "noise",
    path: "model.noise",
    kind: Kind::Choice { choices: choices::<NoiseKind>, aliases: aliases::<NoiseKind> },
    label: "noise kind",
    help: "The denoising autoencoder's corruption: mask drops pixels, gaussian adds N(0, σ²).",
    page: Page {
        learn: "How the denoising autoencoder spoils its input before rebuilding the clean image: wipe pixels, or add random noise.",
        labels: &[("mask", "masking (drop pixels)"), ("gaussian", "Gaussian")],
        only: &["dae"],
        ..SAME
    },
};
pub const NOISE_LEVEL: Setting = Setting {
    key: "noise_level",
    path: "model.noise_level",
    kind: Kind::Float { min: 0.0, max: 10.0 },
    label: "noise level",
    help: "σ for gaussian noise, the drop probability for mask (below 1).",
    page: Page { learn: "How much spoiling: the share of pixels wiped, or the spread of the added noise.", max: Some(0.95), only: &["dae"], ..SAME },
};
pub const CONTRACTIVE: Setting = Setting {
    key: "contractive",
    path: "model.contractive",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "contractive weight",
    help: "λ, the weight of the contractive penalty ‖∂h/∂x‖²_F.",
    page: Page {
        learn: "How hard the contractive autoencoder is pushed to keep its code still when the input wiggles. 0 makes it a plain autoencoder.",
        max: Some(100.0),
        only: &["cae"],
        ..SAME
    },
};
pub const BETA: Setting = Setting {
    key: "beta",
    path: "model.beta",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "KL weight β",
    help: "β, the weight of the KL term (β-VAE, Higgins et al. 2017): 1 is the plain VAE; more pulls the codes towards the prior at the cost of reconstruction, less does the opposite.",
    page: Page { learn: "How hard the VAE pulls its codes towards the prior N(0, I). 1 is the standard VAE; more gives a tidier code space and blurrier images.",  max: Some(100.0), only: &["vae", "cvae", "vaegan"], ..SAME },
};
pub const OPTIMIZER: Setting = Setting {
    key: "optimizer",
    path: "train.optimizer",
    kind: Kind::Choice { choices: choices::<OptimizerKind>, aliases: aliases::<OptimizerKind> },
    label: "optimiser",
    help: "sgd, sgd with momentum 0.9, or adam (β = 0.9, 0.999).",
    page: Page {
        learn: "The rule that turns gradients into weight changes. Adam adapts its step for each weight and is the easy choice.",
        labels: &[("adam", "Adam"), ("momentum", "SGD + momentum"), ("sgd", "SGD")],
        ..SAME
    },
};
pub const LR: Setting = Setting {
    key: "lr",
    path: "train.lr",
    kind: Kind::Float { min: 1e-6, max: 100.0 },
    label: "learning rate",
    help: "The step size; adam works around 0.001, sgd wants more.",
    page: Page {
        learn: "How big a step each update takes. Adam works around 0.001; too big and the loss jumps about, too small and it crawls.",
        basic: true,
        max: Some(10.0),
        live: true,
        ..SAME
    },
};
pub const BATCH: Setting = Setting {
    key: "batch",
    path: "train.batch",
    kind: Kind::Int { min: 1, max: 4096 },
    label: "batch size",
    help: "Images per training step.",
    page: Page { learn: "How many images each update looks at.", max: Some(1024.0), default: Some(Literal::Int(100)), ..SAME },
};
pub const BATCH_ORDER: Setting = Setting {
    key: "batch_order",
    path: "train.batch_order",
    kind: Kind::Choice { choices: choices::<BatchOrder>, aliases: aliases::<BatchOrder> },
    label: "batch order",
    help: "after_init: shuffled by the seed's generator after the initial weights are drawn; seed: by the seed alone, so models of any shape see the same batches in the same order (compare mode uses it).",
    page: Page { learn: "How the training images are shuffled. From the seed alone, models of any shape see the same batches, which fair comparisons need.",  labels: &[("after_init", "after the initialisation"), ("seed", "from the seed alone")], ..SAME },
};
pub const SEED: Setting = Setting {
    key: "seed",
    path: "train.seed",
    kind: Kind::Int { min: 0, max: u64::MAX },
    label: "seed",
    help: "Seeds the weights, batches and noise: the same seed and settings give the same run.",
    // A JS number holds whole numbers exactly only up to 2^53; a u32 is plenty.
    page: Page { learn: "The number behind every random choice: the same seed and settings repeat a run exactly.", max: Some(4294967295.0), ..SAME },
};
pub const INPUT: Setting = Setting {
    key: "input",
    path: "model.input",
    kind: Kind::Int { min: 1, max: 65536 },
    label: "input size",
    help: "Pixels per image (784 for 28×28).",
    page: FIXED,
};
pub const CLASSES: Setting = Setting {
    key: "classes",
    path: "model.classes",
    kind: Kind::Int { min: 2, max: 256 },
    label: "number of classes",
    help: "Labels the CVAE conditions on and the classifier tells apart.",
    page: FIXED,
};

/// Every setting, in the order of the URL hash and the form.
pub const ALL: &[Setting] = &[
    DATASET,
    MODEL,
    HIDDEN,
    LATENT,
    ACTIVATION,
    INIT,
    DECODER,
    NOISE,
    NOISE_LEVEL,
    CONTRACTIVE,
    BETA,
    PRIOR,
    AAE_LABELS,
    DISC_HIDDEN,
    DISC_CONV,
    CODE_NOISE,
    GAMMA,
    PIXEL_WEIGHT,
    BALANCE_EQUILIBRIUM,
    BALANCE_MARGIN,
    OPTIMIZER,
    LR,
    DISC_LR,
    GEN_STEPS,
    LR_DECAY,
    BATCH,
    SEED,
    BATCH_ORDER,
    INPUT,
    CLASSES,
];

/// The page's default for a setting: the core's, unless the page has its own.
pub fn page_default(s: &Setting) -> serde_json::Value {
    match s.page.default {
        Some(Literal::Int(x)) => serde_json::Value::from(x),
        Some(Literal::List(xs)) => serde_json::Value::from(xs.to_vec()),
        // The page's form shows an initialisation as text (`auto`); the config reads serde's form.
        None => match s.kind {
            Kind::Init { .. } => s.value_from_text(&s.default_text()).expect("the default initialisation reads back"),
            _ => s.default_value(),
        },
    }
}

/// Every setting the page carries, at the page's default: what a first visit
/// runs (and the starter model is trained with), and what a lesson's link starts from.
pub fn page_defaults() -> Vec<(&'static Setting, serde_json::Value)> {
    ALL.iter().filter(|s| !s.page.fixed).map(|s| (s, page_default(s))).collect()
}
