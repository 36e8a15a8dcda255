//! Gradient checks: every layer, activation, loss, penalty and whole model
//! against central finite differences (tolerances in tests/common).

use crate::common;

use ae_playground::config::{Decoder, ModelConfig, ModelKind, NoiseKind, Prior};
use ae_playground::layers::{Activation, Dense, Init};
use ae_playground::loss;
use ae_playground::models::Phase;
use ae_playground::{build, prior, Rng};
use common::*;
use ndarray::{Array1, Array2};

fn assert_close(what: &str, analytic: &[f32], numeric: &[f32]) {
    let bad: Vec<String> = analytic
        .iter()
        .zip(numeric)
        .enumerate()
        .filter(|(_, (a, n))| rel_err(**a, **n) > TOL)
        .take(10)
        .map(|(i, (a, n))| format!("{what}[{i}]: analytic {a} numeric {n}"))
        .collect();
    assert!(bad.is_empty(), "gradient mismatch:\n{}", bad.join("\n"));
}

/// Numeric gradient of `f` at `x` by central differences.
fn numeric_grad(x: &mut [f32], mut f: impl FnMut(&[f32]) -> f32) -> Vec<f32> {
    (0..x.len())
        .map(|i| {
            let orig = x[i];
            x[i] = orig + EPS;
            let up = f(x);
            x[i] = orig - EPS;
            let down = f(x);
            x[i] = orig;
            (up - down) / (2.0 * EPS)
        })
        .collect()
}

#[test]
fn every_activation_backward_matches_finite_difference() {
    let mut rng = Rng::new(1);
    for act in Activation::all() {
        // Points at least 0.1 from ReLU's kink, where the derivative jumps.
        let mut z: Vec<f32> = (0..12)
            .map(|_| {
                let v = 4.0 * rng.uniform() - 2.0;
                if v.abs() < 0.1 {
                    v + 0.3
                } else {
                    v
                }
            })
            .collect();
        let c: Vec<f32> = (0..12).map(|_| rng.normal()).collect();
        let loss = |z: &[f32]| {
            let mut a = z.to_vec();
            act.forward(&mut a);
            a.iter().zip(&c).map(|(a, c)| a * c).sum::<f32>()
        };
        let mut a = z.clone();
        act.forward(&mut a);
        let mut d = c.clone();
        act.backward(&a, &mut d);
        let n = numeric_grad(&mut z, loss);
        assert_close(act.name(), &d, &n);
    }
}

/// The contractive penalty's tangent pass uses f′ and f″ written in terms of
/// the output a = f(z): each against a central difference of the one below.
#[test]
fn every_activation_slope_and_curvature_match_finite_differences() {
    let mut rng = Rng::new(9);
    let f = |act: Activation, z: f32| {
        let mut v = [z];
        act.forward(&mut v);
        v[0]
    };
    for act in Activation::all() {
        for _ in 0..20 {
            // At least 0.1 from the kink of the piecewise-linear ones.
            let z = 4.0 * rng.uniform() - 2.0;
            let z = if z.abs() < 0.1 { z + 0.3 } else { z };
            let slope = act.slope(f(act, z));
            let numeric = (f(act, z + EPS) - f(act, z - EPS)) / (2.0 * EPS);
            assert!(rel_err(slope, numeric) < TOL, "{act} f′({z}): {slope} vs {numeric}");
            let curvature = act.curvature(f(act, z));
            let numeric = (act.slope(f(act, z + EPS)) - act.slope(f(act, z - EPS))) / (2.0 * EPS);
            assert!(rel_err(curvature, numeric) < TOL, "{act} f″({z}): {curvature} vs {numeric}");
        }
    }
}

