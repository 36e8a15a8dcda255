//! The latent-space maths (src/latent) against independent computations:
//! closed-form eigenvalues, the eigen-equation itself, numerical integration
//! of the normal density, brute-force search, and Monte Carlo.

use crate::common;

use common::codes;

use ae_playground::latent::pca::{covariance, symmetric_eigen};
use ae_playground::latent::quantile::grid_quantile;
use ae_playground::latent::{code_stats, normal_quantile, pca2, LatentView};
use ae_playground::Rng;
use ndarray::{array, Array2};

#[test]
fn eigen_decomposition_of_2x2_matches_the_closed_form() {
    for &(a, b, c) in &[(2.0, 1.0, 3.0), (1.0, 0.0, 5.0), (4.0, -2.0, 1.0), (1.0, 1e-9, 1.0), (3.0, 3.0, 3.0)] {
        let (values, vectors) = symmetric_eigen(array![[a, b], [b, c]]);
        // λ = (a+c)/2 ± √(((a−c)/2)² + b²)
        let (mid, r) = ((a + c) / 2.0, (((a - c) / 2.0f64).powi(2) + b * b).sqrt());
        assert!((values[0] - (mid + r)).abs() < 1e-12, "λ1 of [[{a},{b}],[{b},{c}]]: {} vs {}", values[0], mid + r);
        assert!((values[1] - (mid - r)).abs() < 1e-12, "λ2 of [[{a},{b}],[{b},{c}]]: {} vs {}", values[1], mid - r);
        // The eigenvector of λ1 is ∝ (b, λ1 − a), or (1, 0) when b = 0 and a is the larger.
        let (x, y) = if b == 0.0 && a >= c { (1.0, 0.0) } else { (b, mid + r - a) };
        let norm = f64::hypot(x, y);
        let dot = (vectors[[0, 0]] * x + vectors[[1, 0]] * y) / norm;
        assert!((dot.abs() - 1.0).abs() < 1e-9, "first eigenvector of [[{a},{b}],[{b},{c}]] is off by {dot}");
    }
}

#[test]
fn eigenvectors_satisfy_the_eigen_equation_for_a_12x12_covariance() {
    let z = codes(400, &[3.0, 2.5, 2.0, 1.5, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], 1);
    let mean = code_stats(&z.view()).mean;
    let cov = covariance(&z.view(), &mean);
    let (values, vectors) = symmetric_eigen(cov.clone());
    for c in 0..12 {
        let v = vectors.column(c);
        let residual = (cov.dot(&v) - &v * values[c]).iter().map(|r| r.abs()).fold(0.0, f64::max);
        assert!(residual < 1e-10, "‖Av − λv‖∞ = {residual} for eigenpair {c}");
        if c > 0 {
            assert!(values[c] <= values[c - 1], "eigenvalues not descending at {c}");
        }
    }
    let gram = vectors.t().dot(&vectors) - Array2::<f64>::eye(12);
    assert!(gram.iter().all(|g| g.abs() < 1e-10), "eigenvectors are not orthonormal");
}

#[test]
fn pca_variance_is_the_largest_variance_of_any_direction() {
    let z = codes(500, &[2.0, 1.2, 0.7, 0.3, 0.1], 2);
    let stats = code_stats(&z.view());
    let p = pca2(&z.view(), &stats.mean, None);
    // The variance of the codes along a unit direction u, computed directly.
    let var_along = |u: &[f64]| {
        let proj: Vec<f64> = z.rows().into_iter().map(|r| r.iter().zip(u).zip(&stats.mean).map(|((&x, &u), &m)| (x as f64 - m) * u).sum()).collect();
        proj.iter().map(|p| p * p).sum::<f64>() / (proj.len() - 1) as f64
    };
    let c0: Vec<f64> = p.components.row(0).iter().map(|&v| v as f64).collect();
    assert!((var_along(&c0) - p.variance[0]).abs() < 1e-5 * p.variance[0], "variance along component 1");
    let mut rng = Rng::new(3);
    for _ in 0..200 {
        let u: Vec<f64> = (0..5).map(|_| rng.normal() as f64).collect();
        let n = u.iter().map(|x| x * x).sum::<f64>().sqrt();
        let u: Vec<f64> = u.iter().map(|x| x / n).collect();
        assert!(var_along(&u) <= p.variance[0] * (1.0 + 1e-6), "a random direction has more variance than the first component");
    }
    let total: f64 = stats.std.iter().map(|s| s * s).sum();
    assert!((p.explained - (p.variance[0] + p.variance[1]) / total).abs() < 1e-9, "explained fraction");
    assert!(p.variance[1] <= p.variance[0] && p.explained > 0.5 && p.explained <= 1.0);
}

