//! The adversarial autoencoder's priors p(z), drawn from the one seeded
//! generator, and the statistics that say how well codes fit them.
//!
//! The mixture and the swiss roll follow the lecture code's variant (after
//! Makhzani et al. 2015, fig. 2 and 4): both are planar shapes laid in each
//! pair of code dimensions, cut into ten parts, one per class, so a label can
//! pick its part when the discriminator is told the labels.

use ndarray::{Array2, ArrayView2};

use crate::config::Prior;
use crate::latent::pca::symmetric_eigen;
use crate::rng::Rng;

/// Parts of the mixture and of the roll: one per MNIST class.
pub const COMPONENTS: usize = 10;
/// The mixture's components sit on a circle of this radius…
const RADIUS: f32 = 1.4;
/// …each a Gaussian elongated along the radius (these standard deviations).
const RADIAL_STD: f32 = 0.5;
const TANGENTIAL_STD: f32 = 0.1;
/// The roll's outer radius and the angle it turns through (two turns).
const ROLL_RADIUS: f32 = 3.0;
const ROLL_TURNS: f32 = 4.0 * std::f32::consts::PI;

/// Writes one draw from `prior` into `z` (the code's dimensions). `label`
/// picks the mixture component or roll segment (ignored by the Gaussian);
/// without one, the part is drawn uniformly, which gives the whole prior.
/// Every pair of dimensions uses the same part.
pub fn sample_into(prior: Prior, label: Option<u8>, rng: &mut Rng, z: &mut [f32]) {
    if prior == Prior::Gaussian {
        z.iter_mut().for_each(|v| *v = rng.normal());
        return;
    }
    let part = match label {
        Some(l) => (l as usize).min(COMPONENTS - 1),
        None => rng.below(COMPONENTS),
    };
    for pair in z.chunks_exact_mut(2) {
        let [x, y] = match prior {
            Prior::Mog10 => {
                // Draw along the x axis, then rotate onto the component's angle.
                let (a, b) = (RADIUS + RADIAL_STD * rng.normal(), TANGENTIAL_STD * rng.normal());
                let (s, c) = component_angle(part).sin_cos();
                [a * c - b * s, a * s + b * c]
            }
            Prior::SwissRoll => {
                // Position along the roll in [0, 1); the part is one tenth of it.
                roll_point((part as f32 + rng.uniform()) / COMPONENTS as f32)
            }
            Prior::Gaussian => unreachable!("handled above"),
        };
        pair[0] = x;
        pair[1] = y;
    }
}

/// The σ of the Gaussian noise the adversarial AE adds to both the prior
/// samples and the codes its discriminator reads ("instance noise", Sønderby
/// et al. 2016; Arjovsky & Bottou 2017, sec. 3). The roll is a curve, of no
/// width: codes anywhere off it and samples on it have disjoint supports, a
/// discriminator tells them apart perfectly (accuracy 0.99 after 10 epochs)
/// and its gradient then says little about where the curve lies, so the codes
/// stayed in clouds beside their segments (0.32 of test codes nearest their
/// own segment). Blurred by the same noise on both sides, the two overlap and
/// the verdicts vary smoothly towards the roll, while the target stays the
/// same: codes ∗ N(0, σ²) matches roll ∗ N(0, σ²) only when the codes match
/// the roll. 0.3 is a fifth of the 1.5 between the roll's turns, so the blur
/// does not join them (1.0 did, and failed). The Gaussian and the mixture have
/// a density everywhere and need none (see docs/quality.md for the figures).
pub fn instance_noise(prior: Prior) -> f32 {
    match prior {
        Prior::SwissRoll => 0.3,
        Prior::Gaussian | Prior::Mog10 => 0.0,
    }
}

/// `n` draws `(n, latent)`; with `labels` (n of them) row r comes from part `labels[r]`.
pub fn sample(prior: Prior, latent: usize, n: usize, labels: Option<&[u8]>, rng: &mut Rng) -> Array2<f32> {
    let mut z = Array2::zeros((n, latent));
    for (r, mut row) in z.rows_mut().into_iter().enumerate() {
        let label = labels.and_then(|l| l.get(r).copied());
        sample_into(prior, label, rng, row.as_slice_mut().expect("contiguous"));
    }
    z
}

fn component_angle(k: usize) -> f32 {
    std::f32::consts::TAU * k as f32 / COMPONENTS as f32
}

