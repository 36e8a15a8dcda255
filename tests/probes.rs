//! The probes (src/probes): each against a closed form, a brute-force
//! computation or finite differences on tiny models, then the lecture's
//! claims they exist to show, measured on real MNIST with brief training.
//! The measured figures are printed (`--nocapture`) for docs/quality.md.

use crate::common;

use ae_playground::config::{Decoder, ModelConfig, ModelKind, NoiseKind, TrainConfig};
use ae_playground::layers::{Activation, Init};
use ae_playground::loss::HALF_LN_2PI;
use ae_playground::models::corrupt;
use ae_playground::probes::{self, output_slopes::MAX_SLOPE};
use ae_playground::{build, Dataset, Model, Rng, Split, Trainer};
use common::{random_batch, rel_err, EPS, TOL};
use ndarray::{s, Array2, Array3};

const KINDS: [ModelKind; 8] =
    [ModelKind::Ae, ModelKind::Dae, ModelKind::Cae, ModelKind::Vae, ModelKind::Cvae, ModelKind::Aae, ModelKind::Hash, ModelKind::Vaegan];

/// The shared tiny model, with a contractive penalty strong enough to matter for the CAE.
fn tiny(kind: ModelKind) -> ModelConfig {
    ModelConfig { contractive: 2.0, ..common::tiny(kind) }
}

fn tiny_model(cfg: &ModelConfig) -> Box<dyn Model> {
    build(cfg, &mut Rng::new(11)).unwrap()
}

fn labels(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 3) as u8).collect()
}

fn weights(model: &mut dyn Model) -> Vec<f32> {
    let mut out = Vec::new();
    model.visit(&mut |_, _, w, _| out.extend_from_slice(w));
    out
}

/// Makes the decoder output the same means for every code: every decoder
/// weight 0, the output bias `logits`, so μ = σ(logits) in closed form.
fn constant_decoder(model: &mut dyn Model, logits: &[f32]) {
    let last = format!("decoder.{}.bias", model.config().hidden.len());
    model.visit(&mut |name, _, w, _| {
        if name.starts_with("decoder.") && name.ends_with(".weight") {
            w.fill(0.0);
        } else if name == last {
            w.copy_from_slice(logits);
        }
    });
}

fn sigmoid64(s: f32) -> f64 {
    1.0 / (1.0 + (-(s as f64)).exp())
}

// ---------------------------------------------------------------- grad_norms

/// ‖∂objective/∂W‖_F by central differences of the objective, noise held fixed.
fn numeric_weight_grad_norms(model: &mut dyn Model, x: &Array2<f32>, labels: &[u8], seed: u64, names: &[String]) -> Vec<f32> {
    let mut out = Vec::new();
    for name in names {
        let mut len = 0;
        model.visit(&mut |n, _, w, _| {
            if n == name {
                len = w.len()
            }
        });
        let mut sq = 0.0f64;
        for i in 0..len {
            let mut eval = |delta: f32| {
                model.visit(&mut |n, _, w, _| {
                    if n == name {
                        w[i] += delta
                    }
                });
                let l = model.objective(&x.view(), labels, &mut Rng::new(seed)).loss;
                model.visit(&mut |n, _, w, _| {
                    if n == name {
                        w[i] -= delta
                    }
                });
                l
            };
            let g = (eval(EPS) - eval(-EPS)) / (2.0 * EPS);
            sq += (g as f64) * (g as f64);
        }
        out.push(sq.sqrt() as f32);
    }
    out
}

#[test]
fn grad_norms_match_finite_differences_in_forward_order_and_leave_the_weights_alone() {
    for kind in KINDS {
        let cfg = ModelConfig { noise: NoiseKind::Gaussian, noise_level: 0.3, ..tiny(kind) };
        let mut model = tiny_model(&cfg);
        let x = random_batch(&mut Rng::new(5), 4, cfg.input);
        let labels = labels(4);
        let names = probes::weight_names(model.as_mut());
        // Encoder's three layers, then the decoder's three; no bias, no logvar, no discriminator.
        let want: Vec<String> = ["encoder.0", "encoder.1", "encoder.2", "decoder.0", "decoder.1", "decoder.2"].iter().map(|n| format!("{n}.weight")).collect();
        assert_eq!(names, want, "{kind}");
        let before = weights(model.as_mut());
        let got = probes::grad_norms(model.as_mut(), &x.view(), &labels, &mut Rng::new(77)).unwrap();
        assert_eq!(weights(model.as_mut()), before, "{kind}: the probe changed a weight");
        assert_eq!(got.iter().map(|l| l.name.clone()).collect::<Vec<_>>(), names);
        // Whatever the gradient buffers held before, the same seed gives the same figures.
        let again = probes::grad_norms(model.as_mut(), &x.view(), &labels, &mut Rng::new(77)).unwrap();
        assert_eq!(again, got, "{kind}");
        // (Last: nudging a weight by +ε then −ε does not give it back bit for bit.)
        let numeric = numeric_weight_grad_norms(model.as_mut(), &x, &labels, 77, &names);
        for (l, n) in got.iter().zip(&numeric) {
            assert!(rel_err(l.norm, *n) < TOL, "{kind} {}: probe {} numeric {n}", l.name, l.norm);
            assert!(l.norm > 0.0, "{kind} {}", l.name);
        }
    }
}