#[test]
fn pca_signs_follow_the_previous_basis() {
    let z = codes(300, &[2.0, 1.0, 0.5, 0.2], 4);
    let mean = code_stats(&z.view()).mean;
    let first = pca2(&z.view(), &mean, None);
    let flipped = -&first.components;
    let follows = pca2(&z.view(), &mean, Some(&flipped.view()));
    assert_eq!(follows.components, flipped, "with a previous basis of opposite sign, the components take its sign");
    // Only the sign of each row follows: the directions are still the data's.
    let mut mixed = first.components.clone();
    mixed.row_mut(1).mapv_inplace(|v| -v);
    let half = pca2(&z.view(), &mean, Some(&mixed.view()));
    assert_eq!(half.components.row(0), first.components.row(0));
    assert_eq!(half.components.row(1), mixed.row(1));
}

#[test]
fn pca_orientation_without_a_previous_basis_depends_on_the_data_alone() {
    let z = codes(300, &[2.0, 1.0, 0.5, 0.2], 5);
    let mean = code_stats(&z.view()).mean;
    let p = pca2(&z.view(), &mean, None);
    for row in p.components.rows() {
        let big = row.iter().fold(0.0f32, |m, &v| if v.abs() > m.abs() { v } else { m });
        assert!(big > 0.0, "the largest entry of each component is positive: {row}");
    }
    // Negated codes have the same covariance: the same basis, so the plot of
    // the negated codes is the negated plot, never a flipped one.
    let neg = -&z;
    let q = pca2(&neg.view(), &code_stats(&neg.view()).mean, None);
    assert_eq!(q.components, p.components);
    // Reordering the codes changes nothing either.
    let rev = Array2::from_shape_fn(z.dim(), |(i, j)| z[[z.nrows() - 1 - i, j]]);
    let r = pca2(&rev.view(), &code_stats(&rev.view()).mean, None);
    let diff = (&r.components - &p.components).iter().fold(0.0f32, |m, d| m.max(d.abs()));
    assert!(diff < 1e-5, "reordered codes moved the components by {diff}");
}

#[test]
fn a_refreshed_view_keeps_the_orientation_of_the_previous_one() {
    let mut a = LatentView::new(codes(300, &[2.0, 1.0, 0.5], 6), None).expect("view");
    // Pretend the previous view had come out with its first axis the other
    // way round: the refreshed view (training moved the codes a little) must
    // keep that orientation rather than reset to its own default.
    let pa = a.pca.as_mut().expect("pca");
    pa.components.row_mut(0).mapv_inplace(|v| -v);
    let b = LatentView::new(codes(300, &[2.1, 0.9, 0.5], 7), Some(&a.pca.as_ref().expect("pca").components.view())).expect("view");
    let fresh = LatentView::new(codes(300, &[2.1, 0.9, 0.5], 7), None).expect("view");
    let (pa, pb, pf) = (a.pca.as_ref().expect("pca"), b.pca.as_ref().expect("pca"), fresh.pca.as_ref().expect("pca"));
    for c in 0..2 {
        let dot: f32 = pa.components.row(c).iter().zip(pb.components.row(c)).map(|(x, y)| x * y).sum();
        assert!(dot > 0.9, "component {c} does not follow the previous view: dot {dot}");
    }
    assert_eq!(pb.components.row(0), pf.components.row(0).mapv(|v| -v), "only the sign differs from a fresh view");
}

#[test]
fn code_statistics_match_a_hand_computation() {
    let s = code_stats(&array![[1.0f32, 2.0], [3.0, 6.0], [5.0, 10.0]].view());
    assert_eq!(s.mean, vec![3.0, 6.0]);
    // Sample variances: (4+0+4)/2 = 4 and (16+0+16)/2 = 16.
    assert_eq!(s.std, vec![2.0, 4.0]);
}