#[test]
fn dense_backward_matches_finite_difference_for_weights_bias_and_input() {
    let mut rng = Rng::new(2);
    let (b, i, o) = (3, 4, 5);
    let x = random_batch(&mut rng, b, i);
    let c = Array2::from_shape_fn((b, o), |_| rng.normal());
    let mut layer = Dense::new(i, o, Init::Normal { std: 0.5 }, &mut rng);
    layer.b.iter_mut().for_each(|v| *v = rng.normal());
    let out = |l: &Dense, x: &Array2<f32>| {
        let mut y = Array2::zeros((b, o));
        l.forward(&x.view(), &mut y.view_mut());
        (&y * &c).sum()
    };
    let mut dx = Array2::zeros((b, i));
    layer.zero_grad();
    layer.backward(&x.view(), &c.view(), Some(&mut dx.view_mut()));

    let mut w = layer.w.clone().into_raw_vec_and_offset().0;
    let nw = numeric_grad(&mut w, |w| {
        let mut l = Dense { w: Array2::from_shape_vec((i, o), w.to_vec()).unwrap(), b: layer.b.clone(), dw: layer.dw.clone(), db: layer.db.clone() };
        l.zero_grad();
        out(&l, &x)
    });
    assert_close("dw", layer.dw.as_slice().unwrap(), &nw);

    let mut bias = layer.b.to_vec();
    let nb = numeric_grad(&mut bias, |bv| {
        let l = Dense { w: layer.w.clone(), b: Array1::from(bv.to_vec()), dw: layer.dw.clone(), db: layer.db.clone() };
        out(&l, &x)
    });
    assert_close("db", layer.db.as_slice().unwrap(), &nb);

    let mut xs = x.clone().into_raw_vec_and_offset().0;
    let nx = numeric_grad(&mut xs, |xv| out(&layer, &Array2::from_shape_vec((b, i), xv.to_vec()).unwrap()));
    assert_close("dx", dx.as_slice().unwrap(), &nx);
}

#[test]
fn bernoulli_nll_gradient_matches_finite_difference() {
    let mut rng = Rng::new(3);
    let x = random_batch(&mut rng, 3, 5);
    let mut s: Vec<f32> = (0..15).map(|_| 3.0 * rng.normal()).collect();
    let mut g = Array2::zeros((3, 5));
    loss::bernoulli_nll(&Array2::from_shape_vec((3, 5), s.clone()).unwrap().view(), &x.view(), &mut g);
    let n = numeric_grad(&mut s, |s| loss::bernoulli_nll(&Array2::from_shape_vec((3, 5), s.to_vec()).unwrap().view(), &x.view(), &mut Array2::zeros((3, 5))));
    assert_close("bernoulli", g.as_slice().unwrap(), &n);
}

#[test]
fn bernoulli_nll_value_alone_is_the_value_with_the_gradient_to_the_bit() {
    // 300 images: more than the 256 rows whose sums the loss keeps at a time.
    let mut rng = Rng::new(8);
    let x = random_batch(&mut rng, 300, 784);
    let s = Array2::from_shape_simple_fn((300, 784), || 8.0 * rng.normal());
    let with_grad = loss::bernoulli_nll(&s.view(), &x.view(), &mut Array2::zeros((300, 784)));
    let alone = loss::bernoulli_nll_value(&s.view(), &x.view());
    assert_eq!(alone.to_bits(), with_grad.to_bits(), "{alone} against {with_grad}");
    // And both are the mean of the images' sums, each added in order in f64.
    let per_image: f64 = s.rows().into_iter().zip(x.rows()).map(|(s, x)| s.iter().zip(x).map(|(&s, &t)| (loss::softplus(s) - t * s) as f64).sum::<f64>()).sum();
    assert_eq!(alone, (per_image / 300.0) as f32);
}

#[test]
fn bernoulli_nll_is_finite_for_extreme_logits() {
    let s = Array2::from_shape_vec((1, 4), vec![-200.0, 200.0, -200.0, 200.0]).unwrap();
    let x = Array2::from_shape_vec((1, 4), vec![1.0, 0.0, 0.0, 1.0]).unwrap();
    let v = loss::bernoulli_nll(&s.view(), &x.view(), &mut Array2::zeros((1, 4)));
    // Two confidently wrong pixels cost 200 nats each; the right ones cost ~0.
    assert!((v - 400.0).abs() < 1e-3, "{v}");
}

