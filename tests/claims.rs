//! Every measured lesson's claim at seeds 1–5, natively on real MNIST, as
//! the page runs it (src/claims): each rule must hold at all five seeds, and
//! under the lesson's neutral link (the one thing it varies made the same on
//! every side) each rule that credits that thing must fail at all five. A
//! sentence marked not earned must still fail at some seed (or pass
//! neutralised), or be promoted. The
//! numbers are printed (`--nocapture`) and must stay inside the 5-seed range
//! each rule states, which the card shows as "what you should see".

use crate::common;

use ae_playground::claims::{self, side_configs, Figures, Lesson};
use ae_playground::settings;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// Whether side `i`'s settings are the same with and without the neutral link (then its figures are reused).
fn unchanged(lesson: &Lesson, i: usize, seed: u64) -> bool {
    let a = side_configs(lesson, i, "", Some(seed)).unwrap();
    let b = side_configs(lesson, i, lesson.neutral, Some(seed)).unwrap();
    serde_json::to_value((&a.model, &a.train)).unwrap() == serde_json::to_value((&b.model, &b.train)).unwrap()
}

/// Side `i`'s settings under `overrides` as they matter for its model kind: each setting the
/// table says does not (its `only` leaves the kind out) at the page's default.
fn effective(lesson: &Lesson, i: usize, overrides: &str, seed: u64) -> serde_json::Value {
    let c = side_configs(lesson, i, overrides, Some(seed)).unwrap();
    let mut v = serde_json::json!({ "model": c.model, "train": c.train, "dataset": c.dataset });
    let (model, train, dataset) = settings::configs_from(&settings::page_defaults()).unwrap();
    let defaults = serde_json::json!({ "model": model, "train": train, "dataset": dataset });
    let kind = v["model"]["kind"].as_str().unwrap().to_string();
    for s in settings::ALL.iter().filter(|s| !s.page.only.is_empty() && !s.page.only.contains(&kind.as_str())) {
        let at = format!("/{}", s.path.replace('.', "/"));
        if let (Some(slot), Some(d)) = (v.pointer_mut(&at), defaults.pointer(&at)) {
            *slot = d.clone();
        }
    }
    v
}

/// For each side the neutral link changes: another side that trains, on its own, exactly as
/// this one does under the link (the same settings, as they matter for its kind).
fn twins(lesson: &Lesson, seed: u64) -> Vec<Option<usize>> {
    (0..lesson.sides.len())
        .map(|i| {
            let neutral = effective(lesson, i, lesson.neutral, seed);
            (!unchanged(lesson, i, seed)).then(|| (0..lesson.sides.len()).find(|&j| j != i && effective(lesson, j, "", seed) == neutral)).flatten()
        })
        .collect()
}

