//! The measures (src/measures) against independent computations: brute-force
//! search in f64, a vote counted by hand, and the Jacobi PCA of src/latent;
//! then the figures they give on real MNIST, printed for docs/quality.md.

use crate::common;

use std::time::Instant;

use ae_playground::latent::{code_stats, pca2};
use ae_playground::measures::nearest::{ranking, ranking_and_nearest};
use ae_playground::measures::{k_nearest, knn_accuracy, nearest_image, pca_plane, project, retrieval_precision, Points};
use ae_playground::{Rng, Split};
use common::codes;
use ndarray::{s, Array2, ArrayView2};

/// All other rows of `points` ranked by exact distance to `query` (f64,
/// equal distances in row order), as (squared distance, row).
fn ranked(points: &ArrayView2<f32>, query: &[f32], skip: Option<usize>) -> Vec<(f64, usize)> {
    let mut all: Vec<(f64, usize)> = points
        .rows()
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != skip)
        .map(|(i, r)| (r.iter().zip(query).map(|(&a, &b)| (a as f64 - b as f64).powi(2)).sum(), i))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all
}

/// `n` points in `dims` dimensions around `classes` centres (spread 2 per
/// coordinate), `noise` per coordinate about them, labelled by centre and
/// shifted by `offset` (far from the origin tests the cancellation in
/// ‖a‖² + ‖b‖² − 2a·b).
fn clusters(n: usize, dims: usize, classes: u8, noise: f32, offset: f32, seed: u64) -> (Array2<f32>, Vec<u8>) {
    let mut rng = Rng::new(seed);
    let centres = Array2::from_shape_fn((classes as usize, dims), |_| 2.0 * rng.normal());
    let labels: Vec<u8> = (0..n).map(|_| rng.below(classes as usize) as u8).collect();
    let points = Array2::from_shape_fn((n, dims), |(i, j)| offset + centres[[labels[i] as usize, j]] + noise * rng.normal());
    (points, labels)
}

#[test]
fn k_nearest_matches_brute_force_even_far_from_the_origin() {
    for &(dims, offset) in &[(2, 0.0), (2, 1000.0), (50, 0.0), (50, 300.0)] {
        let (p, _) = clusters(1500, dims, 5, 1.5, offset, 1);
        let found = k_nearest(&p.view(), Points::Floats(p.view()), 6, true).unwrap();
        for (i, nb) in found.iter().enumerate() {
            let want = ranked(&p.view(), p.row(i).as_slice().unwrap(), Some(i));
            let got: Vec<usize> = nb.iter().map(|n| n.index).collect();
            let expect: Vec<usize> = want[..6].iter().map(|w| w.1).collect();
            assert_eq!(got, expect, "neighbours of point {i} ({dims} dims, offset {offset})");
            for (n, w) in nb.iter().zip(&want) {
                assert!((n.distance as f64 - w.0.sqrt()).abs() <= 1e-6 * w.0.sqrt().max(1.0), "distance of point {i}: {} vs {}", n.distance, w.0.sqrt());
            }
        }
    }
}

#[test]
fn a_whole_ranking_orders_every_point_as_brute_force_does_up_to_rounding() {
    // Near the origin, 50 dimensions: f32 distances rank as the exact ones do, except where two
    // points' distances lie within rounding of each other (then they may swap).
    let (p, _) = clusters(600, 50, 5, 1.5, 0.0, 2);
    let (q, _) = clusters(40, 50, 5, 1.5, 0.0, 3);
    let got = ranking(&q.view(), Points::Floats(p.view())).unwrap();
    for (i, order) in got.iter().enumerate() {
        let want = ranked(&p.view(), q.row(i).as_slice().unwrap(), None);
        assert_eq!(order.len(), p.nrows(), "query {i}: every point ranked once");
        let exact: std::collections::HashMap<usize, f64> = want.iter().map(|&(d, j)| (j, d)).collect();
        for (rank, (&j, w)) in order.iter().zip(&want).enumerate() {
            assert!((exact[&j] - w.0).abs() <= 1e-4 * w.0.max(1.0), "query {i}, rank {rank}: point {j} at {} where {} belongs", exact[&j], w.0);
        }
    }
    assert!(ranking(&q.view(), Points::Floats(p.slice(s![.., ..10]))).is_err(), "mismatched dimensions are refused");
}