#[test]
fn gaussian_nll_gradient_matches_finite_difference_with_fixed_and_learned_variance() {
    let mut rng = Rng::new(4);
    let x = random_batch(&mut rng, 2, 4);
    let mut s: Vec<f32> = (0..8).map(|_| rng.normal()).collect();
    let mut lv: Vec<f32> = (0..4).map(|_| 0.5 * rng.normal()).collect();
    let sa = |s: &[f32]| Array2::from_shape_vec((2, 4), s.to_vec()).unwrap();
    for learned in [false, true] {
        let mut g = Array2::zeros((2, 4));
        let mut dlv = Array1::zeros(4);
        let lva = Array1::from(lv.clone());
        loss::gaussian_nll(&sa(&s).view(), &x.view(), learned.then(|| lva.view()), &mut g, learned.then(|| dlv.view_mut()));
        let lvc = lva.clone();
        let n = numeric_grad(&mut s, |s| loss::gaussian_nll(&sa(s).view(), &x.view(), learned.then(|| lvc.view()), &mut Array2::zeros((2, 4)), None));
        assert_close("gaussian dlogits", g.as_slice().unwrap(), &n);
        if learned {
            let sv = s.clone();
            let n = numeric_grad(&mut lv, |lv| {
                loss::gaussian_nll(&sa(&sv).view(), &x.view(), Some(Array1::from(lv.to_vec()).view()), &mut Array2::zeros((2, 4)), None)
            });
            assert_close("gaussian dlogvar", dlv.as_slice().unwrap(), &n);
        }
    }
}

/// The loss computes each pixel's variance once a batch (on the stack up to
/// 1,024 pixels, a chunk at a time beyond) and its terms in vectorised
/// chunks: the same bits as the formula a pixel at a time, value, gradient
/// and ∂/∂logvar, for MNIST's 784 pixels and for a wider image.
#[test]
fn gaussian_nll_in_chunks_gives_the_bits_of_the_formula_a_pixel_at_a_time() {
    for d in [784, 1100] {
        let mut rng = Rng::new(9);
        let b = 3;
        let x = random_batch(&mut rng, b, d);
        let s = Array2::from_shape_fn((b, d), |_| 3.0 * rng.normal());
        let lv = Array1::from_shape_fn(d, |_| 4.0 * rng.normal());
        for learned in [false, true] {
            let (mut g, mut dlv) = (Array2::zeros((b, d)), Array1::zeros(d));
            let v = loss::gaussian_nll(&s.view(), &x.view(), learned.then(|| lv.view()), &mut g, learned.then(|| dlv.view_mut()));
            let (mut total, mut g_want, mut dlv_want) = (0.0f64, Array2::<f32>::zeros((b, d)), Array1::<f32>::zeros(d));
            for r in 0..b {
                for c in 0..d {
                    let mu = loss::softplus_sigmoid(s[[r, c]]).1;
                    let diff = mu - x[[r, c]];
                    let l = if learned { lv[c].clamp(loss::LOGVAR_MIN, loss::LOGVAR_MAX) } else { 0.0 };
                    let inv_var = if learned { (-l).exp() } else { 1.0 };
                    total += (loss::HALF_LN_2PI + 0.5 * (l + diff * diff * inv_var)) as f64;
                    g_want[[r, c]] = diff * inv_var * mu * (1.0 - mu) / b as f32;
                    dlv_want[c] += 0.5 * (1.0 - diff * diff * inv_var) / b as f32;
                }
            }
            let same = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits());
            assert_eq!(v.to_bits(), ((total / b as f64) as f32).to_bits(), "d {d}, learned {learned}: the value");
            assert!(same(g.as_slice().unwrap(), g_want.as_slice().unwrap()), "d {d}, learned {learned}: the gradient");
            assert!(!learned || same(dlv.as_slice().unwrap(), dlv_want.as_slice().unwrap()), "d {d}: ∂/∂logvar");
        }
    }
}

#[test]
fn unit_gaussian_nll_is_half_squared_error_plus_constant() {
    let s = Array2::from_shape_vec((1, 2), vec![0.0, 0.0]).unwrap(); // μ = 0.5
    let x = Array2::from_shape_vec((1, 2), vec![1.0, 0.0]).unwrap();
    let v = loss::gaussian_nll(&s.view(), &x.view(), None, &mut Array2::zeros((1, 2)), None);
    let expected = 2.0 * loss::HALF_LN_2PI + 0.5 * (0.25 + 0.25);
    assert!((v - expected).abs() < 1e-6, "{v} vs {expected}");
}

