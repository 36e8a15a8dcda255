//! The AAE's priors and the statistics that judge a fit, against independent
//! computations: closed forms and the shapes' own definitions.

use ae_playground::config::Prior;
use ae_playground::prior::{self, component_centre, mmd2, moments, nearest_component, sample, COMPONENTS, MMD_BANDWIDTH};
use ae_playground::Rng;
use ndarray::Array2;

/// For x, x' ~ N(a, 1) in one dimension, x − x' ~ N(0, 2) and
/// E exp(−d²/2h²) = h/√(h² + 2); across N(0, 1) and N(μ, 1) it gains the
/// factor exp(−μ²/2(h² + 2)). So MMD² = 2h/√(h² + 2) · (1 − exp(−μ²/2(h² + 2))).
#[test]
fn mmd2_matches_its_closed_form_for_two_shifted_gaussians_and_is_near_zero_for_one() {
    let mut rng = Rng::new(3);
    let n = 2000;
    let a = Array2::from_shape_simple_fn((n, 1), || rng.normal());
    let b = Array2::from_shape_simple_fn((n, 1), || rng.normal());
    let shifted = Array2::from_shape_simple_fn((n, 1), || 1.0 + rng.normal());
    let h = MMD_BANDWIDTH;
    let closed = 2.0 * h / (h * h + 2.0).sqrt() * (1.0 - (-1.0 / (2.0 * (h * h + 2.0))).exp());
    let same = mmd2(&a.view(), &b.view(), h);
    let apart = mmd2(&a.view(), &shifted.view(), h);
    // The estimator's standard deviation at n = 2000 is below 0.005 here.
    assert!(same.abs() < 0.005, "two samples of N(0, 1): MMD² {same}");
    assert!((apart - closed).abs() < 0.02, "N(0, 1) vs N(1, 1): MMD² {apart}, closed form {closed:.4}");
}

#[test]
fn gaussian_prior_samples_have_mean_zero_and_identity_covariance() {
    let z = sample(Prior::Gaussian, 3, 20_000, None, &mut Rng::new(4));
    let (mean, cov) = moments(&z.view());
    for i in 0..3 {
        assert!(mean[i].abs() < 0.03, "mean[{i}] = {}", mean[i]);
        for j in 0..3 {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((cov[[i, j]] - want).abs() < 0.04, "cov[{i},{j}] = {}", cov[[i, j]]);
        }
    }
}

/// A labelled mixture sample sits around its component's centre (radius 1.4,
/// angle 2πk/10) in every pair of dimensions, and is nearest that component.
#[test]
fn mixture_samples_with_a_label_sit_at_that_component_in_every_pair() {
    let mut rng = Rng::new(5);
    for k in 0..COMPONENTS {
        let labels = vec![k as u8; 2000];
        let z = sample(Prior::Mog10, 4, 2000, Some(&labels), &mut rng);
        let (mean, _) = moments(&z.view());
        let angle = std::f64::consts::TAU * k as f64 / 10.0;
        for pair in 0..2 {
            let (mx, my) = (mean[2 * pair], mean[2 * pair + 1]);
            assert!((mx - 1.4 * angle.cos()).abs() < 0.05 && (my - 1.4 * angle.sin()).abs() < 0.05, "component {k}, pair {pair}: mean ({mx}, {my})");
        }
        let nearest = z.rows().into_iter().filter(|r| nearest_component(&r.to_vec()) == k).count();
        // Neighbours are 2·1.4·sin(π/10) ≈ 0.87 apart; the radial spread of 0.5 rarely crosses.
        assert!(nearest as f64 / 2000.0 > 0.9, "component {k}: only {nearest} of 2000 samples nearest it");
        let c = component_centre(k);
        assert_eq!(nearest_component(&[c[0], c[1], c[0], c[1]]), k);
    }
}

/// The swiss roll: radius 3·√t and angle 4π·√t for t in the label's tenth of [0, 1).
#[test]
fn swiss_roll_samples_lie_on_the_roll_in_their_labels_segment() {
    let mut rng = Rng::new(6);
    for k in 0..COMPONENTS {
        let labels = vec![k as u8; 200];
        let z = sample(Prior::SwissRoll, 2, 200, Some(&labels), &mut rng);
        for row in z.rows() {
            let r = (row[0] * row[0] + row[1] * row[1]).sqrt();
            let t = (r / 3.0).powi(2);
            assert!(t >= k as f32 / 10.0 - 1e-4 && t <= (k + 1) as f32 / 10.0 + 1e-4, "segment {k}: t = {t}");
            let angle = 4.0 * std::f32::consts::PI * t.sqrt();
            assert!(
                (row[0] - r * angle.cos()).abs() < 1e-3 && (row[1] - r * angle.sin()).abs() < 1e-3,
                "segment {k}: ({}, {}) is off the roll",
                row[0],
                row[1]
            );
        }
    }
}