// ------------------------------------------------------------- output_slopes

#[test]
fn output_slopes_match_the_closed_form_of_a_constant_decoder() {
    let mut model = tiny_model(&tiny(ModelKind::Ae));
    // σ′ = μ(1−μ) for these logits: 0.25, 0.1966, 0.1050, 0.0452, 0.0066, 0.0000454.
    let logits = [0.0, 1.0, -2.0, 3.0, -5.0, 10.0];
    constant_decoder(model.as_mut(), &logits);
    let x = random_batch(&mut Rng::new(1), 7, 6);
    let bins = 5;
    let got = probes::output_slopes(model.as_mut(), &x.view(), &labels(7), bins).unwrap();
    let slopes: Vec<f64> = logits.iter().map(|&s| sigmoid64(s) * (1.0 - sigmoid64(s))).collect();
    let mut want = vec![0.0f32; bins];
    for &v in &slopes {
        // Bin edges 0, 0.05, …, 0.25 with the top edge closed.
        let i = (0..bins).find(|&i| v < (i + 1) as f64 * 0.05).unwrap_or(bins - 1);
        want[i] += 1.0 / 6.0;
    }
    eprintln!("constant decoder: fractions {:?}, mean σ′ {:.5}", got.fractions, got.mean);
    for (g, w) in got.fractions.iter().zip(&want) {
        assert!((g - w).abs() < 1e-6, "fractions {:?}, want {want:?}", got.fractions);
    }
    let mean = slopes.iter().sum::<f64>() / 6.0;
    assert!((got.mean as f64 - mean).abs() < 1e-6, "mean {} want {mean}", got.mean);
    assert_eq!(got.fractions[4], 1.0 / 6.0, "σ′ = ¼ exactly (μ = ½) falls in the last bin, not past it");
}

