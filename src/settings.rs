//! The one table of settings. Each entry says once what a setting is called
//! in the URL hash and the form, where it lives in the config (`model.latent`,
//! `train.lr`, `dataset`), its type, its range or choices, its label and help;
//! its default comes from `ModelConfig::default()` / `TrainConfig::default()`
//! and its choices from the enum's serde names. `ModelConfig::validate` and
//! `TrainConfig::validate` check the same limits, the CLI takes its choices
//! and help from here, and `tests/settings_file.rs` writes the table to
//! `www/shared/settings-table.js`, from which the page builds its hash parser, its form and
//! its messages to the worker. Where the page is stricter than the core (a
//! browser tab cannot hold a 4096×8 network), the entry says so in `page`.
//!
//! Enum names are serde's: `name`, `parse` and `choices` below ask the derived
//! `Serialize`/`Deserialize` impls rather than keeping a second list.

use std::fmt;

use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::config::{BatchOrder, Decoder, ModelConfig, ModelKind, NoiseKind, Prior, TrainConfig};
use crate::data::DatasetName;
use crate::error::{Error, Result};
use crate::layers::{Activation, Init};
use crate::optim::OptimizerKind;

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
}

/// The page takes the core's limits and default.
pub const SAME: Page = Page { fixed: false, min: None, max: None, max_len: None, exclude: &[], default: None, labels: &[], only: &[] };
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
    help: "Handwritten digits (MNIST) or photos of clothes (Fashion-MNIST), 28×28 grey pixels each.",
    page: Page { labels: &[("mnist", "MNIST digits"), ("fashion", "Fashion-MNIST")], ..SAME },
};
pub const MODEL: Setting = Setting {
    key: "model",
    path: "model.kind",
    kind: Kind::Choice { choices: choices::<ModelKind>, aliases: aliases::<ModelKind> },
    label: "model",
    help: "ae: plain autoencoder; dae: denoising; cae: contractive; vae: variational; cvae: conditional VAE; aae: adversarial; classifier: an MLP that labels images.",
    page: Page {
        exclude: &["classifier"],
        labels: &[
            ("ae", "Autoencoder (AE)"),
            ("dae", "Denoising AE"),
            ("cae", "Contractive AE"),
            ("vae", "Variational AE (VAE)"),
            ("cvae", "Conditional VAE (CVAE)"),
            ("aae", "Adversarial AE"),
        ],
        ..SAME
    },
};
pub const HIDDEN: Setting = Setting {
    key: "hidden",
    path: "model.hidden",
    kind: Kind::List { min: 1, max: 4096, max_len: 8 },
    label: "hidden layer sizes",
    help: "Encoder widths separated by commas, e.g. 512,256; the decoder mirrors them. Empty: a linear map to the code.",
    page: Page { max: Some(2048.0), max_len: Some(4), default: Some(Literal::List(&[256])), ..SAME },
};
pub const LATENT: Setting = Setting {
    key: "latent",
    path: "model.latent",
    kind: Kind::Int { min: 1, max: 1024 },
    label: "latent size",
    help: "Dimensions of the code z; with 2 the plot shows the code itself.",
    page: Page { max: Some(64.0), default: Some(Literal::Int(2)), ..SAME },
};
pub const ACTIVATION: Setting = Setting {
    key: "activation",
    path: "model.activation",
    kind: Kind::Choice { choices: choices::<Activation>, aliases: aliases::<Activation> },
    label: "activation",
    help: "The hidden layers' nonlinearity; identity makes the autoencoder linear (PCA-like).",
    page: Page { labels: &[("relu", "ReLU"), ("leaky_relu", "Leaky ReLU"), ("identity", "identity (linear: PCA-like)")], ..SAME },
};
pub const INIT: Setting = Setting {
    key: "init",
    path: "model.init",
    kind: Kind::Init { param: Bounds { min: 1e-6, max: 10.0 } },
    label: "weight initialisation",
    help: "auto picks he for (leaky) ReLU layers and xavier for the rest; uniform:SCALE and normal:STD draw from U(±SCALE) and N(0, STD²).",
    page: SAME,
};
pub const DECODER: Setting = Setting {
    key: "decoder",
    path: "model.decoder",
    kind: Kind::Choice { choices: choices::<Decoder>, aliases: aliases::<Decoder> },
    label: "decoder",
    help: "The pixels' distribution p(x|z), hence the loss −log p(x|z) in nats per image: bernoulli is cross-entropy, gaussian squared error.",
    page: Page {
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
    page: Page { labels: &[("mask", "masking (drop pixels)"), ("gaussian", "Gaussian")], only: &["dae"], ..SAME },
};
pub const NOISE_LEVEL: Setting = Setting {
    key: "noise_level",
    path: "model.noise_level",
    kind: Kind::Float { min: 0.0, max: 10.0 },
    label: "noise level",
    help: "σ for gaussian noise, the drop probability for mask (below 1).",
    page: Page { max: Some(0.95), only: &["dae"], ..SAME },
};
pub const CONTRACTIVE: Setting = Setting {
    key: "contractive",
    path: "model.contractive",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "contractive weight",
    help: "λ, the weight of the contractive penalty ‖∂h/∂x‖²_F.",
    page: Page { max: Some(100.0), only: &["cae"], ..SAME },
};
pub const BETA: Setting = Setting {
    key: "beta",
    path: "model.beta",
    kind: Kind::Float { min: 0.0, max: 1000.0 },
    label: "KL weight β",
    help: "β, the weight of the KL term (β-VAE, Higgins et al. 2017): 1 is the plain VAE; more pulls the codes towards the prior at the cost of reconstruction, less does the opposite.",
    page: Page { max: Some(100.0), only: &["vae", "cvae"], ..SAME },
};
pub const PRIOR: Setting = Setting {
    key: "prior",
    path: "model.prior",
    kind: Kind::Choice { choices: choices::<Prior>, aliases: aliases::<Prior> },
    label: "prior",
    help: "The distribution the adversarial AE's discriminator makes the codes match: gaussian N(0, I), mog10 ten Gaussians on a circle, swiss_roll a spiral.",
    page: Page { labels: &[("gaussian", "Gaussian N(0, I)"), ("mog10", "10 Gaussians on a circle"), ("swiss_roll", "swiss roll")], only: &["aae"], ..SAME },
};
pub const AAE_LABELS: Setting = Setting {
    key: "aae_labels",
    path: "model.aae_labels",
    kind: Kind::Bool,
    label: "labels for the discriminator",
    help:
        "The discriminator also sees each image's label, and each class is matched to its own part of the prior (a mixture component or a segment of the roll).",
    page: Page { only: &["aae"], ..SAME },
};
pub const DISC_HIDDEN: Setting = Setting {
    key: "disc_hidden",
    path: "model.disc_hidden",
    kind: Kind::List { min: 1, max: 4096, max_len: 4 },
    label: "discriminator layer sizes",
    help: "The adversarial AE's discriminator widths, separated by commas; it reads a code and says whether it came from the prior.",
    page: Page { max: Some(1024.0), only: &["aae"], ..SAME },
};
pub const DISC_LR: Setting = Setting {
    key: "disc_lr",
    path: "train.disc_lr",
    kind: Kind::Float { min: 1e-6, max: 100.0 },
    label: "adversarial learning rate",
    help: "The step size of the game: the discriminator's updates and the encoder's updates to fool it (reconstruction uses the learning rate). Each has its own optimiser.",
    page: Page { max: Some(10.0), only: &["aae"], ..SAME },
};
pub const GEN_STEPS: Setting = Setting {
    key: "gen_steps",
    path: "train.gen_steps",
    kind: Kind::Int { min: 1, max: 10 },
    label: "generator steps per batch",
    help: "How many times per batch the encoder is updated to fool the discriminator.",
    page: Page { only: &["aae"], ..SAME },
};
pub const OPTIMIZER: Setting = Setting {
    key: "optimizer",
    path: "train.optimizer",
    kind: Kind::Choice { choices: choices::<OptimizerKind>, aliases: aliases::<OptimizerKind> },
    label: "optimiser",
    help: "sgd, sgd with momentum 0.9, or adam (β = 0.9, 0.999).",
    page: Page { labels: &[("adam", "Adam"), ("momentum", "SGD + momentum"), ("sgd", "SGD")], ..SAME },
};
pub const LR: Setting = Setting {
    key: "lr",
    path: "train.lr",
    kind: Kind::Float { min: 1e-6, max: 100.0 },
    label: "learning rate",
    help: "The step size; adam works around 0.001, sgd wants more.",
    page: Page { max: Some(10.0), ..SAME },
};
pub const BATCH: Setting = Setting {
    key: "batch",
    path: "train.batch",
    kind: Kind::Int { min: 1, max: 4096 },
    label: "batch size",
    help: "Images per training step.",
    page: Page { max: Some(1024.0), default: Some(Literal::Int(100)), ..SAME },
};
pub const BATCH_ORDER: Setting = Setting {
    key: "batch_order",
    path: "train.batch_order",
    kind: Kind::Choice { choices: choices::<BatchOrder>, aliases: aliases::<BatchOrder> },
    label: "batch order",
    help: "after_init: shuffled by the seed's generator after the initial weights are drawn; seed: by the seed alone, so models of any shape see the same batches in the same order (compare mode uses it).",
    page: Page { labels: &[("after_init", "after the initialisation"), ("seed", "from the seed alone")], ..SAME },
};
pub const SEED: Setting = Setting {
    key: "seed",
    path: "train.seed",
    kind: Kind::Int { min: 0, max: u64::MAX },
    label: "seed",
    help: "Seeds the weights, batches and noise: the same seed and settings give the same run.",
    // A JS number holds whole numbers exactly only up to 2^53; a u32 is plenty.
    page: Page { max: Some(4294967295.0), ..SAME },
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
    OPTIMIZER,
    LR,
    DISC_LR,
    GEN_STEPS,
    BATCH,
    SEED,
    BATCH_ORDER,
    INPUT,
    CLASSES,
];

impl Setting {
    fn out_of_range(&self, got: impl fmt::Display, min: impl fmt::Display, max: impl fmt::Display) -> Error {
        Error::Config(format!("{} {got} must be between {min} and {max}", self.label))
    }

    /// Checks a whole number against an `Int` setting's limits.
    pub fn check_int(&self, v: u64) -> Result<()> {
        match self.kind {
            Kind::Int { min, max } if v < min || v > max => Err(self.out_of_range(v, min, max)),
            Kind::Int { .. } => Ok(()),
            _ => unreachable!("{} is not a whole number", self.key),
        }
    }

    /// Checks a float against a `Float` setting's limits (NaN and infinities fail).
    pub fn check_float(&self, v: f32) -> Result<()> {
        match self.kind {
            Kind::Float { min, max } => in_bounds(v, Bounds { min, max }).map_err(|_| self.out_of_range(v, num(min), num(max))),
            _ => unreachable!("{} is not a number", self.key),
        }
    }

    /// Checks a list's length and each entry against a `List` setting's limits.
    pub fn check_list(&self, v: &[usize]) -> Result<()> {
        let Kind::List { min, max, max_len } = self.kind else { unreachable!("{} is not a list", self.key) };
        if v.len() > max_len {
            return Err(Error::Config(format!("{}: at most {max_len} entries, got {}", self.label, v.len())));
        }
        match v.iter().find(|&&w| (w as u64) < min || w as u64 > max) {
            Some(w) => Err(Error::Config(format!("{}: {w} must be between {min} and {max}", self.label))),
            None => Ok(()),
        }
    }

    /// Checks an initialisation's parameter, if it has one.
    pub fn check_init(&self, init: &Init) -> Result<()> {
        let Kind::Init { param } = self.kind else { unreachable!("{} is not an initialisation", self.key) };
        let Value::Object(fields) = serde_json::to_value(init).expect("Init serialises") else { unreachable!("Init is a tagged struct") };
        for (field, v) in fields.iter().filter(|(k, _)| *k != "kind") {
            let x = v.as_f64().unwrap_or(f64::NAN) as f32;
            in_bounds(x, param).map_err(|_| Error::Config(format!("{} {field} {x} must be between {} and {}", self.label, num(param.min), num(param.max))))?;
        }
        Ok(())
    }

    /// Reads the setting from text as a person types it (a CLI flag): the value
    /// in the form the config's serde reads, checked against the core's limits,
    /// or a message that says what is allowed.
    pub fn value_from_text(&self, text: &str) -> std::result::Result<Value, String> {
        let text = text.trim();
        let checked = |r: Result<()>, v: Value| r.map(|_| v).map_err(|e| e.to_string().trim_start_matches("invalid configuration: ").to_string());
        match self.kind {
            Kind::Int { .. } => {
                let v = text.parse::<u64>().map_err(|_| format!("{} takes a whole number, not '{text}'", self.label))?;
                checked(self.check_int(v), json!(v))
            }
            Kind::Float { .. } => {
                let v = text.parse::<f32>().map_err(|_| format!("{} takes a number, not '{text}'", self.label))?;
                checked(self.check_float(v), json!(v))
            }
            Kind::List { .. } => {
                let widths = if text.is_empty() { Ok(Vec::new()) } else { text.split(',').map(|w| w.trim().parse::<usize>()).collect() };
                let widths = widths.map_err(|_| format!("{} takes comma-separated whole numbers like 512,256, not '{text}'", self.label))?;
                checked(self.check_list(&widths), json!(widths))
            }
            Kind::Choice { choices, aliases } => {
                let all = choices();
                all.iter()
                    .chain(&aliases())
                    .find(|&&c| c == text)
                    .map(|c| json!(c))
                    .ok_or_else(|| format!("{} must be one of {}, not '{text}'", self.label, all.join(", ")))
            }
            Kind::Bool => match text {
                "true" | "1" | "yes" | "on" => Ok(json!(true)),
                "false" | "0" | "no" | "off" => Ok(json!(false)),
                _ => Err(format!("{} is true or false, not '{text}'", self.label)),
            },
            Kind::Init { .. } => {
                let init = parse_init(text)?;
                checked(self.check_init(&init), serde_json::to_value(init).expect("Init serialises"))
            }
        }
    }

    /// The default as a person would type it (a CLI flag's default).
    pub fn default_text(&self) -> String {
        match self.default_value() {
            Value::Array(xs) => xs.iter().map(Value::to_string).collect::<Vec<_>>().join(","),
            Value::String(s) => s,
            v => v.to_string(),
        }
    }

    /// The core's default, in the form the page uses (init as text, floats as their f32 value's shortest decimal).
    pub fn default_value(&self) -> Value {
        let defaults = json!({ "model": ModelConfig::default(), "train": TrainConfig::default(), "dataset": DatasetName::default() });
        let v = self.path.split('.').try_fold(&defaults, |v, part| v.get(part)).unwrap_or_else(|| panic!("no config field at {}", self.path)).clone();
        match self.kind {
            Kind::Float { .. } => short_float(v.as_f64().expect("a number") as f32),
            Kind::Init { .. } => Value::String(init_text(&serde_json::from_value(v).expect("an Init"))),
            _ => v,
        }
    }

    /// The entry as the page reads it: the core's limits, and the page's own where stricter.
    pub fn to_json(&self) -> Value {
        let p = &self.page;
        let mut o = Map::new();
        o.insert("key".into(), json!(self.key));
        o.insert("path".into(), json!(self.path));
        o.insert("label".into(), json!(self.label));
        o.insert("help".into(), json!(self.help));
        o.insert("fixed".into(), json!(p.fixed));
        o.insert("only".into(), json!(p.only));
        let default = self.default_value();
        let page_default = match p.default {
            Some(Literal::Int(x)) => json!(x),
            Some(Literal::List(xs)) => json!(xs),
            None => default.clone(),
        };
        o.insert("page_default".into(), page_default);
        // The page's limits as numbers of the setting's type; a fixed setting's are its default.
        let whole = matches!(self.kind, Kind::Int { .. } | Kind::List { .. });
        let page_limit = |x: Option<f64>, core: &Value| match x {
            _ if p.fixed => default.clone(),
            Some(x) if whole => json!(x as u64),
            Some(x) => json!(x),
            None => core.clone(),
        };
        let limits = |o: &mut Map<String, Value>, min: Value, max: Value| {
            o.insert("page_min".into(), page_limit(p.min, &min));
            o.insert("page_max".into(), page_limit(p.max, &max));
            o.insert("min".into(), min);
            o.insert("max".into(), max);
        };
        match self.kind {
            Kind::Int { min, max } => {
                o.insert("type".into(), json!("int"));
                limits(&mut o, json!(min), json!(max));
            }
            Kind::Float { min, max } => {
                o.insert("type".into(), json!("float"));
                limits(&mut o, short_float(min), short_float(max));
            }
            Kind::List { min, max, max_len } => {
                o.insert("type".into(), json!("list"));
                limits(&mut o, json!(min), json!(max));
                o.insert("max_len".into(), json!(max_len));
                o.insert("page_max_len".into(), json!(p.max_len.unwrap_or(max_len)));
            }
            Kind::Choice { choices, .. } => {
                let all = choices();
                o.insert("type".into(), json!("choice"));
                let labels: Map<String, Value> = p.labels.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                o.insert("choice_labels".into(), Value::Object(labels));
                o.insert("page_choices".into(), json!(all.iter().filter(|c| !p.exclude.contains(c)).collect::<Vec<_>>()));
                o.insert("choices".into(), json!(all));
            }
            Kind::Init { param } => {
                o.insert("type".into(), json!("init"));
                let variants = init_variants();
                o.insert("choices".into(), json!(variants.iter().map(|(name, _)| name).collect::<Vec<_>>()));
                let params: Map<String, Value> = variants.into_iter().map(|(name, field)| (name.to_string(), json!(field))).collect();
                o.insert("params".into(), Value::Object(params));
                limits(&mut o, short_float(param.min), short_float(param.max));
            }
            Kind::Bool => {
                o.insert("type".into(), json!("bool"));
            }
        }
        o.insert("default".into(), default);
        Value::Object(o)
    }
}

/// The whole table as JSON, in order (what `www/shared/settings-table.js` exports).
pub fn table_json() -> Value {
    Value::Array(ALL.iter().map(Setting::to_json).collect())
}

/// The configurations that values set by path make (`model.latent`, `train.lr`,
/// `dataset`; serde's forms, as `value_from_text` gives them), every other
/// setting at its default, validated: what the CLI builds from its flags, as
/// the page's `toInit` does from the link.
pub fn configs_from(values: &[(&Setting, Value)]) -> Result<(ModelConfig, TrainConfig, DatasetName)> {
    let mut all = json!({ "model": ModelConfig::default(), "train": TrainConfig::default(), "dataset": DatasetName::default() });
    for (s, v) in values {
        let (parent, field) = s.path.rsplit_once('.').map_or((None, s.path), |(p, f)| (Some(p), f));
        let target = match parent {
            Some(p) => all.get_mut(p).and_then(Value::as_object_mut),
            None => all.as_object_mut(),
        };
        target.ok_or_else(|| Error::Config(format!("no configuration holds {}", s.path)))?.insert(field.to_string(), v.clone());
    }
    let read = |part: &str| all.get(part).cloned().unwrap_or(Value::Null);
    let model: ModelConfig = serde_json::from_value(read("model")).map_err(|e| Error::Config(e.to_string()))?;
    let train: TrainConfig = serde_json::from_value(read("train")).map_err(|e| Error::Config(e.to_string()))?;
    let dataset: DatasetName = serde_json::from_value(read("dataset")).map_err(|e| Error::Config(e.to_string()))?;
    model.validate()?;
    train.validate()?;
    Ok((model, train, dataset))
}

fn in_bounds(x: f32, b: Bounds) -> std::result::Result<(), ()> {
    if x.is_finite() && x >= b.min && x <= b.max {
        Ok(())
    } else {
        Err(())
    }
}

/// A limit as people write it: 1e-6, 0.95, 1000.
fn num(x: f32) -> String {
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// An f32 as the JSON number of its shortest decimal (0.3, not 0.30000001192092896).
fn short_float(x: f32) -> Value {
    json!(x.to_string().parse::<f64>().expect("a float prints as a number"))
}

// ------------------------------------------------------------------ serde names

/// Records what a derived `Deserialize` asked for, so the enum's own names can be read back.
#[derive(Debug, Default)]
struct Probe {
    variants: Option<&'static [&'static str]>,
    missing: Option<&'static str>,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe::default()
    }
    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        Probe { variants: Some(expected), missing: None }
    }
    fn missing_field(field: &'static str) -> Self {
        Probe { variants: None, missing: Some(field) }
    }
}