fn check(name: &str) {
    let lesson = claims::lesson(name).unwrap();
    let data = common::lesson_data();
    let mut own = vec![Vec::new(); lesson.rules.len()];
    let mut neutral = vec![Vec::new(); lesson.rules.len()];
    let mut failures = Vec::new();
    // Trained once, at the first seed, and used for every seed and side.
    let mut judge = None;
    // A neutralised side that trains as another side does on its own (its twin) measures what
    // that side measured, unless its figures depend on its place (the first side of some lessons
    // also measures references): at the first seed both are measured, and only a twin whose
    // figures came out the same is reused from the second seed on.
    let mut proven: Vec<Option<bool>> = vec![None; lesson.sides.len()];
    for seed in SEEDS {
        let figures = claims::run(lesson, "", Some(seed), &data, &mut judge).unwrap();
        let verdict = lesson.judge(&figures).unwrap();
        let twins = twins(lesson, seed);
        let sides: Vec<Figures> = (0..lesson.sides.len())
            .map(|i| {
                if unchanged(lesson, i, seed) {
                    return figures[i].clone();
                }
                if let (Some(j), Some(true)) = (twins[i], proven[i]) {
                    return figures[j].clone();
                }
                let measured = claims::measure_side(lesson, i, lesson.neutral, Some(seed), &data, judge.as_mut()).unwrap();
                if let (Some(j), None) = (twins[i], proven[i]) {
                    proven[i] = Some(measured == figures[j]);
                    eprintln!("{name} side {i} under the neutral link trains as side {j}: the same figures at seed {seed}: {}", measured == figures[j]);
                }
                measured
            })
            .collect();
        let off = lesson.judge(&sides).unwrap();
        for (k, (r, n)) in verdict.rules.iter().zip(&off.rules).enumerate() {
            eprintln!(
                "{name} seed {seed} {}: {:.4} ({}) | neutral {:.4} ({})",
                r.id,
                r.value,
                if r.holds { "holds" } else { "fails" },
                n.value,
                if n.holds { "holds" } else { "fails" }
            );
            own[k].push(r.value);
            neutral[k].push(n.value);
            if r.earned && !r.holds {
                failures.push(format!("seed {seed}: '{}' does not hold ({} = {:.4})", r.id, r.measure, r.value));
            }
            if lesson.rules[k].neutralised && lesson.rules[k].earned && n.holds {
                failures.push(format!("seed {seed}: '{}' still holds under the neutral link {} ({:.4}): it cannot fail", r.id, lesson.neutral, n.value));
            }
        }
    }
    for (k, rule) in lesson.rules.iter().enumerate() {
        let lo = own[k].iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = own[k].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let (nlo, nhi) = (neutral[k].iter().cloned().fold(f64::INFINITY, f64::min), neutral[k].iter().cloned().fold(f64::NEG_INFINITY, f64::max));
        eprintln!("{name} {}: seeds 1-5 [{lo:.4}, {hi:.4}], neutral [{nlo:.4}, {nhi:.4}]; stated [{}, {}]", rule.id, rule.seeds[0], rule.seeds[1]);
        // Earned means: passes at all five seeds and, if it credits what the neutral link takes
        // away, fails at all five there. The table must say which sentences are.
        let earned = own[k].iter().all(|&v| rule.passes(v)) && !(rule.neutralised && neutral[k].iter().any(|&v| rule.passes(v)));
        if rule.earned != earned {
            failures.push(format!("'{}' is marked earned: {}, but seeds 1-5 say {earned} (own {:?}, neutral {:?})", rule.id, rule.earned, own[k], neutral[k]));
        }
        // The stated range is rounded outwards from the measured one; a NaN range was never measured.
        if !(lo >= rule.seeds[0] && hi <= rule.seeds[1]) {
            failures.push(format!("'{}': seeds 1-5 gave [{lo:.4}, {hi:.4}], outside the stated range {:?}", rule.id, rule.seeds));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn backprop_a_sigmoid_network_starves_its_first_layer_and_relu_does_not() {
    check("backprop");
}

#[test]
fn cross_entropy_learns_from_a_saturated_start_where_squared_error_crawls() {
    check("cross-entropy");
}

#[test]
fn denoising_beats_a_plain_autoencoder_on_corrupted_images_and_the_gap_grows() {
    check("denoising");
}

#[test]
fn beta_ten_carries_less_information_collapses_dimensions_and_pays_in_reconstruction() {
    check("beta");
}

#[test]
fn a_conditional_vaes_codes_carry_less_of_the_class() {
    check("cvae");
}

#[test]
fn sixteen_trained_numbers_retrieve_as_well_as_784_pixels() {
    check("retrieval");
}

#[test]
fn a_contractive_penalty_flattens_the_encoder_relative_to_its_codes_and_costs_reconstruction() {
    check("contractive");
}

#[test]
fn adversarial_codes_take_the_priors_shape_by_measures_the_game_does_not_optimise() {
    check("aae");
}

#[test]
fn a_vaes_prior_is_known_before_training_and_its_paths_stay_on_digits() {
    check("ae-vs-vae");
}

#[test]
fn decoded_code_midpoints_are_digits_where_pixel_midpoints_are_overlays() {
    check("manifold");
}

#[test]
fn a_small_gradient_step_drops_the_loss_as_predicted_and_a_large_one_does_not() {
    check("gradient-descent");
}

#[test]
fn cross_entropy_is_less_sensitive_to_the_initialisation_than_squared_error() {
    check("initialisation");
}

#[test]
fn on_black_and_white_digits_the_bernoulli_likelihood_fits_and_a_gaussian_does_not() {
    check("likelihood");
}

#[test]
fn noise_before_a_sigmoid_code_makes_bits_that_rank_like_pixels() {
    check("hashing");
}

#[test]
fn a_discriminator_on_images_makes_a_vaes_samples_sharper_without_dropping_digits() {
    check("generation");
}