#[test]
fn unlabelled_mixture_samples_use_every_component_about_equally() {
    let z = sample(Prior::Mog10, 2, 10_000, None, &mut Rng::new(7));
    let mut counts = [0usize; COMPONENTS];
    z.rows().into_iter().for_each(|r| counts[nearest_component(&r.to_vec())] += 1);
    assert!(counts.iter().all(|&c| (800..1200).contains(&c)), "counts per component: {counts:?}");
}

#[test]
fn one_seed_gives_the_same_prior_samples() {
    for p in Prior::all() {
        let a = sample(p, 2, 50, None, &mut Rng::new(9));
        let b = sample(p, 2, 50, None, &mut Rng::new(9));
        assert_eq!(a, b, "{p:?}");
    }
}

#[test]
fn the_support_grid_spans_the_square_in_manifold_order() {
    let g = prior::support_grid(4, 2.0);
    assert_eq!(g.dim(), (16, 2));
    // First row at the top (largest y), x growing along a row; cell centres.
    assert_eq!((g[[0, 0]], g[[0, 1]]), (-1.5, 1.5));
    assert_eq!((g[[3, 0]], g[[3, 1]]), (1.5, 1.5));
    assert_eq!((g[[15, 0]], g[[15, 1]]), (1.5, -1.5));
}

#[test]
fn fit_reports_a_matched_gaussian_as_matched_and_a_shifted_one_as_not() {
    let mut rng = Rng::new(10);
    let good = sample(Prior::Gaussian, 2, 3000, None, &mut rng);
    let bad = good.mapv(|v| 2.0 * v + 1.0);
    let labels = vec![0u8; 3000];
    let f = prior::fit(Prior::Gaussian, &good.view(), &labels, 1000, &mut rng);
    let g = prior::fit(Prior::Gaussian, &bad.view(), &labels, 1000, &mut rng);
    assert!(f.mean_norm < 0.1 && f.cov_dev < 0.15 && f.mmd2.abs() < 0.01, "{f:?}");
    assert!(g.mean_norm > 1.3 && g.cov_dev > 4.0 && g.mmd2 > 0.1, "{g:?}");
    assert_eq!(f.component_accuracy, None);
}

/// The covariance's eigenvalues are the variances along its principal axes:
/// codes stretched to variance 4 along one diagonal and squeezed to 0.25
/// along the other (diag(4, 0.25) rotated by 45°, so no single coordinate's
/// variance shows either figure) give 4 and 0.25, up to sampling error.
#[test]
fn fit_reports_the_covariances_eigenvalues_largest_first() {
    let mut rng = Rng::new(11);
    let white = sample(Prior::Gaussian, 2, 20000, None, &mut rng);
    let r = std::f32::consts::FRAC_1_SQRT_2;
    let codes = ndarray::Array2::from_shape_fn((20000, 2), |(i, j)| {
        let (a, b) = (2.0 * white[[i, 0]], 0.5 * white[[i, 1]]);
        r * (a + if j == 0 { -b } else { b })
    });
    let f = prior::fit(Prior::Gaussian, &codes.view(), &vec![0u8; 20000], 100, &mut rng);
    let e = &f.cov_eigenvalues;
    assert_eq!(e.len(), 2);
    assert!((e[0] - 4.0).abs() < 0.15 && (e[1] - 0.25).abs() < 0.01, "eigenvalues {e:?}, expected 4 and 0.25");
}

#[test]
fn codes_drawn_from_the_labelled_roll_sit_on_it_in_their_own_segment_and_gaussian_ones_do_not() {
    let mut rng = Rng::new(11);
    let labels: Vec<u8> = (0..2000).map(|i| (i % 10) as u8).collect();
    let on = sample(Prior::SwissRoll, 2, 2000, Some(&labels), &mut rng);
    let f = prior::fit(Prior::SwissRoll, &on.view(), &labels, 500, &mut rng);
    let (acc, dist) = (f.component_accuracy.unwrap(), f.roll_distance.unwrap());
    assert!(acc > 0.99 && dist < 0.01, "the roll's own samples: {acc} in their segment, median distance {dist}");
    let off = sample(Prior::Gaussian, 2, 2000, None, &mut rng);
    let g = prior::fit(Prior::SwissRoll, &off.view(), &labels, 500, &mut rng);
    let (acc, dist) = (g.component_accuracy.unwrap(), g.roll_distance.unwrap());
    assert!(acc < 0.3 && dist > 0.1, "Gaussian codes: {acc} in their label's segment, median distance {dist}");
    assert_eq!(prior::fit(Prior::Gaussian, &on.view(), &labels, 500, &mut rng).roll_distance, None);
}