#[test]
fn softmax_ce_gradient_matches_finite_difference() {
    let mut rng = Rng::new(5);
    let labels = [2u8, 0, 3];
    let mut s: Vec<f32> = (0..12).map(|_| 2.0 * rng.normal()).collect();
    let sa = |s: &[f32]| Array2::from_shape_vec((3, 4), s.to_vec()).unwrap();
    let mut g = Array2::zeros((3, 4));
    loss::softmax_ce(&sa(&s).view(), &labels, &mut g);
    let n = numeric_grad(&mut s, |s| loss::softmax_ce(&sa(s).view(), &labels, &mut Array2::zeros((3, 4))));
    assert_close("softmax_ce", g.as_slice().unwrap(), &n);
}

#[test]
fn gaussian_kl_gradient_matches_finite_difference_and_is_zero_at_the_prior() {
    let mut rng = Rng::new(6);
    let mut mu: Vec<f32> = (0..6).map(|_| rng.normal()).collect();
    let mut lv: Vec<f32> = (0..6).map(|_| 0.5 * rng.normal()).collect();
    let a = |v: &[f32]| Array2::from_shape_vec((2, 3), v.to_vec()).unwrap();
    let (mut dmu, mut dlv) = (Array2::zeros((2, 3)), Array2::zeros((2, 3)));
    loss::gaussian_kl(&a(&mu).view(), &a(&lv).view(), &mut dmu, &mut dlv, None);
    let lvc = lv.clone();
    let n = numeric_grad(&mut mu, |m| loss::gaussian_kl(&a(m).view(), &a(&lvc).view(), &mut Array2::zeros((2, 3)), &mut Array2::zeros((2, 3)), None));
    assert_close("kl dmu", dmu.as_slice().unwrap(), &n);
    let muc = mu.clone();
    let n = numeric_grad(&mut lv, |l| loss::gaussian_kl(&a(&muc).view(), &a(l).view(), &mut Array2::zeros((2, 3)), &mut Array2::zeros((2, 3)), None));
    assert_close("kl dlogvar", dlv.as_slice().unwrap(), &n);
    let z = Array2::zeros((2, 3));
    let kl0 = loss::gaussian_kl(&z.view(), &z.view(), &mut Array2::zeros((2, 3)), &mut Array2::zeros((2, 3)), None);
    assert_eq!(kl0, 0.0);
}

fn check(cfg: ModelConfig) {
    let mut rng = Rng::new(11);
    let mut model = build(&cfg, &mut rng).unwrap();
    let x = random_batch(&mut rng, 4, cfg.input);
    let labels = [0u8, 2, 1, 2];
    if matches!(cfg.activation, Activation::Relu | Activation::LeakyRelu) {
        check_model_gradients_with(model.as_mut(), &x, &labels, 99, KINK_EPS, KINK_FLOOR);
    } else {
        check_model_gradients(model.as_mut(), &x, &labels, 99);
    }
}

#[test]
fn ae_gradient_matches_finite_difference_for_every_activation_and_decoder() {
    for activation in [Activation::Sigmoid, Activation::Tanh, Activation::LeakyRelu, Activation::Identity] {
        for decoder in [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar] {
            check(ModelConfig { activation, decoder, ..tiny(ModelKind::Ae) });
        }
    }
}

#[test]
fn relu_ae_gradient_matches_finite_difference() {
    check(ModelConfig { activation: Activation::Relu, hidden: vec![8], ..tiny(ModelKind::Ae) });
}

#[test]
fn dae_gradient_matches_finite_difference_with_noise_fixed() {
    check(ModelConfig { noise: NoiseKind::Gaussian, noise_level: 0.3, ..tiny(ModelKind::Dae) });
    check(ModelConfig { noise: NoiseKind::Mask, noise_level: 0.3, ..tiny(ModelKind::Dae) });
}

/// The hash model's noisy sigmoid code, with the noise fixed by the seed; a
/// spread of 1 keeps the tiny code's units off their flat tails, where every
/// difference would be rounding. With 0 it is a plain sigmoid code.
#[test]
fn hash_gradient_through_the_noisy_sigmoid_code_matches_finite_difference() {
    for code_noise in [0.0, 1.0] {
        for activation in [Activation::Tanh, Activation::LeakyRelu] {
            for decoder in [Decoder::Bernoulli, Decoder::GaussianLearnedVar] {
                check(ModelConfig { code_noise, activation, decoder, ..tiny(ModelKind::Hash) });
            }
        }
    }
}

