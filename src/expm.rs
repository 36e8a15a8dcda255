//! eˣ and ln(1 + x) on the ranges the losses and the sigmoid need, from
//! polynomials, integer bit tricks and selects only.
//!
//! Rust's `f32::exp` and `ln_1p` are calls into libm: in WebAssembly, scalar
//! software, which made the Bernoulli loss about a quarter of a VAE's
//! training step in the page and most of what separated its test-set
//! evaluation from native speed. These have no branch and no call, so a loop
//! of them over a slice vectorises: four lanes of v128 in the SIMD wasm
//! builds, eight of AVX natively. Every operation is an IEEE one rounded on
//! its own (Rust never fuses a multiply and an add it was not asked to), so
//! native and every wasm build compute the same bits, as they did with libm.
//!
//! The polynomials are Cephes' `expf` and `logf` (S. Moshier), within 2 ulp
//! of the true value on these ranges (`tests` below, against f64).

use std::f32::consts::{LOG2_E, SQRT_2};

/// ln 2 split so that `n · LN2_HI` is exact for the n used here (Cody & Waite).
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// 1.5 · 2²³: adding it rounds an f32 of magnitude under 2²² to an integer
/// (to nearest, ties to even) held in the low bits of the mantissa.
const ROUNDER: f32 = 12_582_912.0;
/// Cephes `expf`: eʳ ≈ 1 + r + r² · EXP(r) for |r| ≤ ln 2 / 2, highest power first.
const EXP: [f32; 6] = [1.987_569_2e-4, 1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 1.666_666_5e-1, 5.0e-1];
/// Cephes `logf`: ln(1 + f) ≈ f − f²/2 + f³ · LN_1P(f) for 1 + f in [√½, √2].
const LN_1P: [f32; 9] =
    [7.037_683_6e-2, -1.151_461e-1, 1.167_699_9e-1, -1.242_014_1e-1, 1.424_932_3e-1, -1.666_805_8e-1, 2.000_071_4e-1, -2.499_999_4e-1, 3.333_333e-1];

/// c₀xⁿ⁻¹ + … + cₙ₋₁ by Horner's rule.
#[inline(always)]
fn horner<const N: usize>(c: &[f32; N], x: f32) -> f32 {
    c[1..].iter().fold(c[0], |p, &c| p * x + c)
}

/// eˣ for x in [ln 2^-126, 0] (`EXP_FLOOR` to 0), where the answer is a
/// normal float in (0, 1]. Outside that range the result is meaningless;
/// NaN gives NaN.
#[inline(always)]
pub fn exp_nonpositive(x: f32) -> f32 {
    // x = n ln 2 + r with |r| ≤ ln 2 / 2, so eˣ = 2ⁿ · eʳ.
    let t = x * LOG2_E + ROUNDER;
    let n = t - ROUNDER;
    let r = x - n * LN2_HI - n * LN2_LO;
    let z = r * r;
    let p = horner(&EXP, r);
    let er = p * z + r + 1.0;
    // n is in t's low mantissa bits: 2ⁿ's exponent field is n + 127, in 1..=127 here.
    let n_bits = (t.to_bits() as i32).wrapping_sub(ROUNDER.to_bits() as i32);
    let two_n = f32::from_bits((n_bits.wrapping_add(127) << 23) as u32);
    er * two_n
}

/// ln(1 + e) for e in [0, 1], given `u = 1 + e` as the caller computed it
/// (the sigmoid needs the same u).
#[inline(always)]
pub fn ln_1p_unit(e: f32, u: f32) -> f32 {
    // ln u = k ln 2 + ln(1 + f), with 1 + f = u or u/2 in [√½, √2].
    let halve = u > SQRT_2;
    let k = if halve { 1.0 } else { 0.0 };
    let f = if halve { u * 0.5 } else { u } - 1.0;
    let z = f * f;
    let p = horner(&LN_1P, f);
    let ln_u = f + (f * z * p + k * LN2_LO - 0.5 * z) + k * LN2_HI;
    // u − 1 is exact, so e − (u − 1) is what rounding 1 + e lost; ln(u + c) ≈ ln u + c/u.
    ln_u + (e - (u - 1.0)) / u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logistic::EXP_FLOOR;

    fn ulps(got: f32, want: f64) -> f64 {
        // The spacing of f32 around `want`.
        let ulp = (want.abs() as f32).next_up() as f64 - want.abs() as f32 as f64;
        (got as f64 - want).abs() / ulp
    }

    #[test]
    fn exp_is_within_2_ulp_over_its_range() {
        let mut worst: f64 = 0.0;
        let mut x = EXP_FLOOR;
        while x <= 0.0 {
            let got = exp_nonpositive(x);
            assert!(got.is_normal(), "e^{x} = {got:e}");
            worst = worst.max(ulps(got, (x as f64).exp()));
            x += 1.3e-4;
        }
        for x in [0.0f32, -0.0, EXP_FLOOR, -f32::MIN_POSITIVE, -1e-30, -0.5 * std::f32::consts::LN_2] {
            worst = worst.max(ulps(exp_nonpositive(x), (x as f64).exp()));
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
        assert!(exp_nonpositive(f32::NAN).is_nan());
    }

    #[test]
    fn ln_1p_is_within_2_ulp_on_the_unit_interval() {
        let mut worst: f64 = 0.0;
        let mut es: Vec<f32> = (0..=1_000_000).map(|i| i as f32 * 1e-6).collect();
        es.extend((0..126).map(|p| 2f32.powi(-p)).chain([SQRT_2 - 1.0, (SQRT_2 - 1.0).next_up(), f32::MIN_POSITIVE, 1e-9, 3e-8]));
        for e in es {
            let got = ln_1p_unit(e, 1.0 + e);
            let want = (e as f64).ln_1p();
            if want > 0.0 {
                worst = worst.max(ulps(got, want));
            } else {
                assert_eq!(got, 0.0);
            }
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
    }
}