#[test]
fn one_pass_ranks_and_finds_the_nearest_exactly_as_two_separate_searches_do() {
    // Real pixels (ties and near-ties among 0–255 values), as the hashing lesson searches them,
    // and tight clusters far from the origin, where f32 distances tie and swap.
    let test = common::mnist(Split::Test);
    let (q, n) = (60, 2000);
    let pixels = (test.images(0, q), test.pixels.slice(s![q..q + n, ..]));
    let (far, _) = clusters(n + q, 20, 3, 1e-3, 300.0, 4);
    let cases = [(pixels.0.view(), Points::Bytes(pixels.1)), (far.slice(s![..q, ..]), Points::Floats(far.slice(s![q.., ..])))];
    for (queries, points) in cases {
        for k in [0, 1, 25, n] {
            let (whole, near) = ranking_and_nearest(&queries, points, k).unwrap();
            assert_eq!(whole, ranking(&queries, points).unwrap(), "the ranking, k = {k}");
            let apart = k_nearest(&queries, points, k, false).unwrap();
            let pairs =
                |v: &[Vec<ae_playground::latent::Neighbour>]| v.iter().map(|x| x.iter().map(|x| (x.index, x.distance)).collect::<Vec<_>>()).collect::<Vec<_>>();
            assert_eq!(pairs(&near), pairs(&apart), "the nearest {k}");
        }
    }
}

#[test]
fn nearest_training_image_matches_brute_force_on_real_images() {
    let train = common::mnist(Split::Train).take(3000);
    let test = common::mnist(Split::Test);
    // 40 test images, and two training images, which must find themselves at distance 0.
    let mut queries = test.images(0, 42);
    queries.row_mut(40).assign(&train.images(5, 6).row(0));
    queries.row_mut(41).assign(&train.images(2500, 2501).row(0));
    let found = nearest_image(&queries.view(), train.pixels.view()).unwrap();
    let all = train.images(0, train.len());
    for (q, f) in found.iter().enumerate() {
        let best = ranked(&all.view(), queries.row(q).as_slice().unwrap(), None)[0];
        assert_eq!(f.index, best.1, "nearest training image of query {q}");
        assert!((f.distance as f64 - best.0.sqrt()).abs() < 1e-5, "distance of query {q}: {} vs {}", f.distance, best.0.sqrt());
    }
    assert_eq!(found[40].distance, 0.0);
    assert_eq!(found[41].distance, 0.0);
}

/// Leave-one-out kNN accuracy computed the obvious way, for comparison.
fn knn_brute(points: &Array2<f32>, labels: &[u8], k: usize) -> f64 {
    let mut right = 0;
    for i in 0..points.nrows() {
        let near = &ranked(&points.view(), points.row(i).as_slice().unwrap(), Some(i))[..k];
        let mut counts = [0; 256];
        near.iter().for_each(|&(_, j)| counts[labels[j] as usize] += 1);
        let most = *counts.iter().max().unwrap();
        let vote = near.iter().map(|&(_, j)| labels[j]).find(|&l| counts[l as usize] == most).unwrap();
        right += usize::from(vote == labels[i]);
    }
    right as f64 / points.nrows() as f64
}

#[test]
fn knn_accuracy_matches_a_brute_force_vote() {
    // More noise in 30 dims, where the centres lie farther apart, so neither set is separable.
    for &(dims, noise, k) in &[(2, 1.5, 1), (2, 1.5, 4), (2, 1.5, 5), (30, 6.0, 5), (30, 6.0, 8)] {
        let (p, labels) = clusters(800, dims, 6, noise, 0.0, 2);
        let got = knn_accuracy(&p.view(), &labels, k).unwrap();
        let want = knn_brute(&p, &labels, k);
        assert_eq!(got, want, "{dims} dims, k = {k}");
        eprintln!("{dims} dims, k = {k}: kNN accuracy {got:.3}");
        assert!(got > 0.25 && got < 1.0, "{got}: the clusters overlap, so neither chance (1/6) nor perfect");
    }
}

#[test]
fn a_tied_vote_goes_to_the_class_of_the_nearest_neighbour() {
    // On a line, k = 2. Point 0 sees 1 (class 0) and 2 (class 1): tied, nearest is class 0, right.
    // Point 1 likewise; point 2 sees 0 and 1, both class 0: wrong. Points 3 and 4 see each other
    // (class 1) first and point 1 (class 0) second: tied, nearest is class 1, right. So 4 of 5.
    // Breaking ties by the smaller label would get 3 and 4 wrong (2 of 5), by the farther
    // neighbour 0, 1, 3, 4 wrong (0 of 5).
    let xs = [0.0, 1.0, -1.5, 10.0, 12.0];
    let points = Array2::from_shape_fn((5, 2), |(i, j)| if j == 0 { xs[i] } else { 0.0 });
    let labels = [0, 0, 1, 1, 1];
    assert_eq!(knn_accuracy(&points.view(), &labels, 2).unwrap(), 0.8);
}