/// A CAE with random biases (ReLU's units then sit off their kink), its
/// objective's gradient against finite differences, the probe ε fixed by
/// the seed. λ is chosen so the penalty is about half the reconstruction
/// term: a deep sigmoid encoder's Jacobian is tiny (each layer scales it by
/// σ′ ≤ ¼), and a penalty lost in rounding would check nothing.
fn check_cae(cfg: ModelConfig) {
    let build_with = |lambda: f32| {
        let cfg = ModelConfig { contractive: lambda, ..cfg.clone() };
        let mut rng = Rng::new(21);
        let mut model = build(&cfg, &mut rng).unwrap();
        model.visit(&mut |name, _, w, _| {
            if name.ends_with(".bias") {
                w.iter_mut().for_each(|v| *v = 0.5 * rng.normal());
            }
        });
        (model, random_batch(&mut rng, 4, cfg.input))
    };
    let labels = [0u8, 2, 1, 2];
    let (mut unit, x) = build_with(1.0);
    let s = unit.objective(&x.view(), &labels, &mut Rng::new(99));
    let lambda = (0.5 * s.recon / s.penalty).clamp(1.0, 1000.0);
    let (mut model, x) = build_with(lambda);
    let s = model.objective(&x.view(), &labels, &mut Rng::new(99));
    assert!(s.penalty > 0.05 * s.recon, "{cfg:?}: penalty {} against recon {}", s.penalty, s.recon);
    if matches!(cfg.activation, Activation::Relu | Activation::LeakyRelu) {
        check_model_gradients_with(model.as_mut(), &x, &labels, 99, KINK_EPS, KINK_FLOOR);
    } else {
        check_model_gradients(model.as_mut(), &x, &labels, 99);
    }
}

#[test]
fn cae_gradient_including_the_contractive_penalty_matches_finite_difference() {
    for activation in [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::LeakyRelu] {
        for hidden in [vec![], vec![5], vec![5, 4]] {
            check_cae(ModelConfig { contractive: 3.0, activation, hidden, ..tiny(ModelKind::Cae) });
        }
    }
    check_cae(ModelConfig { contractive: 3.0, decoder: Decoder::GaussianLearnedVar, ..tiny(ModelKind::Cae) });
}

/// The penalty is an unbiased estimate of λ · mean ‖∂h/∂x‖²_F: its mean over
/// many probes matches the exact Jacobian (`probes::jacobian_norms`, one
/// backward pass per code unit), within 4 standard errors. The standard
/// error comes from the exact Jacobian too: for Rademacher ε,
/// Var ‖Jε‖² = 2(‖JᵀJ‖²_F − Σ_i (JᵀJ)²_ii), so Var P = (λ/B)² Σ_b Var_b.
#[test]
fn the_contractive_penalty_averages_to_lambda_times_the_exact_jacobian_norm() {
    let lambda = 0.7f32;
    for (activation, hidden) in [(Activation::Tanh, vec![5, 4]), (Activation::Sigmoid, vec![5]), (Activation::Relu, vec![8, 6]), (Activation::Tanh, vec![])] {
        let cfg = ModelConfig { contractive: lambda, activation, hidden, ..tiny(ModelKind::Cae) };
        let mut rng = Rng::new(31);
        let mut model = build(&cfg, &mut rng).unwrap();
        model.visit(&mut |name, _, w, _| {
            if name.ends_with(".bias") {
                w.iter_mut().for_each(|v| *v = 0.5 * rng.normal());
            }
        });
        let b = 8;
        let x = random_batch(&mut rng, b, cfg.input);
        let labels = vec![0u8; b];
        let norms = ae_playground::probes::jacobian_norms(model.as_mut(), &x.view(), &labels).unwrap();
        let exact = lambda as f64 * norms.iter().map(|&n| (n as f64).powi(2)).sum::<f64>() / b as f64;
        let jac = model.code_jacobian(&x.view(), &labels).unwrap();
        let var: f64 = jac
            .outer_iter()
            .map(|j| {
                let j = j.mapv(|v| v as f64);
                let m = j.t().dot(&j);
                2.0 * (m.iter().map(|v| v * v).sum::<f64>() - m.diag().iter().map(|v| v * v).sum::<f64>())
            })
            .sum::<f64>()
            * (lambda as f64 / b as f64).powi(2);
        let draws = 4000;
        let mean = (0..draws).map(|seed| model.objective(&x.view(), &labels, &mut Rng::new(seed)).penalty as f64).sum::<f64>() / draws as f64;
        let se = (var / draws as f64).sqrt();
        eprintln!("{activation} {:?}: mean penalty {mean:.5}, λ·mean‖J‖² {exact:.5}, standard error {se:.5}", cfg.hidden);
        assert!((mean - exact).abs() < 4.0 * se + 1e-6 * exact, "{activation} {:?}: {mean} vs {exact} (se {se})", cfg.hidden);
        // The test can fail: an estimate 5 % off would be caught.
        assert!(4.0 * se < 0.05 * exact, "{activation}: se {se} too large for {exact}");
    }
}