/// The mean of mixture component `k` in one pair of dimensions.
pub fn component_centre(k: usize) -> [f32; 2] {
    let (s, c) = component_angle(k).sin_cos();
    [RADIUS * c, RADIUS * s]
}

/// The mixture component whose centre (repeated in every pair of dimensions)
/// lies nearest `code` in Euclidean distance.
pub fn nearest_component(code: &[f32]) -> usize {
    let dist = |k: usize| {
        let c = component_centre(k);
        code.chunks_exact(2).map(|p| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sum::<f32>()
    };
    (0..COMPONENTS).min_by(|&a, &b| dist(a).total_cmp(&dist(b))).expect("ten components")
}

/// Points along the roll searched for the one nearest a code: 4,000 over its
/// length of about 30, so a code is placed to within about 0.004 along it.
const ROLL_SEARCH: usize = 4000;

/// The roll's point at position `t` in [0, 1] along it.
fn roll_point(t: f32) -> [f32; 2] {
    let (r, angle) = (ROLL_RADIUS * t.sqrt(), ROLL_TURNS * t.sqrt());
    [r * angle.cos(), r * angle.sin()]
}

/// The `ROLL_SEARCH + 1` points along the roll that `nearest_on_roll` searches,
/// computed once for a whole set of codes.
pub fn roll_points() -> Vec<[f32; 2]> {
    (0..=ROLL_SEARCH).map(|i| roll_point(i as f32 / ROLL_SEARCH as f32)).collect()
}

/// Where the first pair of `code`'s dimensions lies nearest the roll (`points`
/// from `roll_points`): its segment (the class whose part it is) and its
/// distance from the roll.
pub fn nearest_on_roll(code: &[f32], points: &[[f32; 2]]) -> (usize, f32) {
    let (x, y) = (code[0], code[1]);
    let (best, d2) =
        points.iter().map(|[px, py]| (px - x).powi(2) + (py - y).powi(2)).enumerate().min_by(|a, b| a.1.total_cmp(&b.1)).expect("points along the roll");
    ((best * COMPONENTS / ROLL_SEARCH).min(COMPONENTS - 1), d2.sqrt())
}

/// Half the side of the square, centred on 0, that holds the prior's support
/// in a pair of dimensions (beyond about two standard deviations for the
/// mixture, the roll's outer radius): where a generation grid should lie.
/// None for the Gaussian, whose grid is the usual one of normal quantiles.
pub fn support_half_width(prior: Prior) -> Option<f32> {
    match prior {
        Prior::Gaussian => None,
        Prior::Mog10 => Some(RADIUS + 2.0 * RADIAL_STD),
        Prior::SwissRoll => Some(ROLL_RADIUS),
    }
}

/// `n·n` codes `(n², 2)` evenly spaced over the square [−half, half]²,
/// row-major with the first row at the largest y (the manifold grid's order):
/// point (r, c) is (−half + half·(2c + 1)/n, half − half·(2r + 1)/n).
pub fn support_grid(n: usize, half: f32) -> Array2<f32> {
    let at = |i: usize| -half + half * (2 * i + 1) as f32 / n as f32;
    Array2::from_shape_fn((n * n, 2), |(i, axis)| if axis == 0 { at(i % n) } else { -at(i / n) })
}

/// The kernel bandwidth of `mmd2` as we report it: h = 1, the scale of the
/// N(0, I) prior itself. Fixed, not fitted to the samples, so codes spread
/// far wider than the prior (a plain AE's) cannot hide behind a wide kernel.
pub const MMD_BANDWIDTH: f64 = 1.0;

/// The unbiased estimate of the squared maximum mean discrepancy (Gretton et
/// al. 2012, eq. 3) between samples `a: (n, d)` and `b: (m, d)` under the
/// Gaussian kernel k(x, y) = exp(−‖x − y‖² / 2h²). Zero in expectation when
/// both come from the same distribution (it can then be slightly negative).
pub fn mmd2(a: &ArrayView2<f32>, b: &ArrayView2<f32>, h: f64) -> f64 {
    let k = |x: ndarray::ArrayView1<f32>, y: ndarray::ArrayView1<f32>| {
        let d2: f64 = x.iter().zip(y).map(|(&p, &q)| (p as f64 - q as f64).powi(2)).sum();
        (-d2 / (2.0 * h * h)).exp()
    };
    let within = |s: &ArrayView2<f32>| {
        let n = s.nrows();
        let mut sum = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                sum += k(s.row(i), s.row(j));
            }
        }
        2.0 * sum / (n * (n - 1)).max(1) as f64
    };
    let mut cross = 0.0;
    for x in a.rows() {
        for y in b.rows() {
            cross += k(x, y);
        }
    }
    within(a) + within(b) - 2.0 * cross / (a.nrows() * b.nrows()).max(1) as f64
}