#[test]
fn output_slopes_match_a_brute_force_count_on_a_random_model() {
    for kind in [ModelKind::Vae, ModelKind::Cae] {
        let mut model = tiny_model(&tiny(kind));
        let x = random_batch(&mut Rng::new(2), 30, 6);
        let labels = labels(30);
        let bins = 7;
        let got = probes::output_slopes(model.as_mut(), &x.view(), &labels, bins).unwrap();
        let mu = model.generative().unwrap().reconstruct(&x.view(), &labels);
        let slopes: Vec<f32> = mu.iter().map(|&m| m * (1.0 - m)).collect();
        let width = MAX_SLOPE / bins as f32;
        for (i, &g) in got.fractions.iter().enumerate() {
            let (lo, hi) = (i as f32 * width, (i + 1) as f32 * width);
            let inside = slopes.iter().filter(|&&v| v >= lo && (v < hi || i == bins - 1)).count();
            assert!((g - inside as f32 / slopes.len() as f32).abs() < 1e-6, "{kind} bin {i}");
        }
        assert!((got.fractions.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!((got.mean - slopes.iter().sum::<f32>() / slopes.len() as f32).abs() < 1e-6);
    }
    let mut clf = tiny_model(&tiny(ModelKind::Classifier));
    assert!(probes::output_slopes(clf.as_mut(), &random_batch(&mut Rng::new(2), 2, 6).view(), &labels(2), 5).is_err());
    let mut ae = tiny_model(&tiny(ModelKind::Ae));
    assert!(probes::output_slopes(ae.as_mut(), &random_batch(&mut Rng::new(2), 2, 6).view(), &labels(2), 0).is_err());
}

// ----------------------------------------------------------- decoder_samples

#[test]
fn decoder_samples_have_the_likelihoods_mean_and_variance() {
    let logits = [0.0f32, 1.5, -1.0, 3.0, -3.0, 0.5];
    let mu: Vec<f64> = logits.iter().map(|&s| sigmoid64(s)).collect();
    let n = 4000;
    for decoder in [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar] {
        let mut model = tiny_model(&ModelConfig { decoder, ..tiny(ModelKind::Vae) });
        constant_decoder(model.as_mut(), &logits);
        // A learned variance of ¼ in every pixel.
        let lv = (0.25f32).ln();
        model.visit(&mut |name, _, w, _| {
            if name == "decoder.logvar" {
                w.fill(lv)
            }
        });
        let x = random_batch(&mut Rng::new(3), 1, 6);
        let draws = probes::decoder_samples(model.as_mut(), &x.view(), &[1], n, &mut Rng::new(9)).unwrap();
        assert_eq!(draws.dim(), (n + 1, 6));
        for c in 0..6 {
            assert!((draws[[0, c]] as f64 - mu[c]).abs() < 1e-6, "row 0 is the mean");
            let col = draws.slice(s![1.., c]);
            let mean = col.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
            let var = col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let want_var = match decoder {
                Decoder::Bernoulli => mu[c] * (1.0 - mu[c]),
                Decoder::Gaussian => 1.0,
                Decoder::GaussianLearnedVar => 0.25,
            };
            // Five standard errors of the mean; the variance within 15 %.
            assert!((mean - mu[c]).abs() < 5.0 * (want_var / n as f64).sqrt(), "{decoder} pixel {c}: mean {mean} want {}", mu[c]);
            assert!((var - want_var).abs() < 0.15 * want_var, "{decoder} pixel {c}: variance {var} want {want_var}");
            if decoder == Decoder::Bernoulli {
                assert!(col.iter().all(|&v| v == 0.0 || v == 1.0));
            }
        }
        let same = probes::decoder_samples(model.as_mut(), &x.view(), &[1], n, &mut Rng::new(9)).unwrap();
        assert_eq!(same, draws, "{decoder}: same seed, same draws");
        let other = probes::decoder_samples(model.as_mut(), &x.view(), &[1], n, &mut Rng::new(10)).unwrap();
        assert_ne!(other, draws, "{decoder}: another seed, other draws");
    }
    let mut ae = tiny_model(&tiny(ModelKind::Ae));
    assert!(probes::decoder_samples(ae.as_mut(), &random_batch(&mut Rng::new(3), 2, 6).view(), &labels(2), 3, &mut Rng::new(1)).is_err(), "one image only");
}

// ------------------------------------------------------------- white_chances

#[test]
fn the_chance_of_white_is_how_often_the_likelihoods_draws_land_above_half() {
    for (t, want) in [(0.0, 0.5), (1.959_963_985, 0.975), (-1.0, 0.158_655_254), (3.0, 0.998_650_102), (-6.0, 9.865_876e-10)] {
        let got = probes::normal_cdf(t);
        assert!((got - want).abs() <= 2e-7 * want.max(1e-3), "Φ({t}) = {got}, want {want}");
    }
    let logits = [0.0f32, 1.5, -1.0, 3.0, -3.0, 0.5];
    let n = 20_000;
    for decoder in [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar] {
        let mut model = tiny_model(&ModelConfig { decoder, ..tiny(ModelKind::Ae) });
        constant_decoder(model.as_mut(), &logits);
        model.visit(&mut |name, _, w, _| {
            if name == "decoder.logvar" {
                w.fill((0.04f32).ln()) // σ = 0.2
            }
        });
        let x = random_batch(&mut Rng::new(3), 1, 6);
        let chances = probes::white_chances(model.as_mut(), &x.view(), &[1]).unwrap();
        let draws = probes::decoder_samples(model.as_mut(), &x.view(), &[1], n, &mut Rng::new(9)).unwrap();
        for c in 0..6 {
            let p = chances[[0, c]] as f64;
            let seen = draws.slice(s![1.., c]).iter().filter(|&&v| v > 0.5).count() as f64 / n as f64;
            // Five standard errors of a share of n draws.
            assert!((seen - p).abs() < 5.0 * (p * (1.0 - p) / n as f64).sqrt() + 1e-3, "{decoder} pixel {c}: chance {p}, draws above ½ {seen}");
        }
    }
}

// ------------------------------------------------------------- nll_per_image

/// −log p(x|μ) summed over pixels, in f64, from the means (not the logits).
fn closed_form_nll(decoder: Decoder, x: &[f32], mu: &[f64], logvar: f64) -> f64 {
    x.iter()
        .zip(mu)
        .map(|(&x, &m)| {
            let x = x as f64;
            match decoder {
                Decoder::Bernoulli => -(x * m.ln() + (1.0 - x) * (1.0 - m).ln()),
                Decoder::Gaussian => HALF_LN_2PI as f64 + 0.5 * (x - m).powi(2),
                Decoder::GaussianLearnedVar => HALF_LN_2PI as f64 + 0.5 * (logvar + (x - m).powi(2) / logvar.exp()),
            }
        })
        .sum()
}

#[test]
fn nll_per_image_is_the_closed_form_and_averages_to_the_reported_recon() {
    for decoder in [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar] {
        for kind in [ModelKind::Ae, ModelKind::Cae, ModelKind::Vae, ModelKind::Cvae] {
            let mut model = tiny_model(&ModelConfig { decoder, ..tiny(kind) });
            let lv = 0.3f32;
            model.visit(&mut |name, _, w, _| {
                if name == "decoder.logvar" {
                    w.fill(lv)
                }
            });
            let x = random_batch(&mut Rng::new(4), 300, 6); // more than one chunk
            let labels = labels(300);
            let got = probes::nll_per_image(model.as_mut(), &x.view(), &labels).unwrap();
            let mu = model.generative().unwrap().reconstruct(&x.view(), &labels);
            for (r, &g) in got.iter().enumerate() {
                let m: Vec<f64> = mu.row(r).iter().map(|&v| v as f64).collect();
                let want = closed_form_nll(decoder, x.row(r).as_slice().unwrap(), &m, lv as f64);
                assert!((g as f64 - want).abs() < 1e-4 * want.abs().max(1.0), "{kind} {decoder} image {r}: {g} want {want}");
            }
            if !kind.is_variational() {
                let recon = model.evaluate(&x.view(), &labels, &mut Rng::new(1)).recon;
                let mean = got.iter().map(|&v| v as f64).sum::<f64>() / got.len() as f64;
                assert!((mean - recon as f64).abs() < 1e-4 * recon.abs() as f64, "{kind} {decoder}: mean {mean} reported {recon}");
            }
        }
    }
}

// --------------------------------------------------------------- noise_curve

#[test]
fn noise_curve_is_the_brute_force_error_of_reconstructing_corrupted_inputs() {
    let mut model = tiny_model(&tiny(ModelKind::Dae));
    let x = random_batch(&mut Rng::new(6), 300, 6); // more than one chunk
    let labels = labels(300);
    for kind in [NoiseKind::Gaussian, NoiseKind::Mask] {
        let levels = [0.0, 0.2, 0.5, 1.0];
        let got = probes::noise_curve(model.as_mut(), &x.view(), &labels, &levels, kind, 42).unwrap();
        for (&level, &g) in levels.iter().zip(&got) {
            let mut noisy = Array2::zeros(x.dim());
            corrupt(&x.view(), kind, level, &mut Rng::new(42), &mut noisy);
            let r = model.generative().unwrap().reconstruct(&noisy.view(), &labels);
            let want = (&r - &x).mapv(|d| (d as f64).powi(2)).sum() / 300.0;
            assert!((g as f64 - want).abs() < 1e-5 * want, "{kind} level {level}: {g} want {want}");
        }
        let clean = model.generative().unwrap().reconstruct(&x.view(), &labels);
        let want0 = (&clean - &x).mapv(|d| (d as f64).powi(2)).sum() / 300.0;
        assert!((got[0] as f64 - want0).abs() < 1e-5 * want0, "level 0 is the clean reconstruction");
    }
    for (kind, bad) in [(NoiseKind::Mask, 1.5), (NoiseKind::Gaussian, -0.1), (NoiseKind::Gaussian, f32::NAN)] {
        assert!(probes::noise_curve(model.as_mut(), &x.view(), &labels, &[bad], kind, 1).is_err(), "{kind} {bad}");
    }
}

// ------------------------------------------------------------------ jacobian

/// ∂code/∂x `(B, latent, input)` by central differences of `encode`.
fn numeric_jacobian(model: &mut dyn Model, x: &Array2<f32>, labels: &[u8], eps: f32) -> Array3<f32> {
    let (b, d) = x.dim();
    let k = model.encode(&x.view(), labels).ncols();
    let mut jac = Array3::zeros((b, k, d));
    for i in 0..d {
        let (mut up, mut down) = (x.clone(), x.clone());
        up.column_mut(i).mapv_inplace(|v| v + eps);
        down.column_mut(i).mapv_inplace(|v| v - eps);
        let diff = (model.encode(&up.view(), labels) - model.encode(&down.view(), labels)) / (2.0 * eps);
        jac.slice_mut(s![.., .., i]).assign(&diff);
    }
    jac
}

#[test]
fn the_exact_jacobian_matches_finite_differences_for_every_kind_with_a_code() {
    for kind in KINDS {
        for activation in [Activation::Tanh, Activation::Sigmoid] {
            let cfg = ModelConfig { activation, ..tiny(kind) };
            let mut model = tiny_model(&cfg);
            let x = random_batch(&mut Rng::new(7), 40, 6); // more than one chunk
            let labels = labels(40);
            let exact = model.code_jacobian(&x.view(), &labels).unwrap();
            let numeric = numeric_jacobian(model.as_mut(), &x, &labels, EPS);
            assert_eq!(exact.dim(), (40, 3, 6));
            let bad: Vec<_> = exact.iter().zip(&numeric).filter(|(a, n)| rel_err(**a, **n) > TOL).collect();
            assert!(bad.is_empty(), "{kind} {activation}: {} of {} entries disagree, e.g. {:?}", bad.len(), exact.len(), &bad[..bad.len().min(5)]);
            let norms = probes::jacobian_norms(model.as_mut(), &x.view(), &labels).unwrap();
            for (r, &n) in norms.iter().enumerate() {
                let want = numeric.slice(s![r, .., ..]).iter().map(|&v| (v as f64).powi(2)).sum::<f64>().sqrt() as f32;
                assert!(rel_err(n, want) < TOL, "{kind} {activation} image {r}: {n} want {want}");
            }
        }
    }
    // Piecewise-linear: away from kinks the difference is exact for a small step.
    let mut relu = tiny_model(&ModelConfig { activation: Activation::LeakyRelu, ..tiny(ModelKind::Ae) });
    let x = random_batch(&mut Rng::new(8), 10, 6);
    let exact = relu.code_jacobian(&x.view(), &labels(10)).unwrap();
    let numeric = numeric_jacobian(relu.as_mut(), &x, &labels(10), common::KINK_EPS);
    assert!(exact.iter().zip(&numeric).all(|(a, n)| (a - n).abs() < 1e-2), "leaky ReLU AE");
    let mut clf = tiny_model(&tiny(ModelKind::Classifier));
    assert!(probes::jacobian_norms(clf.as_mut(), &x.view(), &labels(10)).is_err());
}

#[test]
fn a_linear_encoders_jacobian_norm_is_its_weights_frobenius_norm() {
    let cfg = ModelConfig { hidden: vec![], activation: Activation::Identity, ..tiny(ModelKind::Ae) };
    let mut model = tiny_model(&cfg);
    let mut w2 = 0.0f64;
    model.visit(&mut |name, _, w, _| {
        if name == "encoder.0.weight" {
            w2 = w.iter().map(|&v| (v as f64).powi(2)).sum()
        }
    });
    let x = random_batch(&mut Rng::new(9), 5, 6);
    for n in probes::jacobian_norms(model.as_mut(), &x.view(), &labels(5)).unwrap() {
        assert!((n as f64 - w2.sqrt()).abs() < 1e-5, "{n} vs {}", w2.sqrt());
    }
}

/// For a linear encoder code = xW + b, ‖J‖_F = ‖W‖_F at every image and the
/// spread is computed here from the weights in f64, without `encode`.
#[test]
fn the_relative_jacobian_of_a_linear_encoder_is_its_weight_norm_over_the_code_spread() {
    let cfg = ModelConfig { hidden: vec![], activation: Activation::Identity, ..tiny(ModelKind::Ae) };
    let mut model = tiny_model(&cfg);
    model.visit(&mut |name, _, w, _| {
        if name == "encoder.0.bias" {
            w.copy_from_slice(&[0.3, -1.0, 2.0])
        }
    });
    let (mut w, mut bias) = (Vec::new(), Vec::new());
    model.visit(&mut |name, _, v, _| match name {
        "encoder.0.weight" => w = v.iter().map(|&v| v as f64).collect(),
        "encoder.0.bias" => bias = v.iter().map(|&v| v as f64).collect(),
        _ => {}
    });
    let n = 300; // more than one chunk of codes
    let x = random_batch(&mut Rng::new(13), n, 6);
    let codes: Vec<Vec<f64>> =
        x.rows().into_iter().map(|r| (0..3).map(|j| bias[j] + (0..6).map(|i| r[i] as f64 * w[i * 3 + j]).sum::<f64>()).collect()).collect();
    let var: f64 = (0..3)
        .map(|j| {
            let mean = codes.iter().map(|c| c[j]).sum::<f64>() / n as f64;
            codes.iter().map(|c| (c[j] - mean).powi(2)).sum::<f64>() / n as f64
        })
        .sum();
    let norm = w.iter().map(|v| v * v).sum::<f64>().sqrt();
    let got = probes::relative_jacobian(model.as_mut(), &x.view(), &labels(n)).unwrap();
    eprintln!("linear encoder: {got:?}; ‖W‖_F {norm:.5}, spread {:.5}", var.sqrt());
    assert!((got.mean_norm as f64 - norm).abs() < 1e-5 * norm, "{} vs {norm}", got.mean_norm);
    assert!((got.code_spread as f64 - var.sqrt()).abs() < 1e-4 * var.sqrt(), "{} vs {}", got.code_spread, var.sqrt());
    assert!((got.relative as f64 - norm / var.sqrt()).abs() < 1e-4 * norm / var.sqrt());
    assert!(probes::relative_jacobian(model.as_mut(), &x.slice(s![..1, ..]), &labels(1)).is_err(), "one image has no spread");
}

/// Shrinking every code by c shrinks the Jacobian norm by c, which a
/// contractive penalty could exploit; the relative measure does not move.
#[test]
fn scaling_the_code_layer_leaves_the_relative_jacobian_unchanged() {
    let cfg = ModelConfig { activation: Activation::Tanh, ..tiny(ModelKind::Cae) };
    let x = random_batch(&mut Rng::new(14), 50, 6);
    let at = |c: f32| {
        let mut model = tiny_model(&cfg);
        let last = format!("encoder.{}.", cfg.hidden.len());
        model.visit(&mut |name, _, w, _| {
            if name.starts_with(&last) {
                w.iter_mut().for_each(|v| *v = (*v + 0.1) * c)
            }
        });
        probes::relative_jacobian(model.as_mut(), &x.view(), &labels(50)).unwrap()
    };
    let (one, small) = (at(1.0), at(0.01));
    eprintln!("code layer × 1: {one:?}; × 0.01: {small:?}");
    assert!(rel_err(small.mean_norm, 0.01 * one.mean_norm) < 1e-4, "the absolute norm shrinks with the code");
    assert!(rel_err(small.code_spread, 0.01 * one.code_spread) < 1e-4);
    assert!(rel_err(small.relative, one.relative) < 1e-4, "{} vs {}", small.relative, one.relative);
}

// ---------------------------------------------------------------- code_shift

#[test]
fn code_shift_of_a_linear_encoder_scales_with_the_radius_and_averages_to_the_jacobian() {
    // For code = xW + b and δ = r·u, u uniform on the unit sphere in D
    // dimensions: E‖δW‖² = r² ‖W‖²_F / D.
    let cfg = ModelConfig { hidden: vec![], activation: Activation::Identity, ..tiny(ModelKind::Ae) };
    let mut model = tiny_model(&cfg);
    let n = 4000;
    let one = random_batch(&mut Rng::new(10), 1, 6);
    let x = Array2::from_shape_fn((n, 6), |(_, c)| one[[0, c]]);
    let labels = vec![0u8; n];
    let r = 0.3;
    let shifts = probes::code_shift(model.as_mut(), &x.view(), &labels, r, &mut Rng::new(5)).unwrap();
    let j = probes::jacobian_norms(model.as_mut(), &one.view(), &[0]).unwrap()[0] as f64;
    let mean_sq = shifts.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / n as f64;
    let want = (r as f64).powi(2) * j * j / 6.0;
    eprintln!("linear encoder: mean shift² {mean_sq:.5}, r²‖W‖²/D {want:.5}");
    assert!((mean_sq - want).abs() < 0.08 * want, "{mean_sq} vs {want}");
    let double = probes::code_shift(model.as_mut(), &x.view(), &labels, 2.0 * r, &mut Rng::new(5)).unwrap();
    assert!(shifts.iter().zip(&double).all(|(a, b)| (2.0 * a - b).abs() < 1e-4 * b.max(1e-3)), "same seed, twice the radius: twice the shift");
    let zero = probes::code_shift(model.as_mut(), &x.view(), &labels, 0.0, &mut Rng::new(5)).unwrap();
    assert!(zero.iter().all(|&v| v == 0.0));
    assert!(probes::code_shift(model.as_mut(), &x.view(), &labels, -1.0, &mut Rng::new(5)).is_err());
}

#[test]
fn probes_between_training_steps_leave_the_run_bit_for_bit_as_it_was() {
    let train = common::mnist(Split::Train).take(200);
    let (x, labels) = mnist_batch(8);
    for kind in [ModelKind::Dae, ModelKind::Vae, ModelKind::Aae] {
        let cfg = ModelConfig { kind, hidden: vec![16], latent: 2, ..ModelConfig::default() };
        let run = |probe: bool| {
            let mut t = Trainer::new(&cfg, &TrainConfig { batch: 20, seed: 2, ..TrainConfig::default() }).unwrap();
            for _ in 0..4 {
                t.step(&train).unwrap();
                if probe {
                    let m = t.model.as_mut();
                    probes::grad_norms(m, &x.view(), &labels, &mut Rng::new(1)).unwrap();
                    probes::output_slopes(m, &x.view(), &labels, 4).unwrap();
                    probes::decoder_samples(m, &x.slice(s![..1, ..]), &labels[..1], 2, &mut Rng::new(1)).unwrap();
                    probes::nll_per_image(m, &x.view(), &labels).unwrap();
                    probes::noise_curve(m, &x.view(), &labels, &[0.5], NoiseKind::Mask, 1).unwrap();
                    probes::jacobian_norms(m, &x.view(), &labels).unwrap();
                    probes::code_shift(m, &x.view(), &labels, 1.0, &mut Rng::new(1)).unwrap();
                    probes::taylor_step(m, &x.view(), &labels, 0.5, 1).unwrap();
                }
            }
            weights(t.model.as_mut())
        };
        assert_eq!(run(true), run(false), "{kind}");
    }
}

#[test]
fn the_vae_objective_weighs_the_kl_by_beta() {
    let x = random_batch(&mut Rng::new(12), 4, 6);
    for beta in [0.0, 1.0, 4.0] {
        let mut model = tiny_model(&ModelConfig { beta, ..tiny(ModelKind::Vae) });
        let s = model.objective(&x.view(), &labels(4), &mut Rng::new(3));
        assert!((s.loss - (s.recon + beta * s.kl)).abs() < 1e-4, "β {beta}: {s:?}");
        let e = model.evaluate(&x.view(), &labels(4), &mut Rng::new(3));
        assert!((e.loss - (e.recon + beta * e.kl)).abs() < 1e-4, "β {beta}: {e:?}");
    }
}

// ------------------------------------------------------- claims on real MNIST

fn mnist_batch(n: usize) -> (Array2<f32>, Vec<u8>) {
    let train = common::mnist(Split::Train);
    (train.images(0, n), train.labels[..n].to_vec())
}

fn trained(cfg: &ModelConfig, train: &Dataset, steps: usize) -> Trainer {
    let mut t = Trainer::new(cfg, &TrainConfig { batch: 64, seed: 3, ..TrainConfig::default() }).unwrap();
    t.init_output(train);
    for _ in 0..steps {
        t.step(train).unwrap();
    }
    t
}

#[test]
fn a_deep_sigmoid_autoencoder_starves_its_first_layer_of_gradient_and_a_relu_one_does_not() {
    let (x, labels) = mnist_batch(100);
    let ratio = |activation| {
        let cfg = ModelConfig { kind: ModelKind::Ae, hidden: vec![256, 128, 64, 64, 32], latent: 16, activation, ..ModelConfig::default() };
        let mut model = build(&cfg, &mut Rng::new(1)).unwrap();
        let g = probes::grad_norms(model.as_mut(), &x.view(), &labels, &mut Rng::new(1)).unwrap();
        let (first, last) = (g[0].norm, g[g.len() - 1].norm);
        eprintln!("{activation}: ‖∂L/∂W‖ by layer {:?}", g.iter().map(|l| format!("{:.2e}", l.norm)).collect::<Vec<_>>());
        first / last
    };
    let (sigmoid, relu) = (ratio(Activation::Sigmoid), ratio(Activation::Relu));
    eprintln!("first/last layer gradient norm at init, 5 hidden layers each side: sigmoid {sigmoid:.2e}, ReLU {relu:.2e}");
    assert!(sigmoid < 0.01 * relu, "sigmoid {sigmoid:.2e} vs ReLU {relu:.2e}");
}

#[test]
fn a_saturated_initialisation_leaves_the_output_sigmoid_almost_flat() {
    // The cross-entropy test's set-up in tests/learning.rs: 784-16-784, sigmoid, N(0, 1) weights.
    let (x, labels) = mnist_batch(500);
    let mean_slope = |init| {
        let cfg = ModelConfig { kind: ModelKind::Ae, hidden: vec![], latent: 16, activation: Activation::Sigmoid, init, ..ModelConfig::default() };
        let mut model = build(&cfg, &mut Rng::new(5)).unwrap();
        let s = probes::output_slopes(model.as_mut(), &x.view(), &labels, 5).unwrap();
        eprintln!("init {init}: σ′ histogram over [0, ¼] in 5 bins {:?}, mean {:.4}", s.fractions, s.mean);
        s
    };
    let saturated = mean_slope(Init::Normal { std: 1.0 });
    let xavier = mean_slope(Init::Xavier);
    assert!(saturated.mean < 0.05, "mean σ′ {}", saturated.mean);
    assert!(saturated.mean < 0.3 * xavier.mean, "saturated {} vs xavier {}", saturated.mean, xavier.mean);
    assert!(saturated.fractions[0] > 0.6, "most outputs are nearly flat: {:?}", saturated.fractions);
}

#[test]
fn a_briefly_trained_dae_reconstructs_corrupted_digits_better_than_an_ae() {
    let train = common::mnist(Split::Train).take(3000);
    let test = common::mnist(Split::Test);
    let (x, labels) = (test.images(0, 1000), test.labels[..1000].to_vec());
    // The DAE trains with the default corruption, masking 30 % of the pixels.
    let base = ModelConfig { hidden: vec![128], latent: 32, noise: NoiseKind::Mask, noise_level: 0.3, ..ModelConfig::default() };
    let levels = [0.0, 0.1, 0.3, 0.5, 0.7];
    let curve = |kind| {
        let mut t = trained(&ModelConfig { kind, ..base.clone() }, &train, 300);
        probes::noise_curve(t.model.as_mut(), &x.view(), &labels, &levels, NoiseKind::Mask, 7).unwrap()
    };
    let (ae, dae) = (curve(ModelKind::Ae), curve(ModelKind::Dae));
    eprintln!("masking level {levels:?}: squared error AE {ae:.1?}, DAE (trained at 0.3) {dae:.1?}");
    for ((&level, a), d) in levels.iter().zip(&ae).zip(&dae) {
        if level >= 0.3 {
            assert!(d < a, "level {level}: DAE {d:.1} vs AE {a:.1}");
        }
    }
}

#[test]
fn beta_four_trades_reconstruction_for_a_smaller_kl() {
    let train = common::mnist(Split::Train).take(3000);
    let test = common::mnist(Split::Test).take(2000);
    let run = |beta| {
        let mut t = trained(&ModelConfig { kind: ModelKind::Vae, hidden: vec![128], latent: 8, beta, ..ModelConfig::default() }, &train, 300);
        t.evaluate(&test).stats
    };
    let (one, four) = (run(1.0), run(4.0));
    eprintln!("VAE after 300 steps, test: β = 1 recon {:.1} KL {:.1}; β = 4 recon {:.1} KL {:.1}", one.recon, one.kl, four.recon, four.kl);
    assert!(four.kl < one.kl, "KL: β=4 {} vs β=1 {}", four.kl, one.kl);
    assert!(four.recon > one.recon, "recon: β=4 {} vs β=1 {}", four.recon, one.recon);
}

// ---------------------------------------------------------------- taylor_step

#[test]
fn a_taylor_step_is_the_objective_after_a_hand_made_step_and_linear_for_tiny_steps() {
    let cfg = ModelConfig { kind: ModelKind::Ae, hidden: vec![16], latent: 4, ..ModelConfig::default() };
    let mut model = build(&cfg, &mut Rng::new(3)).unwrap();
    let (x, labels) = mnist_batch(16);
    let before = weights(model.as_mut());
    let eta = 0.01;
    let t = probes::taylor_step(model.as_mut(), &x.view(), &labels, eta, 7).unwrap();
    assert_eq!(weights(model.as_mut()), before, "the weights are put back exactly");
    // The same step by hand: the gradient, then w − ηg, then the objective.
    model.compute_grads(&x.view(), &labels, &mut Rng::new(7));
    let mut g2 = 0.0f64;
    model.visit(&mut |_, _, w, g| {
        g2 += g.iter().map(|&v| (v as f64).powi(2)).sum::<f64>();
        w.iter_mut().zip(g.iter()).for_each(|(w, &g)| *w -= eta * g);
    });
    let after = model.objective(&x.view(), &labels, &mut Rng::new(7)).loss as f64;
    assert!((t.predicted + eta as f64 * g2).abs() < 1e-9 * g2.max(1.0), "{} vs {}", t.predicted, -eta as f64 * g2);
    assert_eq!(t.loss + t.actual, after, "the actual change is the hand-made step's");
    // First order: the ratio tends to 1 as the step shrinks, and a large step strays from it.
    let mut fresh = build(&cfg, &mut Rng::new(3)).unwrap();
    let small = probes::taylor_step(fresh.as_mut(), &x.view(), &labels, 1e-4, 7).unwrap();
    let large = probes::taylor_step(fresh.as_mut(), &x.view(), &labels, 0.5, 7).unwrap();
    eprintln!("taylor: small {small:?}, large {large:?}");
    assert!((small.actual / small.predicted - 1.0).abs() < 0.05, "{small:?}");
    assert!((large.actual / large.predicted - 1.0).abs() > 0.2, "{large:?}");
    assert!(probes::taylor_step(fresh.as_mut(), &x.view(), &labels, 0.0, 7).is_err(), "a step of 0 is refused");
}
