//! Lecture 2: the manifold hypothesis. Digits fill a thin, curved region of
//! pixel space. Halfway along a straight line between two digits in pixel
//! space lies an overlay of two faint digits; halfway between their codes in
//! a trained autoencoder, decoded, lies something closer to one digit.
//! Judged over 200 random test pairs by a classifier that is no part of the
//! model (judge.rs): its confidence that a midpoint is one digit. A decoder's
//! blur lowers that confidence, so blur counts against the claim rather than
//! faking it (a raw L2 distance to the nearest training image would reward
//! it). The walk uses a 16-number code (a 2-D code's decoder is too blurry
//! to read), the map a 2-D one. The neutral link makes both autoencoders
//! linear, maps that cannot bend. And
//! PCA is the linear 2-D map that keeps the most variance; whether it keeps
//! the classes apart is a separate question, measured by 5-NN accuracy.

use ndarray::{s, Array2};

use super::judge::top_probabilities;
use super::{encode_all, first, Figures, Lesson, Probe, Rule, Side};
use crate::error::{Error, Result};
use crate::measures::{knn_accuracy, pca_plane, project};
use crate::models::Model;
use crate::rng::Rng;

macro_rules! net {
    () => {
        "model=ae&hidden=256&activation=relu&decoder=bernoulli&optimizer=adam&lr=0.002&batch=100&seed=1"
    };
}
const PAIRS: usize = 200;
const MAP_POINTS: usize = 1000;
const K: usize = 5;
const PAIR_SEED: u64 = 0x3a71_f01d_0000_0002;

pub static LESSON: Lesson = Lesson {
    name: "manifold",
    sides: &[
        Side { key: "walk", label: "Autoencoder with a 16-number code (the walk)", link: concat!("latent=16&", net!()) },
        Side { key: "map", label: "Autoencoder with a 2-D code (the map)", link: concat!("latent=2&", net!()) },
    ],
    batches: 300,
    needs_judge: true,
    neutral: "a.activation=identity&b.activation=identity",
    rules: &[
        Rule {
            id: "code-midpoints-are-digits",
            says: "Halfway between two test digits, the decoded midpoint of their codes is read as one digit more confidently than the overlaid midpoint in pixel space, though the decoder’s blur counts against it.",
            measure: "classifier’s mean top probability at the midpoints of 200 random test pairs, code space minus pixel space",
            above: Some(0.016),
            below: None,
            seeds: [0.031, 0.053],
            neutralised: true,
            earned: true,
        },
        Rule {
            id: "map-keeps-classes",
            says: "The autoencoder’s 2-D map keeps the classes apart better than PCA’s 2-D plane (the linear map that keeps the most variance, which is not the same as keeping classes apart). Not earned at this length: at one seed of five the two are almost level.",
            measure: "5-NN accuracy on 1,000 test images’ 2-D maps, autoencoder minus PCA",
            above: Some(0.04),
            below: None,
            seeds: [0.02, 0.154],
            neutralised: true,
            earned: false,
        },
    ],
    figures,
    values,
};

fn figures(p: &mut Probe) -> Result<Figures> {
    let judge = p.judge.as_deref_mut().ok_or_else(|| Error::Probe("this lesson needs the judging classifier".into()))?;
    let codes = encode_all(p.model, p.test);
    let n = codes.nrows();
    let mut rng = Rng::new(PAIR_SEED);
    let pairs: Vec<(usize, usize)> = (0..PAIRS).map(|_| (rng.below(n), rng.below(n))).collect();
    // Rows 3r, 3r+1, 3r+2: one end, the other, the midpoint; in pixel space and in code space.
    let mut pixels = Array2::<f32>::zeros((3 * PAIRS, p.test.dim()));
    let mut z = Array2::<f32>::zeros((3 * PAIRS, codes.ncols()));
    for (r, &(a, b)) in pairs.iter().enumerate() {
        let (xa, xb) = (p.test.images(a, a + 1), p.test.images(b, b + 1));
        pixels.row_mut(3 * r).assign(&xa.row(0));
        pixels.row_mut(3 * r + 1).assign(&xb.row(0));
        pixels.row_mut(3 * r + 2).assign(&((&xa.row(0) + &xb.row(0)) * 0.5));
        z.row_mut(3 * r).assign(&codes.row(a));
        z.row_mut(3 * r + 1).assign(&codes.row(b));
        z.row_mut(3 * r + 2).assign(&((&codes.row(a) + &codes.row(b)) * 0.5));
    }
    let g = p.model.generative().ok_or_else(|| Error::Probe("this lesson needs a decoder".into()))?;
    let decoded = g.decode(&z.view(), &vec![0; z.nrows()]);
    let (pixel_ends, pixel_mid) = ends_and_middle(judge, &pixels);
    let (code_ends, code_mid) = ends_and_middle(judge, &decoded);

    let labels = &p.test.labels[..MAP_POINTS.min(n)];
    let ae_knn = knn_accuracy(&codes.slice(s![..labels.len(), ..]), labels, K)?;
    let (x, _) = first(p.test, labels.len());
    let plane = pca_plane(&x.view())?;
    let pca_knn = knn_accuracy(&project(&x.view(), &plane)?.view(), labels, K)?;
    Ok(Figures::from([
        ("pixelEnds".into(), pixel_ends),
        ("pixelMid".into(), pixel_mid),
        ("codeEnds".into(), code_ends),
        ("codeMid".into(), code_mid),
        ("aeKnn".into(), ae_knn),
        ("pcaKnn".into(), pca_knn),
        ("pcaExplained".into(), plane.explained),
    ]))
}

/// The judge's mean top probability over the paths' ends and over their midpoints (rows in threes).
fn ends_and_middle(judge: &mut dyn Model, images: &Array2<f32>) -> (f64, f64) {
    let top = top_probabilities(judge, &images.view());
    let (mut ends, mut mid) = (0.0, 0.0);
    for t in top.chunks_exact(3) {
        ends += 0.5 * (t[0] + t[1]);
        mid += t[2];
    }
    let n = (top.len() / 3).max(1) as f64;
    (ends / n, mid / n)
}

fn values(s: &[Figures]) -> Vec<f64> {
    let g = |i: usize, n: &str| super::get(&s[i], n);
    vec![g(0, "codeMid") - g(0, "pixelMid"), g(1, "aeKnn") - g(1, "pcaKnn")]
}