#[test]
fn retrieval_precision_matches_brute_force() {
    let (p, labels) = clusters(700, 40, 5, 6.0, 0.0, 3);
    for &(k, queries) in &[(1, 700), (8, 100), (20, 37)] {
        let got = retrieval_precision(&p.view(), &labels, k, queries).unwrap();
        let mut hits = 0;
        for i in 0..queries {
            let near = &ranked(&p.view(), p.row(i).as_slice().unwrap(), Some(i))[..k];
            hits += near.iter().filter(|&&(_, j)| labels[j] == labels[i]).count();
        }
        let want = hits as f64 / (queries * k) as f64;
        assert!((got - want).abs() < 1e-12, "k = {k}, {queries} queries: {got} vs {want}");
    }
}

/// `pca_plane` against the Jacobi PCA of src/latent: components, variances, explained fraction.
fn assert_same_plane(z: &ArrayView2<f32>, what: &str) {
    let jacobi = pca2(z, &code_stats(z).mean, None);
    let plane = pca_plane(z).unwrap();
    for c in 0..2 {
        let diff = (&plane.components.row(c) - &jacobi.components.row(c)).iter().fold(0.0f32, |m, d| m.max(d.abs()));
        assert!(diff < 1e-4, "{what}: component {c} differs by up to {diff}");
        let rel = (plane.variance[c] - jacobi.variance[c]).abs() / jacobi.variance[c];
        assert!(rel < 1e-5, "{what}: variance {c} {} vs {}", plane.variance[c], jacobi.variance[c]);
    }
    assert!((plane.explained - jacobi.explained).abs() < 1e-6, "{what}: explained {} vs {}", plane.explained, jacobi.explained);
    for (a, b) in plane.mean.iter().zip(&jacobi.mean) {
        assert!((a - b).abs() < 1e-5, "{what}: mean");
    }
}

#[test]
fn pca_plane_matches_the_jacobi_pca_on_small_dims() {
    // 2 and 12 dims fit in one block (exact Rayleigh–Ritz); 30 needs the subspace iteration.
    let scales: Vec<f32> = (0..30).map(|j| 3.0 / (1.0 + j as f32)).collect();
    for &k in &[2, 5, 12, 30] {
        let z = codes(2000, &scales[..k], 4 + k as u64);
        assert_same_plane(&z.view(), &format!("{k} dims"));
    }
}

#[test]
fn pca_plane_matches_the_jacobi_pca_on_a_patch_of_real_digits() {
    // The central 10×10 pixels: real, correlated, 100 dims, well past one block.
    let test = common::mnist(Split::Test);
    let patch = test.images(0, 5000).into_shape_with_order((5000, 28, 28)).unwrap().slice(s![.., 9..19, 9..19]).to_owned();
    let z = patch.into_shape_with_order((5000, 100)).unwrap();
    assert_same_plane(&z.view(), "a 10×10 MNIST patch");
}

#[test]
fn pca_plane_of_points_on_a_line_explains_everything() {
    // Rank one: the second component is any direction orthogonal to the first, with variance 0.
    let mut rng = Rng::new(5);
    let dir: Vec<f32> = (0..40).map(|j| if j % 3 == 0 { 1.0 } else { 0.0 }).collect();
    let t: Vec<f32> = (0..300).map(|_| rng.normal()).collect();
    let z = Array2::from_shape_fn((300, 40), |(i, j)| 0.5 + t[i] * dir[j]);
    let p = pca_plane(&z.view()).unwrap();
    assert!((p.explained - 1.0).abs() < 1e-6, "{}", p.explained);
    assert!(p.variance[1] < 1e-9 * p.variance[0]);
    let dot: f32 = p.components.row(0).iter().zip(p.components.row(1)).map(|(a, b)| a * b).sum();
    assert!(dot.abs() < 1e-6 && p.components.row(1).iter().all(|v| v.is_finite()), "the components must stay orthonormal");
}

#[test]
fn bad_input_is_refused_with_a_sentence() {
    let p = Array2::<f32>::zeros((10, 3));
    let labels = [0u8; 10];
    let msg = |r: Result<f64, ae_playground::Error>| r.expect_err("must be refused").to_string();
    assert!(msg(knn_accuracy(&p.view(), &labels[..9], 3)).contains("9 labels for 10 points"));
    assert!(msg(knn_accuracy(&p.view(), &labels, 0)).contains("between 1 and 9"));
    assert!(msg(knn_accuracy(&p.view(), &labels, 10)).contains("between 1 and 9"));
    assert!(msg(retrieval_precision(&p.view(), &labels, 3, 11)).contains("between 1 and 10"));
    assert!(msg(retrieval_precision(&p.view(), &labels, 3, 0)).contains("between 1 and 10"));
    let mut nan = p.clone();
    nan[[4, 1]] = f32::NAN;
    assert!(msg(knn_accuracy(&nan.view(), &labels, 3)).contains("NaN"));
    assert!(pca_plane(&Array2::<f32>::zeros((10, 1)).view()).is_err());
    assert!(pca_plane(&nan.view()).is_err());
    let images = ndarray::Array2::<u8>::zeros((5, 4));
    assert!(nearest_image(&p.view(), images.view()).is_err(), "3-pixel queries among 4-pixel images");
    assert!(nearest_image(&Array2::<f32>::zeros((0, 4)).view(), images.view()).is_err(), "no queries");
}