#[test]
fn vae_gradient_matches_finite_difference_with_noise_fixed() {
    check(tiny(ModelKind::Vae));
    check(ModelConfig { decoder: Decoder::GaussianLearnedVar, ..tiny(ModelKind::Vae) });
    // β-VAE: the KL term weighs β in the objective and its gradient alike.
    check(ModelConfig { beta: 4.0, ..tiny(ModelKind::Vae) });
}

#[test]
fn cvae_gradient_matches_finite_difference_with_noise_fixed() {
    check(tiny(ModelKind::Cvae));
    check(ModelConfig { beta: 0.25, ..tiny(ModelKind::Cvae) });
}

#[test]
fn classifier_gradient_matches_finite_difference() {
    check(tiny(ModelKind::Classifier));
}

fn tiny_aae(prior: Prior, aae_labels: bool) -> ModelConfig {
    // Ten classes: the mixture and the roll have one part per class.
    ModelConfig { prior, aae_labels, latent: 4, disc_hidden: vec![5, 3], classes: 10, ..tiny(ModelKind::Aae) }
}

/// Every phase of the adversarial game, for every prior, with and without
/// labels: the reconstruction (encoder, decoder), the discriminator on prior
/// samples and codes (its own weights), the generator (the encoder, through
/// the discriminator's input gradient), the prior samples fixed by the seed.
#[test]
fn aae_gradient_of_every_phase_matches_finite_difference_with_noise_fixed() {
    for prior in Prior::all() {
        for aae_labels in [false, true] {
            let cfg = tiny_aae(prior, aae_labels);
            let mut rng = Rng::new(12);
            let mut model = build(&cfg, &mut rng).unwrap();
            let x = random_batch(&mut rng, 4, cfg.input);
            let labels = [0u8, 9, 3, 7];
            for phase in [Phase::Reconstruction, Phase::Discriminator, Phase::Generator] {
                check_phase_gradients(model.as_mut(), phase, &x, &labels, 99, EPS, FLOOR);
            }
        }
    }
}

/// VAE-GAN's three phases: the discriminator on real, reconstructed and
/// sampled images (its feature layers and head); the encoder's KL and feature
/// reconstruction, through the discriminator's features and the decoder; the
/// decoder's γ-weighted feature reconstruction and GAN term on reconstructions
/// and on decoded prior samples. With and without the pixel term, and with a
/// learned output variance; ε and the prior samples fixed by the seed.
#[test]
fn vaegan_gradient_of_every_phase_matches_finite_difference_with_noise_fixed() {
    let base = ModelConfig { disc_hidden: vec![5, 4], gamma: 0.7, beta: 1.3, pixel_weight: 0.0, ..tiny(ModelKind::Vaegan) };
    for cfg in [
        base.clone(),
        ModelConfig { pixel_weight: 0.5, ..base.clone() },
        ModelConfig { pixel_weight: 0.5, decoder: Decoder::GaussianLearnedVar, disc_hidden: vec![3], ..base.clone() },
        // Convolutions on 5×5 images (5×5 → 3×3×2 → 2×2×3), then a dense
        // layer, and alone: the features are then the last convolution's.
        ModelConfig { input: 25, disc_conv: vec![2, 3], disc_hidden: vec![4], ..base.clone() },
        ModelConfig { input: 25, disc_conv: vec![2, 3], disc_hidden: vec![], pixel_weight: 0.5, ..base.clone() },
    ] {
        let mut rng = Rng::new(14);
        let mut model = build(&cfg, &mut rng).unwrap();
        let x = random_batch(&mut rng, 4, cfg.input);
        for phase in [Phase::Discriminator, Phase::Encoder, Phase::Decoder] {
            check_phase_gradients(model.as_mut(), phase, &x, &[0u8, 2, 1, 2], 99, EPS, FLOOR);
        }
    }
}

