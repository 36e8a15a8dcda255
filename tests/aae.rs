//! The adversarial autoencoder on real MNIST: its codes take the shape of
//! the prior it is given, judged on the 10,000 test images with stated
//! statistics (see `src/prior.rs`), and its model file keeps its prior.

use crate::common;

use std::collections::BTreeMap;

use ae_playground::config::{ModelConfig, ModelKind, Prior, TrainConfig};
use ae_playground::prior::{self, PriorFit};
use ae_playground::{build, io, Error, Model, Rng, Split, Trainer};

/// The page's default network: 784-256-2 and back, ReLU, Bernoulli decoder.
fn aae(prior: Prior, aae_labels: bool) -> ModelConfig {
    ModelConfig { kind: ModelKind::Aae, hidden: vec![256], latent: 2, prior, aae_labels, ..ModelConfig::default() }
}

/// One epoch of the 60,000 training images at batch 100 (600 steps of each phase).
fn trained(cfg: &ModelConfig, seed: u64) -> Trainer {
    let data = common::mnist(Split::Train);
    let mut t = Trainer::new(cfg, &TrainConfig { batch: 100, seed, ..TrainConfig::default() }).unwrap();
    t.init_output(data);
    t.train_batches(data, data.len() / 100).unwrap();
    t
}

/// The test codes' fit to `prior`; the MMD over the first 2,000 codes.
fn test_fit(model: &mut dyn Model, prior: Prior) -> PriorFit {
    let test = common::mnist(Split::Test);
    let codes = model.encode(&test.images(0, test.len()).view(), &test.labels);
    prior::fit(prior, &codes.view(), &test.labels, 2000, &mut Rng::new(1))
}

/// The lecture's picture: told the labels, the discriminator makes each
/// digit's codes gather in its own component of the mixture. Chance is 0.1;
/// after this one epoch we measured 0.677 (the test's seed 1) with a 64-64
/// discriminator, 0.628 with the 400-400 default.
#[test]
fn labelled_mixture_aae_sends_most_test_codes_to_their_labels_component() {
    let mut t = trained(&aae(Prior::Mog10, true), 1);
    let fit = test_fit(t.model.as_mut(), Prior::Mog10);
    let acc = fit.component_accuracy.expect("the mixture has components");
    eprintln!("labelled mog10, 1 epoch: {fit:?}");
    assert!(acc > 0.5, "only {acc:.3} of test codes are nearest their label's component (chance 0.1)");
}

/// With the Gaussian prior the codes' mean and covariance approach 0 and I,
/// and their MMD to N(0, I) (Gaussian kernel, h = 1) falls well below that
/// of a plain autoencoder's codes, which nothing pulls towards any prior.
/// Measured (400-400 discriminator): AAE mean 0.08 from 0, covariance 0.35
/// from I, MMD² 0.010; the plain AE 0.99, 6.7 and 0.060.
#[test]
fn gaussian_aae_codes_fit_n01_far_better_than_a_plain_autoencoders() {
    let mut a = trained(&aae(Prior::Gaussian, false), 1);
    let fit = test_fit(a.model.as_mut(), Prior::Gaussian);
    let mut plain = trained(&ModelConfig { kind: ModelKind::Ae, ..aae(Prior::Gaussian, false) }, 1);
    let ae = test_fit(plain.model.as_mut(), Prior::Gaussian);
    eprintln!("gaussian AAE: {fit:?}\nplain AE:     {ae:?}");
    assert!(fit.mean_norm < 0.5 && fit.mean_norm < ae.mean_norm / 2.0, "the codes' mean is {:.3} from 0 (plain AE {:.3})", fit.mean_norm, ae.mean_norm);
    assert!(fit.cov_dev < 0.6 && ae.cov_dev > 2.0, "the codes' covariance is {:.3} from I (Frobenius; plain AE {:.3})", fit.cov_dev, ae.cov_dev);
    assert!(fit.mmd2 < ae.mmd2 / 2.0, "MMD² to N(0, I): AAE {:.4}, plain AE {:.4}", fit.mmd2, ae.mmd2);
}

#[test]
fn a_saved_aae_keeps_its_prior_labels_and_discriminator() {
    let cfg = ModelConfig { hidden: vec![32], disc_hidden: vec![16, 8], ..aae(Prior::SwissRoll, true) };
    let mut m = build(&cfg, &mut Rng::new(4)).unwrap();
    let bytes = io::save(m.as_mut(), &BTreeMap::new());
    let mut loaded = io::load(&bytes).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&loaded.metadata["config"]).unwrap();
    assert_eq!((meta["prior"].as_str(), meta["aae_labels"].as_bool()), (Some("swiss_roll"), Some(true)));
    assert_eq!(loaded.model.config(), &cfg);
    let tensors = |m: &mut dyn Model| {
        let mut v = Vec::new();
        m.visit(&mut |name, _, w, _| v.push((name.to_string(), w.to_vec())));
        v
    };
    let (a, b) = (tensors(m.as_mut()), tensors(loaded.model.as_mut()));
    assert!(a.iter().any(|(n, _)| n.starts_with("discriminator.")), "the discriminator is saved");
    assert_eq!(a, b);
}

/// The divergence rule holds for the game too: an absurd learning rate ends
/// in an error and the weights of the last snapshot, all of them finite.
#[test]
fn a_diverging_aae_is_stopped_and_rolled_back() {
    let data = common::mnist(Split::Train).take(3000);
    let cfg = ModelConfig { hidden: vec![64], ..aae(Prior::Gaussian, false) };
    let mut t = Trainer::new(&cfg, &TrainConfig { lr: 50.0, disc_lr: 50.0, batch: 100, ..TrainConfig::default() }).unwrap();
    let err = (0..200).find_map(|_| t.step(&data).err()).expect("lr 50 diverges within 200 steps");
    assert!(matches!(err, Error::Diverged { .. }), "{err}");
    let mut finite = true;
    t.model.visit(&mut |_, _, w, _| finite &= w.iter().all(|v| v.is_finite()));
    assert!(finite, "the rolled-back weights are finite");
}

#[test]
fn odd_latent_sizes_are_refused_for_the_planar_priors() {
    let err = build(&ModelConfig { latent: 3, ..aae(Prior::Mog10, false) }, &mut Rng::new(1)).err().expect("refused");
    assert!(err.to_string().contains("must be even"), "{err}");
    assert!(build(&ModelConfig { latent: 3, ..aae(Prior::Gaussian, false) }, &mut Rng::new(1)).is_ok());
}
