//! The native GEMM on x86-64 CPUs with AVX-512: our driver (src/gemm) with
//! a tile of 8 rows × 32 columns, sixteen accumulators of 16 lanes, two
//! loads of B and eight broadcasts of A per step along k. matrixmultiply's
//! widest x86 kernel is AVX2's, 8 lanes, so on these CPUs it leaves half of
//! each multiply–add unused.
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

use super::Tile;

const MR: usize = 8;
const NR: usize = 32;

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

struct Avx512;

impl Tile for Avx512 {
    const MR: usize = MR;
    const NR: usize = NR;
    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
        // SAFETY: `sgemm`, the only way in, checked that the CPU has AVX-512F.
        tile(kc, a, b, alpha, beta, c, rsc, csc, mr, nr)
    }
}

/// One tile: the products, then C. Combines with C as src/gemm/kernel.rs's
/// `write` does (and says why): a whole tile of a row-major C with one
/// multiply–add of β·C onto α·ab, any other through a buffer as `c·β + ab`.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
    let mut ab = [[_mm512_setzero_ps(); 2]; MR];
    for p in 0..kc {
        let b0 = _mm512_loadu_ps(b.add(p * NR));
        let b1 = _mm512_loadu_ps(b.add(p * NR + 16));
        for (i, row) in ab.iter_mut().enumerate() {
            let ai = _mm512_set1_ps(*a.add(p * MR + i));
            row[0] = _mm512_fmadd_ps(b0, ai, row[0]);
            row[1] = _mm512_fmadd_ps(b1, ai, row[1]);
        }
    }
    let alphav = _mm512_set1_ps(alpha);
    for row in ab.iter_mut() {
        row[0] = _mm512_mul_ps(row[0], alphav);
        row[1] = _mm512_mul_ps(row[1], alphav);
    }
    if mr == MR && nr == NR && csc == 1 {
        let betav = _mm512_set1_ps(beta);
        for (i, row) in ab.iter().enumerate() {
            let ci = c.offset(i as isize * rsc);
            for (h, v) in row.iter().enumerate() {
                let v = if beta == 0.0 { *v } else { _mm512_fmadd_ps(betav, _mm512_loadu_ps(ci.add(16 * h)), *v) };
                _mm512_storeu_ps(ci.add(16 * h), v);
            }
        }
        return;
    }
    let mut buf = [0.0f32; MR * NR];
    for (i, row) in ab.iter().enumerate() {
        _mm512_storeu_ps(buf.as_mut_ptr().add(i * NR), row[0]);
        _mm512_storeu_ps(buf.as_mut_ptr().add(i * NR + 16), row[1]);
    }
    for i in 0..mr {
        for j in 0..nr {
            let cij = c.offset(i as isize * rsc + j as isize * csc);
            let v = buf[i * NR + j];
            *cij = if beta == 0.0 { v } else { *cij * beta + v };
        }
    }
}
