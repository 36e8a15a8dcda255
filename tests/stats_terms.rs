//! The page shows each model kind's loss terms from `ModelKind::terms` and
//! `stats::TERMS` (through the settings table). These tests hold those facts to
//! what the models report: a kind lists exactly the figures it fills in.

use crate::common;

use ae_playground::config::{ModelConfig, ModelKind, TrainConfig};
use ae_playground::stats::{Stats, TERMS};
use ae_playground::{Split, Trainer};

#[test]
fn the_terms_table_names_every_figure_but_the_loss_in_order() {
    let names: Vec<&str> = Stats::default().named().iter().map(|(n, _)| *n).collect();
    let terms: Vec<&str> = TERMS.iter().map(|t| t.name).collect();
    assert_eq!(names[0], "loss");
    assert_eq!(terms, names[1..]);
}

#[test]
fn each_kind_lists_exactly_the_figures_its_test_evaluation_fills_in() {
    let train = common::mnist(Split::Train);
    let test = common::mnist(Split::Test).take(300);
    for kind in ModelKind::all() {
        let cfg = ModelConfig { kind, hidden: vec![32], latent: 4, contractive: 0.1, ..ModelConfig::default() };
        let mut t = Trainer::new(&cfg, &TrainConfig { batch: 50, seed: 5, ..TrainConfig::default() }).unwrap();
        t.init_output(train);
        for _ in 0..5 {
            t.step(train).unwrap();
        }
        let stats = t.evaluate(&test).stats;
        for (name, v) in &stats.named()[1..] {
            let listed = kind.terms().contains(name);
            // An unlabelled AAE's codes have no part of their own: NaN, which the page leaves out.
            let no_parts = *name == "own_part" && kind == ModelKind::Aae;
            assert!(v.is_finite() || (no_parts && v.is_nan()), "{kind:?}: {name} = {v}");
            assert_eq!(*v != 0.0, listed, "{kind:?} reports {name} = {v}, and its terms are {:?}", kind.terms());
        }
    }
}
