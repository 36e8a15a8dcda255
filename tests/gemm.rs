//! Our GEMM (`ae_playground::gemm`, the SIMD WebAssembly builds' kernel)
//! run natively with portable lanes: it must give matrixmultiply's bits for
//! the shapes the models use and the awkward ones around them, so that a run
//! trains the same in every build. The cases are `gemm::check::all`, which
//! the browser test runs again with the builds' own SIMD lanes.

use ae_playground::gemm::{check, lanes::Portable};

#[test]
fn our_gemm_gives_matrixmultiplys_bits() {
    // matrixmultiply fuses its multiply–adds where the CPU can (as the
    // relaxed-SIMD build does); without FMA it rounds twice (as simd128 does).
    let result = if std::arch::is_x86_feature_detected!("fma") { check::all::<Portable<true>>(7) } else { check::all::<Portable<false>>(7) };
    let cases = result.unwrap_or_else(|e| panic!("{e}"));
    assert!(cases > 500, "only {cases} cases ran");
}
