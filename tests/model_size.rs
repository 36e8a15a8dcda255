//! The size known before building matches the model actually built.
use ae_playground::config::{Decoder, ModelConfig, ModelKind};
use ae_playground::model_size::param_count;
use ae_playground::{build, Rng};

fn built_params(cfg: &ModelConfig) -> u64 {
    let mut model = build(cfg, &mut Rng::new(1)).expect("valid config");
    let mut n = 0u64;
    model.visit(&mut |_, _, w, _| n += w.len() as u64);
    n
}

#[test]
fn param_count_matches_the_built_model_for_every_kind_and_decoder() {
    for kind in ModelKind::all() {
        for decoder in [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar] {
            for hidden in [vec![], vec![7], vec![9, 5]] {
                let cfg = ModelConfig { kind, decoder, hidden: hidden.clone(), latent: 3, input: 12, classes: 4, ..ModelConfig::default() };
                assert_eq!(param_count(&cfg), built_params(&cfg), "{kind:?} {decoder:?} hidden {hidden:?}");
            }
        }
    }
}

#[test]
fn param_count_of_the_page_limit_model_is_the_figure_users_saw() {
    // The page's largest model (2048×4 layers, latent 64): 28.8 M parameters, as reported in issue 6.
    let cfg = ModelConfig { kind: ModelKind::Vae, hidden: vec![2048; 4], latent: 64, ..ModelConfig::default() };
    let n = param_count(&cfg);
    assert!((28_000_000..29_000_000).contains(&n), "{n}");
}
