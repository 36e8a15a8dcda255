//! The core's modules depend one way: a config is plain data that the
//! settings table, the size cap and the priors read (`settings/validate.rs`
//! checks it), and the sigmoid layer and the Bernoulli loss share
//! `logistic.rs` instead of reading each other. A `use` that closes one of
//! these loops again fails here.

use std::fs;

/// The modules `file` (under src/) names by `crate::…` paths outside comments.
fn named_modules(file: &str) -> Vec<String> {
    let text = fs::read_to_string(format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"))).expect("source file");
    let mut names = Vec::new();
    for line in text.lines().map(|l| l.split("//").next().unwrap_or("")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.push(name);
        }
    }
    names
}

#[test]
fn config_names_neither_settings_nor_model_size_nor_prior() {
    let named = named_modules("config.rs");
    for other in ["settings", "model_size", "prior"] {
        assert!(!named.iter().any(|n| n == other), "config.rs names crate::{other}, which reads config: {named:?}");
    }
    // The comparison can fail: settings does name config.
    assert!(named_modules("settings/validate.rs").iter().any(|n| n == "config"));
}

#[test]
fn the_sigmoid_layer_and_the_bernoulli_loss_do_not_name_each_other() {
    assert!(!named_modules("layers/activation.rs").iter().any(|n| n == "loss"), "activation.rs names crate::loss");
    assert!(!named_modules("loss.rs").iter().any(|n| n == "layers"), "loss.rs names crate::layers");
    assert!(named_modules("loss.rs").iter().any(|n| n == "logistic"));
}
