//! Lecture 4: what the VAE adds to an autoencoder. Both can be sampled once a
//! density is fitted to their codes (Ghosh et al. 2020 make the point; here a
//! Gaussian fitted to the AE's training codes is measured too, shown and not
//! credited). What the VAE adds is a prior known before training: codes drawn
//! from N(0, I), with nothing fitted afterwards, decode to digits. And a
//! bound on the likelihood (its test loss, −ELBO, shown). A smoother code
//! space, which the lecture also credits it with, is measured and not earned
//! at this length. Samples are judged
//! by a classifier that is no part of either model (judge.rs).

use ndarray::{Array2, Axis};

use super::judge::{confident_share, top_probabilities};
use super::{encode_all, Figures, Lesson, Probe, Rule, Side};
use crate::error::{Error, Result};
use crate::models::Model;
use crate::rng::Rng;
use crate::trainer::evaluate;

macro_rules! net {
    () => {
        "hidden=256&latent=16&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.001&batch=100&seed=1"
    };
}
const SAMPLES: usize = 500;
const PAIRS: usize = 200;
const THRESHOLD: f32 = 0.9;
/// Training images whose codes the fitted Gaussian is fitted to (no test codes).
const FIT_IMAGES: usize = 10_000;
const SAMPLE_SEED: u64 = 0xae5a_4b1e_0f0e_0009;
const PAIR_SEED: u64 = 0x9a15_0f7e_5701_0a1d;

pub static LESSON: Lesson = Lesson {
    name: "ae-vs-vae",
    sides: &[Side { key: "ae", label: "Autoencoder", link: concat!("model=ae&", net!()) }, Side { key: "vae", label: "VAE", link: concat!("model=vae&", net!()) }],
    batches: 400,
    neutral: "b.model=ae",
    needs_judge: true,
    rules: &[
        Rule {
            id: "prior-known-before-training",
            says: "Codes drawn from N(0, I), a prior fixed before training with nothing fitted afterwards, decode to digits the classifier reads with confidence far more often for the VAE than for the plain autoencoder.",
            measure: "share of 500 samples from N(0, I) read with probability above 0.9, VAE minus AE",
            above: Some(0.06),
            below: None,
            seeds: [0.12, 0.19],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "smooth-paths",
            says: "The lecture also credits the VAE with a smoother code space: along a straight path between two test codes, the classifier’s confidence should dip less. Not earned here: measured as that dip (below its mean at the two ends), the VAE’s paths dip as much as the autoencoder’s or more.",
            measure: "mean dip of the classifier’s top probability along 200 paths between test codes, AE minus VAE",
            above: Some(0.02),
            below: None,
            seeds: [-0.043, -0.020],
            neutralised: true,
            earned: false,
        },
    ],
    figures,
    values,
};

fn figures(p: &mut Probe) -> Result<Figures> {
    let judge = p.judge.as_deref_mut().ok_or_else(|| Error::Probe("this lesson needs the judging classifier".into()))?;
    let model: &mut dyn Model = p.model;
    let k = model.config().latent;
    let mut rng = Rng::new(SAMPLE_SEED);
    let standard = Array2::from_shape_fn((SAMPLES, k), |_| rng.normal());
    let prior = confident_share(judge, &decode(model, &standard)?.view(), THRESHOLD);

    // A diagonal Gaussian fitted to training codes: the autoencoder's fair second chance.
    let fit = encode_all(model, &p.train.take(FIT_IMAGES));
    let (mean, std) = (fit.mean_axis(Axis(0)).expect("codes"), fit.std_axis(Axis(0), 0.0));
    let fitted = Array2::from_shape_fn((SAMPLES, k), |(_, j)| mean[j] + std[j] * rng.normal());
    let fitted = confident_share(judge, &decode(model, &fitted)?.view(), THRESHOLD);

    let codes = encode_all(model, p.test);
    let (midpoints, dip) = paths(model, judge, &codes)?;
    let test_loss = evaluate(model, p.test).stats.loss as f64;
    Ok(Figures::from([
        ("confidentPrior".into(), prior),
        ("confidentFitted".into(), fitted),
        ("confidentMidpoints".into(), midpoints),
        ("pathDip".into(), dip),
        ("testLoss".into(), test_loss),
    ]))
}

/// Along straight lines between the codes of random test pairs: the share of
/// decoded midpoints read with confidence, and the mean dip of the judge's
/// top probability along the path (its lowest at t = ¼, ½, ¾) below the mean
/// at the two ends, so a blurrier decoder is not penalised for its ends.
fn paths(model: &mut dyn Model, judge: &mut dyn Model, codes: &Array2<f32>) -> Result<(f64, f64)> {
    const TS: [f32; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];
    let k = codes.ncols();
    let mut rng = Rng::new(PAIR_SEED);
    let mut z = Array2::<f32>::zeros((PAIRS * TS.len(), k));
    for p in 0..PAIRS {
        let (a, b) = (rng.below(codes.nrows()), rng.below(codes.nrows()));
        for (i, &t) in TS.iter().enumerate() {
            for j in 0..k {
                z[[p * TS.len() + i, j]] = (1.0 - t) * codes[[a, j]] + t * codes[[b, j]];
            }
        }
    }
    let top = top_probabilities(judge, &decode(model, &z)?.view());
    let (mut mid, mut dip) = (0usize, 0.0f64);
    for p in top.chunks_exact(TS.len()) {
        mid += (p[2] > THRESHOLD as f64) as usize;
        dip += 0.5 * (p[0] + p[4]) - p[1].min(p[2]).min(p[3]);
    }
    Ok((mid as f64 / PAIRS as f64, dip / PAIRS as f64))
}

fn decode(model: &mut dyn Model, z: &Array2<f32>) -> Result<Array2<f32>> {
    let n = z.nrows();
    let g = model.generative().ok_or_else(|| Error::Probe("this lesson needs a decoder".into()))?;
    Ok(g.decode(&z.view(), &vec![0; n]))
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![g(1, "confidentPrior") - g(0, "confidentPrior"), g(0, "pathDip") - g(1, "pathDip")]
}