/// The roll's discriminator reads codes through instance noise and the other
/// priors' reads them as they are (`prior::instance_noise`): the generator's
/// loss, on the same codes, changes with the generator's noise for the roll
/// only. (The gradient checks above cover the noisy phases, the noise fixed.)
#[test]
fn only_the_rolls_discriminator_sees_its_inputs_through_noise() {
    for prior in Prior::all() {
        let cfg = tiny_aae(prior, true);
        let mut rng = Rng::new(15);
        let mut model = build(&cfg, &mut rng).unwrap();
        let x = random_batch(&mut rng, 4, cfg.input);
        let adv = model.adversarial().unwrap();
        let mut gen_loss = |seed| adv.phase_objective(Phase::Generator, &x.view(), &[0, 9, 3, 7], &mut Rng::new(seed)).gen_loss;
        let (a, b) = (gen_loss(1), gen_loss(2));
        assert_eq!(a != b, prior::instance_noise(prior) > 0.0, "{prior:?}: generator loss {a} and {b} under two noise draws");
    }
    assert!(prior::instance_noise(Prior::SwissRoll) > 0.0);
}

#[test]
fn aae_gradient_matches_finite_difference_with_relu_and_a_learned_variance() {
    let cfg = ModelConfig { activation: Activation::Relu, decoder: Decoder::GaussianLearnedVar, hidden: vec![8], ..tiny_aae(Prior::Mog10, true) };
    let mut rng = Rng::new(13);
    let mut model = build(&cfg, &mut rng).unwrap();
    // Biases start at 0: a row whose units below are all dead then sits
    // exactly on the next ReLU's kink. Random biases move the test point off it.
    model.visit(&mut |name, _, w, _| {
        if name.ends_with(".bias") {
            w.iter_mut().for_each(|v| *v = 0.5 * rng.normal());
        }
    });
    let x = random_batch(&mut rng, 4, cfg.input);
    for phase in [Phase::Reconstruction, Phase::Discriminator, Phase::Generator] {
        check_phase_gradients(model.as_mut(), phase, &x, &[1, 2, 3, 4], 7, KINK_EPS, KINK_FLOOR);
    }
}

/// The adversarial losses are Bernoulli NLLs from logits: a discriminator
/// whose output layer is zeroed says ½ to everything, so both losses are
/// ln 2 and it is right about exactly half of the 2B inputs (the codes, since
/// a logit of 0 is not above 0); with huge weights the losses stay finite.
#[test]
fn an_undecided_discriminator_scores_ln2_and_a_saturated_one_stays_finite() {
    let cfg = tiny_aae(Prior::Gaussian, false);
    let mut rng = Rng::new(14);
    let mut model = build(&cfg, &mut rng).unwrap();
    let x = random_batch(&mut rng, 6, cfg.input);
    let labels = [0u8; 6];
    let last = format!("discriminator.{}.", cfg.disc_hidden.len());
    model.visit(&mut |name, _, w, _| {
        if name.starts_with(&last) {
            w.fill(0.0);
        }
    });
    let adv = model.adversarial().unwrap();
    let d = adv.phase_objective(Phase::Discriminator, &x.view(), &labels, &mut Rng::new(1));
    let g = adv.phase_objective(Phase::Generator, &x.view(), &labels, &mut Rng::new(1));
    let ln2 = std::f32::consts::LN_2;
    assert!((d.disc_loss - ln2).abs() < 1e-6 && (g.gen_loss - ln2).abs() < 1e-6, "disc {} gen {}", d.disc_loss, g.gen_loss);
    assert_eq!(d.disc_accuracy, 0.5);
    model.visit(&mut |name, _, w, _| {
        if name.starts_with(&last) {
            w.fill(1e6);
        }
    });
    let adv = model.adversarial().unwrap();
    let d = adv.phase_grads(Phase::Discriminator, &x.view(), &labels, &mut Rng::new(1));
    let g = adv.phase_grads(Phase::Generator, &x.view(), &labels, &mut Rng::new(1));
    assert!(d.disc_loss.is_finite() && g.gen_loss.is_finite(), "disc {} gen {}", d.disc_loss, g.gen_loss);
    assert!(d.disc_loss > 1.0 || g.gen_loss > 1.0, "saturated verdicts are confident and mostly wrong on one side");
}