/// The sample mean `(d)` and covariance `(d, d)` (divided by n − 1) of `codes: (n, d)`, in f64.
pub fn moments(codes: &ArrayView2<f32>) -> (Vec<f64>, Array2<f64>) {
    let (n, d) = codes.dim();
    let mut mean = vec![0.0; d];
    for row in codes.rows() {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += v as f64 / n as f64;
        }
    }
    let mut cov = Array2::zeros((d, d));
    for row in codes.rows() {
        for i in 0..d {
            for j in 0..d {
                cov[[i, j]] += (row[i] as f64 - mean[i]) * (row[j] as f64 - mean[j]) / (n.max(2) - 1) as f64;
            }
        }
    }
    (mean, cov)
}

/// How codes fit a prior: what `eval` prints and the tests check.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorFit {
    /// ‖mean of the codes‖ (0 for the Gaussian prior and for the mixture).
    pub mean_norm: f64,
    /// ‖covariance of the codes − I‖_F (Gaussian prior: 0 when matched).
    pub cov_dev: f64,
    /// The covariance's eigenvalues, largest first: the variances along its
    /// principal axes, all 1 under N(0, I). `cov_dev` alone can hide one axis
    /// squeezed to 0.5 beside another at 1.2; these cannot.
    pub cov_eigenvalues: Vec<f64>,
    /// Unbiased MMD² (h = `MMD_BANDWIDTH`) between the codes and as many prior samples.
    pub mmd2: f64,
    /// Mixture prior: the fraction of codes whose nearest component is their label's (chance: 0.1).
    /// Swiss roll: the fraction whose nearest point of the roll is in their label's segment.
    pub component_accuracy: Option<f64>,
    /// Swiss roll: the median distance of the codes (their first pair of dimensions) from the roll.
    pub roll_distance: Option<f64>,
}

/// The fit of `codes: (n, d)` with `labels` to `prior`: moments and
/// component accuracy over all codes, the MMD over the first `mmd_n` codes
/// and as many prior samples drawn from `rng` (unlabelled: the whole prior).
pub fn fit(prior: Prior, codes: &ArrayView2<f32>, labels: &[u8], mmd_n: usize, rng: &mut Rng) -> PriorFit {
    let (n, d) = codes.dim();
    let (mean, cov) = moments(codes);
    let cov_dev = cov.indexed_iter().map(|((i, j), &c)| (c - if i == j { 1.0 } else { 0.0 }).powi(2)).sum::<f64>().sqrt();
    let (cov_eigenvalues, _) = symmetric_eigen(cov);
    let m = mmd_n.min(n);
    let samples = sample(prior, d, m, None, rng);
    let on_roll: Vec<(usize, f32)> = if prior == Prior::SwissRoll {
        let points = roll_points();
        codes.rows().into_iter().map(|z| nearest_on_roll(&z.to_vec(), &points)).collect()
    } else {
        vec![]
    };
    let component_accuracy = match prior {
        Prior::Mog10 => Some(codes.rows().into_iter().zip(labels).filter(|(z, &l)| nearest_component(&z.to_vec()) == l as usize).count()),
        Prior::SwissRoll => Some(on_roll.iter().zip(labels).filter(|(&(part, _), &l)| part == l as usize).count()),
        Prior::Gaussian => None,
    }
    .map(|hits| hits as f64 / n.max(1) as f64);
    let roll_distance = (!on_roll.is_empty()).then(|| {
        let mut d: Vec<f32> = on_roll.iter().map(|&(_, d)| d).collect();
        d.sort_by(f32::total_cmp);
        d[d.len() / 2] as f64
    });
    PriorFit {
        mean_norm: mean.iter().map(|m| m * m).sum::<f64>().sqrt(),
        cov_dev,
        cov_eigenvalues,
        mmd2: mmd2(&codes.slice(ndarray::s![..m, ..]), &samples.view(), MMD_BANDWIDTH),
        component_accuracy,
        roll_distance,
    }
}
