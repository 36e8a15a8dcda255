//! Facts about the choices of a setting that the page would otherwise retype:
//! each dataset's folder, whether it is made black and white and its words, each model
//! kind's facts, caption and the loss terms it reports. The table hands them to the page as JSON.

use super::name;
use crate::config::ModelKind;
use crate::data::DatasetName;
use crate::stats::{Term, TERMS};

/// What the page says of a dataset: its title, its classes' names (in label
/// order), the words for one and for many of its images, and how a drawing is
/// prepared to look like one of them. So no sentence says "digit" over Fashion-MNIST.
fn dataset_words(d: DatasetName) -> (&'static str, [&'static str; 10], &'static str, &'static str, &'static str) {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    const GARMENTS: [&str; 10] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
    match d {
        DatasetName::Mnist => ("MNIST", DIGITS, "digit", "digits", "as MNIST’s digits were prepared"),
        DatasetName::MnistBinary => ("MNIST, black and white", DIGITS, "digit", "digits", "as MNIST’s digits were prepared"),
        DatasetName::FashionMnist => ("Fashion-MNIST", GARMENTS, "garment", "garments", "as Fashion-MNIST’s product photos were prepared"),
    }
}

/// What the worker and the page need to know of each dataset: the folder its
/// files are in, whether its pixels are made black or white after loading,
/// and the page's words for it (`dataset_words`).
pub(super) fn dataset_facts() -> serde_json::Value {
    use crate::data::DatasetName::*;
    let facts = |d: DatasetName| {
        let (title, classes, item, items, made) = dataset_words(d);
        serde_json::json!({ "dir": d.dir_name(), "binary": d.binary(), "title": title, "classes": classes, "item": item, "items": items, "made": made })
    };
    serde_json::Value::Object([Mnist, FashionMnist, MnistBinary].into_iter().map(|d| (name(&d).to_string(), facts(d))).collect())
}

/// What the page says a model kind is, under its diagram.
fn model_caption(k: ModelKind) -> &'static str {
    match k {
        ModelKind::Ae => "Encoder squeezes x into a code z, decoder rebuilds x̂; the loss is reconstruction only.",
        ModelKind::Dae => "Denoising: corrupt x, rebuild the clean x. It must learn what the images look like, not copy pixels (Vincent et al. 2008).",
        ModelKind::Cae => "Contractive: adds λ‖∂z/∂x‖², so the code barely moves when x wiggles off the data (Rifai et al. 2011).",
        ModelKind::Vae => "Variational: q(z|x) = N(μ, σ²). Loss = reconstruction + KL to the prior N(0, I): the negative ELBO (Kingma & Welling 2014).",
        ModelKind::Cvae => "Conditional VAE: encoder and decoder also get the label, so z need only hold the style (Sohn et al. 2015).",
        ModelKind::Aae => "Adversarial: a discriminator tells prior samples from codes, and the encoder learns to fool it, so the codes take the prior’s shape (Makhzani et al. 2015).",
        ModelKind::Hash => "Semantic hashing: noise before a sigmoid code drives each code unit to 0 or 1, so an image becomes a few bits, and similar images get nearby bits (Salakhutdinov & Hinton 2009).",
        ModelKind::Vaegan => "VAE-GAN: a VAE whose reconstruction is judged in the features of a discriminator that tells real images from decoded ones, and whose decoder learns to fool it, for sharper samples (Larsen et al. 2016).",
        ModelKind::Classifier => "A classifier: an MLP that labels images.",
    }
}

/// What the page needs to know of each model kind, from `ModelKind` itself.
pub(super) fn model_facts() -> serde_json::Value {
    use crate::config::ModelKind::*;
    // The figures shown beside the loss, with how each reads (`stats::TERMS`).
    let terms = |k: ModelKind| -> Vec<&Term> { k.terms().iter().filter_map(|n| TERMS.iter().find(|t| t.name == *n)).filter(|t| t.shown).collect() };
    let facts = |k: ModelKind| serde_json::json!({ "variational": k.is_variational(), "conditional": k.is_conditional(), "adversarial": k.is_adversarial(), "prior": k.has_prior(), "caption": model_caption(k), "terms": terms(k) });
    serde_json::Value::Object([Ae, Dae, Cae, Vae, Cvae, Aae, Hash, Vaegan, Classifier].into_iter().map(|k| (name(&k).to_string(), facts(k))).collect())
}