#[test]
fn raw_pixels_retrieve_mostly_same_digit_neighbours() {
    let test = common::mnist(Split::Test);
    let x = test.images(0, test.len());
    let t = Instant::now();
    let p8 = retrieval_precision(&x.view(), &test.labels, 8, 1000).unwrap();
    eprintln!("pixel-space precision@8 (1,000 queries among 10,000 test images): {p8:.4} in {:.2} s", t.elapsed().as_secs_f64());
    assert!(p8 > 0.8 && p8 < 1.0, "{p8}");
}

#[test]
fn the_pixel_pca_map_separates_digits_only_partly() {
    let test = common::mnist(Split::Test);
    let x = test.images(0, test.len());
    let t = Instant::now();
    let plane = pca_plane(&x.view()).unwrap();
    let xy = project(&x.view(), &plane).unwrap();
    eprintln!(
        "pixel PCA of 10,000 test images: explained {:.4} (λ = {:.3}, {:.3}) in {:.2} s",
        plane.explained,
        plane.variance[0],
        plane.variance[1],
        t.elapsed().as_secs_f64()
    );
    // The map's own spread says what the variances claim: var(x) = λ₁, var(y) = λ₂, cov(x, y) = 0.
    let n = xy.nrows() as f64;
    let col = |c: usize| xy.column(c).iter().map(|&v| v as f64).collect::<Vec<_>>();
    let (xs, ys) = (col(0), col(1));
    let var = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>() / (n - 1.0);
    let cov: f64 = xs.iter().zip(&ys).map(|(a, b)| a * b).sum::<f64>() / (n - 1.0);
    assert!((var(&xs) / plane.variance[0] - 1.0).abs() < 1e-4 && (var(&ys) / plane.variance[1] - 1.0).abs() < 1e-4);
    assert!(cov.abs() < 1e-4 * plane.variance[1], "the map's axes are correlated: {cov}");
    // No single pixel varies more than the first component.
    let pixels = code_stats(&x.view());
    assert!(pixels.std.iter().all(|s| s * s < plane.variance[0]));
    // The commonly quoted figure: MNIST's first two components hold about 17% of the pixel variance.
    assert!(plane.explained > 0.12 && plane.explained < 0.22, "{}", plane.explained);

    let t = Instant::now();
    let acc = knn_accuracy(&xy.view(), &test.labels, 5).unwrap();
    eprintln!("kNN (k = 5, leave-one-out) accuracy of the pixel PCA map: {acc:.4} in {:.2} s", t.elapsed().as_secs_f64());
    assert!(acc > 0.3 && acc < 0.6, "{acc}");
}

#[test]
fn a_blend_of_two_digits_is_farther_from_the_training_set_than_a_real_digit() {
    let train = common::mnist(Split::Train);
    let test = common::mnist(Split::Test);
    // 20 pairs of test images of different classes, and their pixel-space midpoints.
    let (mut firsts, mut blends) = (Array2::<f32>::zeros((20, 784)), Array2::<f32>::zeros((20, 784)));
    let (mut i, mut pairs) = (0, 0);
    while pairs < 20 {
        if test.labels[i] != test.labels[i + 1] {
            let (a, b) = (test.images(i, i + 1), test.images(i + 1, i + 2));
            firsts.row_mut(pairs).assign(&a.row(0));
            blends.row_mut(pairs).assign(&((&a.row(0) + &b.row(0)) * 0.5));
            pairs += 1;
        }
        i += 2;
    }
    let t = Instant::now();
    let real = nearest_image(&firsts.view(), train.pixels.view()).unwrap();
    let blend = nearest_image(&blends.view(), train.pixels.view()).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let mean = |f: &[ae_playground::latent::Neighbour]| f.iter().map(|n| n.distance as f64).sum::<f64>() / f.len() as f64;
    let (real_d, blend_d) = (mean(&real), mean(&blend));
    eprintln!(
        "nearest-training-image distance, mean of 20: test digit {real_d:.3}, midpoint of two different digits {blend_d:.3} \
         (first pair: {:.3} vs {:.3}); 40 queries among 60,000 in {secs:.2} s",
        real[0].distance, blend[0].distance
    );
    assert!(blend_d > real_d, "a blend ({blend_d}) should sit farther from every training digit than a real digit ({real_d})");
}
