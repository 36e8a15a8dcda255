//! The native GEMM on x86-64 CPUs with AVX-512: our driver and micro-kernel
//! (src/gemm) with a tile of 8 rows × 32 columns, sixteen accumulators of
//! 16 lanes, two loads of B and eight broadcasts of A per step along k.
//! matrixmultiply's widest x86 kernel is AVX2's, 8 lanes, so where the CPU
//! multiplies 16 lanes at once it leaves half of each multiply–add unused
//! (1.7× on `benches/gemm_width.rs` there; about 1.1× on AMD's Zen 4, which
//! runs an AVX-512 multiply–add in two 256-bit halves).
//!
//! Every element is the chain matrixmultiply takes: blocks of `KC` along k,
//! each a chain of fused multiply–adds from zero (every CPU with AVX-512 has
//! FMA, so matrixmultiply fuses there too), scaled by α, then added to β·C.
//! So a run trains to the same bits with this kernel as without it
//! (tests/gemm.rs checks it against matrixmultiply), and the figures the
//! lessons' claims were measured with do not move. `tensor::gemm` uses it
//! where the CPU has AVX-512F, and matrixmultiply elsewhere.

use std::arch::x86_64::*;

use ndarray::{ArrayView2, ArrayViewMut2};

use super::kernel::Tiled;
use super::lanes::Lanes;
use super::Tile;

/// Whether this CPU can run the kernel (detected once; then a load and a test).
#[inline]
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

/// `c ← alpha·a·b + beta·c`. Shapes must agree.
///
/// # Panics
/// If the CPU lacks AVX-512F (see `available`).
pub fn sgemm(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    assert!(available(), "gemm: this CPU has no AVX-512F");
    super::drive::<Avx512>(alpha, a, b, beta, c);
}

/// The shared kernel, 8 rows × two vectors of `Zmm`.
type Kernel = Tiled<Zmm, 8>;

/// `Kernel`, compiled for AVX-512F.
struct Avx512;

impl Tile for Avx512 {
    const MR: usize = Kernel::MR;
    const NR: usize = Kernel::NR;
    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
        // SAFETY: `sgemm`, the only way in, checked that the CPU has AVX-512F.
        tile(kc, a, b, alpha, beta, c, rsc, csc, mr, nr)
    }
}

/// The kernel's code, inlined here, where its intrinsics may use AVX-512F.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
    Kernel::tile(kc, a, b, alpha, beta, c, rsc, csc, mr, nr)
}

/// Sixteen f32 lanes in one AVX-512 register. Its methods are inlined into
/// `tile` above, which the CPU check guards: a `Zmm` is made nowhere else.
#[derive(Clone, Copy)]
struct Zmm(__m512);

// SAFETY (every block below): AVX-512F is there (see `Zmm`); the pointers are
// the kernel's, valid as `Lanes` requires.
impl Lanes for Zmm {
    const WIDTH: usize = 16;
    #[inline(always)]
    fn zero() -> Self {
        Zmm(unsafe { _mm512_setzero_ps() })
    }
    #[inline(always)]
    fn splat(x: f32) -> Self {
        Zmm(unsafe { _mm512_set1_ps(x) })
    }
    #[inline(always)]
    unsafe fn load_splat(p: *const f32) -> Self {
        Zmm(_mm512_set1_ps(*p))
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        Zmm(_mm512_loadu_ps(p))
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        _mm512_storeu_ps(p, self.0)
    }
    /// Fused, as matrixmultiply's kernels are on CPUs with FMA.
    #[inline(always)]
    fn madd(a: Self, b: Self, c: Self) -> Self {
        Zmm(unsafe { _mm512_fmadd_ps(a.0, b.0, c.0) })
    }
    #[inline(always)]
    fn mul(a: Self, b: Self) -> Self {
        Zmm(unsafe { _mm512_mul_ps(a.0, b.0) })
    }
}