// No serde name contains a NUL, so this is never a variant.
const NOT_A_NAME: &str = "\0";

/// Every name serde accepts for a unit enum (aliases included), in declaration order.
fn accepted_names<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(StrDeserializer::<Probe>::new(NOT_A_NAME)) {
        Err(Probe { variants: Some(v), .. }) => v,
        _ => panic!("{} is not a unit enum", std::any::type_name::<T>()),
    }
}

/// The serde name of a unit variant.
pub fn name<T: Serialize + DeserializeOwned>(v: &T) -> &'static str {
    let text = serde_json::to_value(v).ok();
    let text = text.as_ref().and_then(Value::as_str).unwrap_or_else(|| panic!("{} is not a unit enum", std::any::type_name::<T>()));
    accepted_names::<T>().iter().find(|n| **n == text).expect("serde serialises to a name it accepts")
}

/// The variant serde calls `s` (or accepts as an alias).
pub fn parse<T: DeserializeOwned>(s: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<de::value::Error>::new(s)).ok()
}

/// The names a unit enum is written with (aliases left out), in declaration order.
pub fn choices<T: Serialize + DeserializeOwned>() -> Vec<&'static str> {
    accepted_names::<T>().iter().copied().filter(|n| parse::<T>(n).is_some_and(|v| name(&v) == *n)).collect()
}

