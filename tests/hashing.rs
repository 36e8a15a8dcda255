//! Retrieval by binary codes (src/measures/hashing.rs) against what can be
//! counted by hand or brute force, then ITQ on real MNIST: its quantisation
//! loss falls, its rotation stays a rotation, and its 32 bits retrieve
//! better than the same PCA projection turned at random.

use crate::common;

use ae_playground::measures::hashing::{average_precision, hamming_ranking, medians, precision_recall, to_bits, Itq};
use ae_playground::{Rng, Split};
use ndarray::{array, Array2};

#[test]
fn average_precision_counts_precision_at_each_relevant_item() {
    let labels = [1, 0, 1, 1, 0];
    // Relevant at ranks 1, 3 and 4: precisions 1, 2/3 and 3/4.
    let (ap, p2) = average_precision(&[0, 1, 2, 3, 4], &labels, 1, 5, 2);
    assert!((ap - (1.0 + 2.0 / 3.0 + 0.75) / 3.0).abs() < 1e-12, "{ap}");
    assert_eq!(p2, 0.5);
    // Only the top 2 count: one relevant item, at rank 1.
    assert_eq!(average_precision(&[0, 1, 2, 3, 4], &labels, 1, 2, 2).0, 1.0);
    // Nothing relevant in the top: AP 0, not NaN.
    assert_eq!(average_precision(&[1, 4], &labels, 1, 2, 2), (0.0, 0.0));
}

#[test]
fn precision_recall_counts_by_hand_and_recall_counts_unranked_relevant_items() {
    // Database labels: three 1s, two 0s. Query 0 (label 1) ranks 0, 1, 2; query 1 (label 0) ranks 4, 3.
    let labels = [1, 0, 1, 1, 0];
    let ranked = vec![vec![0, 1, 2], vec![4, 3]];
    let curve = precision_recall(&ranked, &labels, &[1, 0], &[1, 2]);
    // k = 1: query 0 finds 1 of 3 (precision 1), query 1 finds 1 of 2 (precision 1).
    assert_eq!(curve[0], ((1.0 / 3.0 + 0.5) / 2.0, 1.0));
    // k = 2: query 0 still 1 of 3 (precision ½), query 1 1 of 2 (item 3 is a 1: precision ½).
    assert_eq!(curve[1], ((1.0 / 3.0 + 0.5) / 2.0, 0.5));
    // A cut past a ranking's end is never reached: it stays 0 for that query.
    assert_eq!(precision_recall(&ranked, &labels, &[1, 0], &[3])[0], ((2.0 / 3.0) / 2.0, (2.0 / 3.0) / 2.0));
}

#[test]
fn hamming_ranking_is_a_stable_sort_by_distance() {
    let mut rng = Rng::new(7);
    for bits in [1, 8, 32, 64] {
        let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        // Few distinct codes, so many ties.
        let pool: Vec<u64> = (0..6).map(|_| rng.next_u64() & mask).collect();
        let database: Vec<u64> = (0..500).map(|_| pool[rng.below(6)]).collect();
        let query = rng.next_u64() & mask;
        let mut expected: Vec<usize> = (0..database.len()).collect();
        expected.sort_by_key(|&i| (database[i] ^ query).count_ones()); // stable: ties in database order
        assert_eq!(hamming_ranking(&database, query, bits, 500), expected, "{bits} bits");
        assert_eq!(hamming_ranking(&database, query, bits, 10), expected[..10]);
    }
}

#[test]
fn median_bits_cut_each_dimension_in_half() {
    let codes = array![[0.0f32, 5.0], [1.0, 6.0], [2.0, 7.0], [3.0, 8.0]];
    let cut = medians(&codes.view()).unwrap();
    assert_eq!(cut, vec![2.0, 7.0]);
    assert_eq!(to_bits(&codes.view(), &cut), vec![0b00, 0b00, 0b00, 0b11]);
    assert!(medians(&Array2::<f32>::zeros((3, 65)).view()).is_err(), "65 bits do not fit a u64");
}

/// mAP@`top` of `database` codes for the first `queries` of `query_codes`.
fn map(database: &[u64], db_labels: &[u8], query_codes: &[u64], q_labels: &[u8], top: usize) -> f64 {
    let total: f64 = query_codes.iter().zip(q_labels).map(|(&q, &l)| average_precision(&hamming_ranking(database, q, 32, top), db_labels, l, top, 1).0).sum();
    total / query_codes.len() as f64
}

#[test]
fn itq_lowers_its_quantisation_loss_keeps_a_rotation_and_beats_a_random_one_on_mnist() {
    let train = common::mnist(Split::Train);
    let test = common::mnist(Split::Test);
    let (n, q) = (10_000, 200);
    let images = train.images(0, n);
    let itq = Itq::fit(&images.view(), 32, 50, 1).unwrap();
    // Each half-step is optimal for what the other fixed, so the loss never rises.
    for w in itq.losses.windows(2) {
        assert!(w[1] <= w[0] * (1.0 + 1e-9), "the loss rose: {} -> {}", w[0], w[1]);
    }
    let r = itq.rotation.mapv(|x| x as f64);
    let rtr = r.t().dot(&r);
    let off = (&rtr - &Array2::<f64>::eye(32)).iter().fold(0.0f64, |m, x| m.max(x.abs()));
    assert!(off < 1e-5, "RᵀR is I to {off}");

    let db = itq.encode(&images.view()).unwrap();
    let queries = itq.encode(&test.images(0, q).view()).unwrap();
    let learnt = map(&db, &train.labels[..n], &queries, &test.labels[..q], 1000);
    // The same PCA, turned by the random rotation ITQ starts from (no iterations).
    let turned = Itq::fit(&images.view(), 32, 0, 1).unwrap();
    let random = map(&turned.encode(&images.view()).unwrap(), &train.labels[..n], &turned.encode(&test.images(0, q).view()).unwrap(), &test.labels[..q], 1000);
    println!("mAP@1000 of 32-bit codes, 10,000 training images, 200 test queries: ITQ {learnt:.3}, PCA at a random rotation {random:.3}");
    assert!(learnt > random + 0.02, "ITQ {learnt:.3} against a random rotation {random:.3}");
}
