//! Our GEMM (`ae_playground::gemm`, the SIMD WebAssembly builds' kernel)
//! run natively with portable lanes: it must give matrixmultiply's bits for
//! the shapes the models use and the awkward ones around them, so that a run
//! trains the same in every build. The cases are `gemm::check::all`, which
//! the browser test runs again with the builds' own SIMD lanes against the
//! in-order reference, shown here to be matrixmultiply's sums.

use ae_playground::gemm::check::{self, Reference};
use ae_playground::gemm::lanes::Portable;
use ndarray::linalg::general_mat_mul;

/// Whether matrixmultiply fuses its multiply–adds here: where the CPU can (as
/// the relaxed-SIMD build does); without FMA it rounds twice (as simd128 does).
fn fused() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

fn all(against: Reference) -> Result<usize, String> {
    if fused() {
        check::all::<Portable<true>>(7, against)
    } else {
        check::all::<Portable<false>>(7, against)
    }
}

#[test]
fn our_gemm_gives_matrixmultiplys_bits() {
    let cases = all(Reference::Matrixmultiply).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases > 500, "only {cases} cases ran");
}

/// What the browser compares with (src/gemm/check.rs): it must be
/// matrixmultiply's sums too, so that agreeing with it there means agreeing
/// with matrixmultiply.
#[test]
fn the_in_order_reference_is_matrixmultiplys_sum_and_ours() {
    let cases = all(Reference::InOrder).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases > 500, "only {cases} cases ran");
    // And it is not matrixmultiply's whatever it does: rounding each product
    // the other way (twice where the CPU fuses, once where it does not) gives other bits.
    let mut rng = ae_playground::rng::Rng::new(7);
    let (a, b, c) = (check::random(64, 784, &mut rng, false), check::random(784, 512, &mut rng, false), check::random(64, 512, &mut rng, false));
    let (mut want, mut other) = (c.clone(), c);
    general_mat_mul(1.0, &a.view(), &b.view(), 1.0, &mut want.view_mut());
    if fused() {
        check::in_order::<Portable<false>>(1.0, &a.view(), &b.view(), 1.0, &mut other);
    } else {
        check::in_order::<Portable<true>>(1.0, &a.view(), &b.view(), 1.0, &mut other);
    }
    assert!(want.iter().zip(other.iter()).any(|(x, y)| x.to_bits() != y.to_bits()), "rounding the other way agreed with matrixmultiply");
}

/// The native kernel on CPUs with AVX-512 (src/gemm/avx512.rs), which
/// `tensor::gemm` uses there instead of matrixmultiply: matrixmultiply's
/// bits on every case, and the in-order sums'.
#[cfg(target_arch = "x86_64")]
#[test]
fn the_avx512_kernel_gives_matrixmultiplys_bits() {
    use ae_playground::gemm::avx512;
    if !avx512::available() {
        eprintln!("this CPU has no AVX-512F: matrixmultiply multiplies here, and the kernel cannot run");
        return;
    }
    // Every CPU with AVX-512 has FMA, and the kernel fuses.
    assert!(fused());
    for against in [Reference::Matrixmultiply, Reference::InOrder] {
        let cases = check::all_of::<Portable<true>>(avx512::sgemm, 11, against).unwrap_or_else(|e| panic!("{e}"));
        assert!(cases > 500, "only {cases} cases ran");
    }
}