/// Φ(x) = ½ + ∫₀ˣ φ(t) dt by composite Simpson's rule: independent of the
/// quantile's rational approximation, and accurate to ~1e-15 here.
fn normal_cdf(x: f64) -> f64 {
    let steps = 20_000;
    let h = x / steps as f64;
    let phi = |t: f64| (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut s = phi(0.0) + phi(x);
    for i in 1..steps {
        s += if i % 2 == 1 { 4.0 } else { 2.0 } * phi(i as f64 * h);
    }
    0.5 + s * h / 3.0
}

#[test]
fn normal_quantile_matches_published_values() {
    // Values from tables of the normal distribution (e.g. R's qnorm).
    for &(p, x) in &[
        (0.5, 0.0),
        (0.975, 1.959963984540054),
        (0.8413447460685429, 1.0),
        (0.022750131948179195, -2.0),
        (1e-6, -4.753424308822899),
        (0.999, 3.090232306167813),
    ] {
        let q = normal_quantile(p);
        assert!((q - x).abs() <= 2e-9 * x.abs() + 1e-15, "Φ⁻¹({p}) = {q}, expected {x}");
    }
}

#[test]
fn normal_quantile_inverts_the_integrated_cdf() {
    // Acklam bounds the relative error of x by 1.15e-9, so Φ(q) may miss p by
    // about φ(q)·1.15e-9·|q|; we allow twice that, plus the integration's error.
    for &p in &[1e-9, 1e-4, 0.01, 0.02425, 0.05, 0.2, 0.4999, 0.5, 0.6, 0.9, 0.97575, 0.99, 1.0 - 1e-6] {
        let q = normal_quantile(p);
        let density = (-0.5 * q * q).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let err = (normal_cdf(q) - p).abs();
        assert!(err <= 2.3e-9 * q.abs() * density + 1e-13, "Φ(Φ⁻¹({p})) misses by {err}");
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    // The comparison can fail: a quantile off by 1e-6 misses.
    let q = normal_quantile(0.3) + 1e-6;
    assert!((normal_cdf(q) - 0.3).abs() > 1e-7);
}

#[test]
fn grid_quantiles_are_symmetric_and_increasing() {
    for n in 1..12 {
        for i in 0..n {
            assert!((grid_quantile(i, n) + grid_quantile(n - 1 - i, n)).abs() < 1e-12, "Φ⁻¹((i+½)/n) = −Φ⁻¹((n−1−i+½)/n)");
            if i > 0 {
                assert!(grid_quantile(i, n) > grid_quantile(i - 1, n));
            }
        }
    }
}

fn max_abs_diff(a: &Array2<f32>, b: &Array2<f32>) -> f32 {
    assert_eq!(a.dim(), b.dim());
    (a - b).iter().fold(0.0, |m, d| m.max(d.abs()))
}

#[test]
fn unproject_then_project_is_the_identity_on_the_plane() {
    let view = LatentView::new(codes(200, &[1.5, 1.0, 0.6, 0.3, 0.2], 8), None).expect("view");
    let mut rng = Rng::new(9);
    let xy = Array2::from_shape_fn((50, 2), |_| 2.0 * rng.normal());
    let back = view.project(&view.unproject(&xy.view()).expect("unproject").view()).expect("project");
    assert!(max_abs_diff(&back, &xy) < 1e-5, "project(unproject(xy)) moved xy by {}", max_abs_diff(&back, &xy));
    // The other way round a code lands on its foot on the plane: what is left
    // is orthogonal to both components.
    let z = codes(20, &[1.0, 1.0, 1.0, 1.0, 1.0], 10);
    let foot = view.unproject(&view.project(&z.view()).expect("project").view()).expect("unproject");
    let pca = view.pca.as_ref().expect("pca");
    for (a, b) in z.rows().into_iter().zip(foot.rows()) {
        for c in pca.components.rows() {
            let dot: f32 = a.iter().zip(b).zip(c).map(|((a, b), c)| (a - b) * c).sum();
            assert!(dot.abs() < 1e-5, "residual not orthogonal to the plane: {dot}");
        }
    }
}

#[test]
fn small_codes_are_their_own_plot() {
    let two = array![[0.5f32, -1.0], [2.0, 3.0]];
    let v2 = LatentView::new(two.clone(), None).expect("view");
    assert!(v2.pca.is_none());
    assert_eq!(v2.project(&two.view()).expect("project"), two);
    assert_eq!(v2.unproject(&two.view()).expect("unproject"), two);
    let one = array![[0.5f32], [2.0]];
    let v1 = LatentView::new(one.clone(), None).expect("view");
    assert_eq!(v1.project(&one.view()).expect("project"), array![[0.5f32, 0.0], [2.0, 0.0]]);
    assert_eq!(v1.unproject(&array![[0.5f32, 7.0]].view()).expect("unproject"), array![[0.5f32]]);
}

#[test]
fn projected_std_matches_sampling_the_posterior() {
    let view = LatentView::new(codes(200, &[1.5, 1.0, 0.6, 0.3], 11), None).expect("view");
    let logvar = array![[-1.0f32, 0.5, -2.0, 0.0]];
    let std = view.project_std(&logvar.view()).expect("project_std");
    // Sample z = μ + σ ⊙ ε, project, and measure the spread directly. With
    // N = 200,000 the sample std's relative standard error is 1/√(2N) ≈ 0.16%;
    // 1% is six of those.
    let n = 200_000;
    let mut rng = Rng::new(12);
    let sigma: Vec<f32> = logvar.iter().map(|l| (0.5 * l).exp()).collect();
    let z = Array2::from_shape_fn((n, 4), |(_, j)| 0.3 + sigma[j] * rng.normal());
    let xy = view.project(&z.view()).expect("project");
    for axis in 0..2 {
        let col = xy.column(axis);
        let m = col.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
        let s = (col.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let rel = (s - std[[0, axis]] as f64).abs() / s;
        assert!(rel < 0.01, "axis {axis}: sampled std {s}, projected {}", std[[0, axis]]);
    }
    // Without PCA each axis is σ of its own dimension.
    let v2 = LatentView::prior(2).expect("prior view");
    let s2 = v2.project_std(&array![[0.0f32, -2.0]].view()).expect("project_std");
    assert!((s2[[0, 0]] - 1.0).abs() < 1e-7 && (s2[[0, 1]] - (-1.0f32).exp()).abs() < 1e-7);
}

#[test]
fn prior_manifold_is_a_grid_of_normal_quantiles_with_its_first_row_on_top() {
    let view = LatentView::prior(2).expect("prior view");
    let n = 5;
    let (xy, z) = view.manifold(n, true).expect("manifold");
    assert_eq!(xy.dim(), (n * n, 2));
    assert_eq!(xy, z, "with 2 dims the plot is the code");
    for r in 0..n {
        for c in 0..n {
            let i = r * n + c;
            // x grows along a row; y falls row by row: −Φ⁻¹((r+½)/n) by symmetry.
            let x = normal_quantile((c as f64 + 0.5) / n as f64) as f32;
            let y = -normal_quantile((r as f64 + 0.5) / n as f64) as f32;
            assert!((xy[[i, 0]] - x).abs() < 1e-6 && (xy[[i, 1]] - y).abs() < 1e-6, "point ({r},{c}) = {:?}", xy.row(i));
        }
    }
    assert!(xy[[0, 1]] > xy[[n * n - 1, 1]], "the first row is at the largest y");
}

#[test]
fn manifold_of_an_autoencoder_spans_its_codes_spread() {
    let z = codes(300, &[2.0, 0.5], 13);
    let view = LatentView::new(z.clone(), None).expect("view");
    let n = 4;
    let (xy, _) = view.manifold(n, false).expect("manifold");
    // Centre and spread computed here, naively, from the codes.
    for axis in 0..2 {
        let col = z.column(axis);
        let m = col.iter().map(|&v| v as f64).sum::<f64>() / 300.0;
        let s = (col.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / 299.0).sqrt();
        let along: Vec<f64> = (0..n).map(|i| if axis == 0 { xy[[i, 0]] } else { xy[[i * n, 1]] } as f64).collect();
        let centre = along.iter().sum::<f64>() / n as f64;
        assert!((centre - m).abs() < 1e-5, "axis {axis}: grid centre {centre}, codes' mean {m}");
        let expected = m + s * normal_quantile(0.5 / n as f64) * if axis == 0 { 1.0 } else { -1.0 };
        assert!((along[0] - expected).abs() < 1e-5, "axis {axis}: first grid line {} vs {expected}", along[0]);
    }
}

#[test]
fn pca_manifold_lies_on_the_plane_at_the_components_spread() {
    let view = LatentView::new(codes(300, &[2.0, 1.0, 0.5, 0.2], 14), None).expect("view");
    let (xy, z) = view.manifold(3, true).expect("manifold");
    assert!(max_abs_diff(&view.project(&z.view()).expect("project"), &xy) < 1e-5);
    let sd = view.pca.as_ref().expect("pca").variance[0].sqrt();
    assert!((xy[[0, 0]] as f64 - sd * normal_quantile(0.5 / 3.0)).abs() < 1e-5, "x spread is √λ₁");
}

#[test]
fn one_dimensional_manifold_walks_the_axis_in_reading_order() {
    let view = LatentView::prior(1).expect("prior view");
    let (xy, z) = view.manifold(3, true).expect("manifold");
    assert_eq!(z.dim(), (9, 1));
    for i in 0..9 {
        assert!((xy[[i, 0]] as f64 - normal_quantile((i as f64 + 0.5) / 9.0)).abs() < 1e-6);
        assert_eq!(xy[[i, 1]], 0.0);
        assert_eq!(z[[i, 0]], xy[[i, 0]]);
    }
}

#[test]
fn neighbours_match_a_brute_force_search() {
    let z = codes(800, &[1.0, 0.8, 0.6, 0.4, 0.2, 0.1], 15);
    let view = LatentView::new(z.clone(), None).expect("view");
    let mut rng = Rng::new(16);
    for _ in 0..20 {
        let q: Vec<f32> = (0..6).map(|_| rng.normal()).collect();
        let mut all: Vec<(f64, usize)> =
            z.rows().into_iter().enumerate().map(|(i, r)| (r.iter().zip(&q).map(|(&a, &b)| ((a - b) as f64).powi(2)).sum::<f64>().sqrt(), i)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let got = view.neighbours(&q, 8).expect("neighbours");
        let want: Vec<usize> = all[..8].iter().map(|&(_, i)| i).collect();
        assert_eq!(got.iter().map(|n| n.index).collect::<Vec<_>>(), want);
        for (n, &(d, _)) in got.iter().zip(&all) {
            assert!((n.distance as f64 - d).abs() < 1e-6 * d.max(1.0));
        }
    }
}

#[test]
fn neighbours_at_equal_distance_come_in_row_order_and_k_is_capped() {
    let z = array![[1.0f32, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [0.0, 0.0]];
    let view = LatentView::new(z, None).expect("view");
    let got: Vec<usize> = view.neighbours(&[0.0, 0.0], 3).expect("neighbours").iter().map(|n| n.index).collect();
    assert_eq!(got, vec![4, 0, 1]);
    assert_eq!(view.neighbours(&[0.0, 0.0], 50).expect("neighbours").len(), 5);
}

#[test]
fn neighbours_by_bits_rank_by_the_bits_that_differ_after_a_cut_at_a_half() {
    // Codes in (0, 1): bits 110, 100, 011, 111, 000 against the query's 110.
    let z = array![[0.9f32, 0.8, 0.2], [0.7, 0.4, 0.1], [0.3, 0.6, 0.9], [0.6, 0.55, 0.51], [0.1, 0.2, 0.3]];
    let view = LatentView::new(z, None).expect("view");
    let got = view.neighbours_by_bits(&[0.99, 0.51, 0.0], 5).expect("neighbours");
    let ranked: Vec<(usize, f32)> = got.iter().map(|n| (n.index, n.distance)).collect();
    // Distances 0, 1, 2, 1, 2: equal ones in row order.
    assert_eq!(ranked, vec![(0, 0.0), (1, 1.0), (3, 1.0), (2, 2.0), (4, 2.0)]);
    assert!(view.neighbours_by_bits(&[0.5, f32::NAN, 0.5], 2).is_err());
    let wide = LatentView::new(Array2::zeros((3, 65)), None).expect("view");
    let err = wide.neighbours_by_bits(&[0.0; 65], 2).expect_err("refused").to_string();
    assert!(err.contains("too wide"), "{err}");
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let view = LatentView::new(codes(10, &[1.0, 1.0, 1.0], 17), None).expect("view");
    let msg = |r: ae_playground::Result<_>| r.err().map(|e: ae_playground::Error| e.to_string()).unwrap_or_default();
    assert!(msg(view.project(&Array2::zeros((2, 4)).view()).map(|_| ())).contains("4 dimensions"));
    assert!(msg(view.neighbours(&[0.0, f32::NAN, 0.0], 3).map(|_| ())).contains("NaN"));
    assert!(msg(LatentView::new(array![[f32::NAN, 0.0]], None).map(|_| ())).contains("diverged"));
    assert!(msg(LatentView::prior(3).map(|_| ())).contains("needs the test codes"));
    assert!(msg(view.manifold(0, false).map(|_| ())).contains("at least 1"));
}
