//! Our own single-precision GEMM, `C ← α·A·B + β·C`, for the WebAssembly
//! builds. `matrixmultiply`'s wasm kernel holds an 8×8 tile in 16 vectors
//! and splats A's lanes with shuffles; V8 has 16 xmm registers on x86-64,
//! so that tile spills. Ours is 4×8: 8 accumulators, two B vectors and one
//! broadcast load of A (`v128.load32_splat`), 11 registers. Measured in one
//! run under load (scripts/bench-wasm.mjs, relaxed vs relaxed-mm), 4×8
//! trained 1.2–1.4× as fast as matrixmultiply's kernel; a 6×8 tile (15
//! registers, XNNPACK's shape) was no faster than it.
//!
//! Every element is summed exactly as `matrixmultiply` sums it: in blocks of
//! `KC` = 256 along k, each block a chain of multiply–adds in k order from
//! zero, scaled by α, then added to C. So a run trains to the same bits as
//! before and as the native build (`tests/gemm.rs` checks this natively with
//! the portable lanes, and the browser tests with the build's own lanes).

pub mod check;
mod kernel;
pub mod lanes;

use std::cell::RefCell;

use ndarray::{ArrayView2, ArrayViewMut2};

use kernel::{tile, MR, NR};
use lanes::Lanes;

/// Depth of one block of the sum: `matrixmultiply`'s `S_KC`, on which the
/// rounding depends.
pub const KC: usize = 256;
/// Rows of A packed at a time: 16 panels of 4, 64 KiB at full depth.
const MC: usize = 16 * MR;

thread_local! {
    /// Packed panels of A and B, kept between calls so training allocates
    /// nothing once the first batch has grown them.
    static PACKS: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `c ← alpha·a·b + beta·c` with the lanes `L`. Shapes must agree.
pub fn sgemm<L: Lanes>(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert!(k == k2 && c.dim() == (m, n), "gemm: shapes {m}×{k} · {k2}×{n} into {:?}", c.dim());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        c.mapv_inplace(|v| if beta == 0.0 { 0.0 } else { v * beta });
        return;
    }
    let (rsa, csa) = (a.strides()[0], a.strides()[1]);
    let (rsb, csb) = (b.strides()[0], b.strides()[1]);
    let (rsc, csc) = (c.strides()[0], c.strides()[1]);
    let (pa, pb, pc) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    PACKS.with(|packs| {
        let (apack, bpack) = &mut *packs.borrow_mut();
        let n_panels = n.div_ceil(NR);
        grow(bpack, n_panels * NR * KC.min(k));
        grow(apack, MC * KC.min(k));
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            // Later blocks add to what the first wrote.
            let beta = if p0 == 0 { beta } else { 1.0 };
            // SAFETY: the views' pointers and strides address m×k, k×n and
            // m×n elements; the packs were grown to hold the panels.
            unsafe {
                pack(bpack, pb.offset(p0 as isize * rsb), n, kc, csb, rsb, NR);
                for i0 in (0..m).step_by(MC) {
                    let mc = MC.min(m - i0);
                    pack(apack, pa.offset(i0 as isize * rsa + p0 as isize * csa), mc, kc, rsa, csa, MR);
                    for jp in 0..n_panels {
                        let nr = NR.min(n - jp * NR);
                        let bp = bpack.as_ptr().add(jp * NR * kc);
                        for ip in 0..mc.div_ceil(MR) {
                            let mr = MR.min(mc - ip * MR);
                            let ab = tile::<L>(kc, apack.as_ptr().add(ip * MR * kc), bp);
                            let at = pc.offset((i0 + ip * MR) as isize * rsc + (jp * NR) as isize * csc);
                            kernel::write::<L>(ab, alpha, beta, at, rsc, csc, mr, nr);
                        }
                    }
                }
            }
        }
    });
}

fn grow(v: &mut Vec<f32>, len: usize) {
    if v.len() < len {
        v.resize(len, 0.0);
    }
}

/// Packs `rows` lines of a matrix, each `kc` long, into panels of `w`
/// lines: panel `q` holds, for each step along k, its `w` lines' values
/// side by side, zero past the last line. `step` moves to the next line,
/// `along` one step along k.
///
/// # Safety
/// `src` with these strides must address `rows × kc` readable elements, and
/// `out` must hold `rows.div_ceil(w) * w * kc` values.
unsafe fn pack(out: &mut [f32], src: *const f32, rows: usize, kc: usize, step: isize, along: isize, w: usize) {
    for q in 0..rows.div_ceil(w) {
        let panel = &mut out[q * w * kc..(q + 1) * w * kc];
        let lines = w.min(rows - q * w);
        for l in 0..w {
            if l < lines {
                let line = src.offset((q * w + l) as isize * step);
                for p in 0..kc {
                    panel[p * w + l] = *line.offset(p as isize * along);
                }
            } else {
                for p in 0..kc {
                    panel[p * w + l] = 0.0;
                }
            }
        }
    }
}