/// Other names serde also accepts for a unit enum (`swiss-roll` for `swiss_roll`).
pub fn aliases<T: Serialize + DeserializeOwned>() -> Vec<&'static str> {
    let canonical = choices::<T>();
    accepted_names::<T>().iter().copied().filter(|n| !canonical.contains(n)).collect()
}

/// `Init`'s variants (its `kind` tag), each with the name of its one parameter, if any.
pub fn init_variants() -> Vec<(&'static str, Option<&'static str>)> {
    let tagged = |kind: &str| Init::deserialize_probe(kind);
    let Err(Probe { variants: Some(names), .. }) = tagged(NOT_A_NAME) else { panic!("Init is an internally tagged enum") };
    names
        .iter()
        .map(|&n| match tagged(n) {
            Ok(_) => (n, None),
            Err(Probe { missing: Some(field), .. }) => (n, Some(field)),
            Err(e) => panic!("Init variant {n}: {e}"),
        })
        .collect()
}

impl Init {
    fn deserialize_probe(kind: &str) -> std::result::Result<Init, Probe> {
        use serde::Deserialize;
        Init::deserialize(MapDeserializer::<_, Probe>::new([("kind", kind)].into_iter()))
    }
}

/// `Init` as a word: its variant's name, then `:VALUE` for the one with a parameter (`he`, `normal:0.01`).
pub fn init_text(init: &Init) -> String {
    let Value::Object(fields) = serde_json::to_value(init).expect("Init serialises") else { unreachable!("Init is a tagged struct") };
    let kind = fields.get("kind").and_then(Value::as_str).expect("Init has a kind").to_string();
    match fields.iter().find(|(k, _)| *k != "kind") {
        Some((_, v)) => format!("{kind}:{}", v.as_f64().expect("a number") as f32),
        None => kind,
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&init_text(self))
    }
}

