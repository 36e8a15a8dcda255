//! The core never computes with subnormal floats where it can know better:
//! x86 computes with them in microcode and WebAssembly cannot flush them to
//! zero, so Adam and a trained decoder's blank pixels once made training 1.7
//! times slower after 10,000 steps (docs/testing.md, Soak). Adam's moments
//! are flushed in `optim.rs` (a unit test there); here, the sigmoid and
//! softplus of any logit.

use ae_playground::layers::activation::{sigmoid, EXP_FLOOR};
use ae_playground::loss::softplus;

fn subnormal(x: f32) -> bool {
    x != 0.0 && x.abs() < f32::MIN_POSITIVE
}

#[test]
fn sigmoid_and_softplus_never_return_a_subnormal_and_stay_exact() {
    let mut checked = 0;
    for i in -200_000..=200_000 {
        let z = i as f32 * 1e-3;
        let (s, p) = (sigmoid(z), softplus(z));
        assert!(!subnormal(s) && !subnormal(p), "z = {z}: sigmoid {s:e}, softplus {p:e}");
        // Against f64: within 4 ulps, or under 2^-126 where the floor says 0.
        let zd = z as f64;
        let (s64, p64) = (1.0 / (1.0 + (-zd).exp()), if zd > 0.0 { zd + (-zd).exp().ln_1p() } else { zd.exp().ln_1p() });
        for (got, want, what) in [(s as f64, s64, "sigmoid"), (p as f64, p64, "softplus")] {
            let close = (got - want).abs() <= 4.0 * f32::EPSILON as f64 * want.abs() || (got == 0.0 && want < f32::MIN_POSITIVE as f64);
            assert!(close, "{what}({z}) = {got:e}, f64 says {want:e}");
        }
        checked += 1;
    }
    assert_eq!(checked, 400_001);
    // The floor is where eˣ leaves the normal range.
    assert!(!subnormal(EXP_FLOOR.exp()) && subnormal((EXP_FLOOR - 0.01).exp()), "EXP_FLOOR = ln 2^-126");
}

#[test]
fn the_edges_give_their_limits_and_nan_stays_nan() {
    for z in [EXP_FLOOR, -EXP_FLOOR, EXP_FLOOR.next_down(), (-EXP_FLOOR).next_up(), f32::MIN_POSITIVE, -f32::MIN_POSITIVE, 0.0, -0.0] {
        let (s, p) = (sigmoid(z), softplus(z));
        assert!(!subnormal(s) && !subnormal(p) && s.is_finite() && p.is_finite(), "z = {z:e}: sigmoid {s:e}, softplus {p:e}");
    }
    assert_eq!((sigmoid(1e30), softplus(1e30)), (1.0, 1e30));
    assert_eq!((sigmoid(-1e30), softplus(-1e30)), (0.0, 0.0));
    assert_eq!((sigmoid(0.0), softplus(0.0)), (0.5, std::f32::consts::LN_2));
    // A diverged logit must show in the loss, not be clamped away.
    assert!(sigmoid(f32::NAN).is_nan() && softplus(f32::NAN).is_nan());
}
