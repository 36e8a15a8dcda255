//! The logistic function and its integral, softplus, from one exponential:
//! what the sigmoid layer and the Bernoulli loss both compute, so that they
//! agree to the bit. Here, not in either of them, so that neither depends on
//! the other.

use crate::expm::{exp_nonpositive, ln_1p_unit};

/// ln 2^-126: below it eˣ is subnormal. x86 computes with subnormals in
/// microcode, 100+ cycles an operation, and WebAssembly cannot flush them to
/// zero; a trained decoder pushes the logits of pixels that are always blank
/// down until their sigmoid underflows, and keeps them in this range, where
/// every gradient entry and every GEMM product made from them is subnormal
/// (the page's default VAE, with Adam's moments already flushed, still ran
/// about 1.4 times slower than with x86's flush-to-zero after 10,000 steps;
/// with this, about 1.1). Below it, sigmoid and softplus return 0 (their
/// exact values are under 2^-126), and above −EXP_FLOOR, sigmoid 1.
pub const EXP_FLOOR: f32 = -87.336_54;

/// 1 / (1 + e⁻ᶻ), exactly as the Bernoulli loss computes it, without
/// overflow, and 0 or 1 past ±EXP_FLOOR rather than a subnormal.
#[inline]
pub fn sigmoid(z: f32) -> f32 {
    softplus_sigmoid(z).1
}

/// softplus(s) = ln(1 + eˢ), computed without overflow.
#[inline]
pub fn softplus(s: f32) -> f32 {
    softplus_sigmoid(s).0
}

/// `(softplus(s), sigmoid(s))` from one exponential, e^-|s|, without a
/// branch, so a loop of them vectorises (src/expm.rs). Past ±EXP_FLOOR the
/// answers are 0 and 0, or s and 1: never a subnormal. NaN gives NaN.
#[inline(always)]
pub fn softplus_sigmoid(s: f32) -> (f32, f32) {
    let a = -s.abs();
    let a = if a < EXP_FLOOR { EXP_FLOOR } else { a };
    let e = exp_nonpositive(a);
    let u = 1.0 + e;
    let ln_u = ln_1p_unit(e, u);
    let (sp, sg) = if s >= 0.0 { (s + ln_u, 1.0 / u) } else { (ln_u, e / u) };
    if s > -EXP_FLOOR {
        (s, 1.0)
    } else if s < EXP_FLOOR {
        (0.0, 0.0)
    } else {
        (sp, sg)
    }
}