/// The forms `parse_init` takes: "uniform:SCALE, normal:STD, xavier, he, lecun_uniform, auto".
pub fn init_forms() -> String {
    let forms: Vec<String> = init_variants().iter().map(|(n, p)| p.map_or(n.to_string(), |p| format!("{n}:{}", p.to_uppercase()))).collect();
    forms.join(", ")
}

/// Reads `init_text`'s form back, through serde.
pub fn parse_init(s: &str) -> std::result::Result<Init, String> {
    let variants = init_variants();
    let (kind, value) = s.split_once(':').map_or((s, None), |(k, v)| (k, Some(v)));
    let Some(&(_, param)) = variants.iter().find(|(n, _)| *n == kind) else {
        return Err(format!("unknown initialisation '{s}' (expected {})", init_forms()));
    };
    let mut fields = Map::new();
    fields.insert("kind".into(), json!(kind));
    match (param, value) {
        (None, None) => {}
        (Some(p), Some(v)) => {
            // NaN and infinities parse as f32 but are no JSON number: refuse them here, in words.
            let x = v.trim().parse::<f32>().ok().filter(|x| x.is_finite());
            let x = x.ok_or_else(|| format!("initialisation {kind} takes a number after the colon, not '{v}'"))?;
            fields.insert(p.into(), json!(x));
        }
        (Some(p), None) => return Err(format!("initialisation {kind} needs its {p}, e.g. {kind}:0.05")),
        (None, Some(_)) => return Err(format!("initialisation {kind} takes no value")),
    }
    let init: Init = serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())?;
    INIT.check_init(&init).map_err(|e| e.to_string())?;
    Ok(init)
}

/// `name`, `parse`, `choices` and `Display` for unit enums, all from serde.
macro_rules! serde_names {
    ($($t:ty),*) => {$(
        impl $t {
            /// The serde name.
            pub fn name(self) -> &'static str {
                name(&self)
            }
            /// The variant with this serde name (or alias).
            pub fn parse(s: &str) -> Option<Self> {
                parse(s)
            }
            /// Every variant, in declaration order.
            pub fn all() -> Vec<Self> {
                choices::<Self>().into_iter().filter_map(parse).collect()
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    )*};
}
serde_names!(ModelKind, Decoder, NoiseKind, Activation, OptimizerKind, DatasetName, Prior);
