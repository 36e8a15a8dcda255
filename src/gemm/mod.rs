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
//!
//! The same driver (packing, blocks along k) runs natively on x86-64 CPUs
//! with AVX-512, with a wider tile of its own (`avx512`): the same sums
//! again, so the native build trains to the same bits with it or without.

#[cfg(target_arch = "x86_64")]
pub mod avx512;
pub mod check;
mod kernel;
pub mod lanes;

use std::cell::RefCell;

use ndarray::{ArrayView2, ArrayViewMut2};

use lanes::Lanes;

/// Depth of one block of the sum: `matrixmultiply`'s `S_KC`, on which the
/// rounding depends.
pub const KC: usize = 256;
/// Panels of A packed at a time: 64 KiB at full depth for the 4×8 tile.
const PANELS: usize = 16;

/// A micro-kernel: the tile of C it computes from packed panels.
pub(crate) trait Tile {
    /// Rows of C per tile.
    const MR: usize;
    /// Columns of C per tile.
    const NR: usize;
    /// `C ← α·(A·B over a block of depth kc) + β·C` for the `mr × nr`
    /// corner of one tile that lies inside C. Each sum starts at zero and
    /// takes its products in k order.
    ///
    /// # Safety
    /// `a` must hold `kc * MR` values and `b` `kc * NR`; `c` with strides
    /// `rsc`, `csc` must address `mr × nr` writable elements.
    #[allow(clippy::too_many_arguments)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize);
}

thread_local! {
    /// Packed panels of A and B, kept between calls so training allocates
    /// nothing once the first batch has grown them.
    static PACKS: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `c ← alpha·a·b + beta·c` with the lanes `L`. Shapes must agree.
pub fn sgemm<L: Lanes>(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    drive::<kernel::Lanes4x8<L>>(alpha, a, b, beta, c);
}

/// `c ← alpha·a·b + beta·c` in tiles of `T`: B packed a block of depth KC
/// at a time, A a run of panels at a time. Shapes must agree.
fn drive<T: Tile>(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    // Rows and columns of a tile; rows of A packed at a time.
    let (rows, cols, block) = (T::MR, T::NR, PANELS * T::MR);
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
        let n_panels = n.div_ceil(cols);
        grow(bpack, n_panels * cols * KC.min(k));
        grow(apack, block * KC.min(k));
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            // Later blocks add to what the first wrote.
            let beta = if p0 == 0 { beta } else { 1.0 };
            // SAFETY: the views' pointers and strides address m×k, k×n and
            // m×n elements; the packs were grown to hold the panels.
            unsafe {
                pack(bpack, pb.offset(p0 as isize * rsb), n, kc, csb, rsb, cols);
                for i0 in (0..m).step_by(block) {
                    let mc = block.min(m - i0);
                    pack(apack, pa.offset(i0 as isize * rsa + p0 as isize * csa), mc, kc, rsa, csa, rows);
                    for jp in 0..n_panels {
                        let nr = cols.min(n - jp * cols);
                        let bp = bpack.as_ptr().add(jp * cols * kc);
                        for ip in 0..mc.div_ceil(rows) {
                            let mr = rows.min(mc - ip * rows);
                            let at = pc.offset((i0 + ip * rows) as isize * rsc + (jp * cols) as isize * csc);
                            T::tile(kc, apack.as_ptr().add(ip * rows * kc), bp, alpha, beta, at, rsc, csc, mr, nr);
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
    // The tiles' widths as constants, so that a step's values move as one
    // vector: a sixth of training's time went into packing with `w` unknown.
    match w {
        4 => pack_w::<4>(out, src, rows, kc, step, along),
        8 => pack_w::<8>(out, src, rows, kc, step, along),
        32 => pack_w::<32>(out, src, rows, kc, step, along),
        _ => unreachable!("no tile is {w} wide"),
    }
}

/// `pack` for panels `W` lines wide.
///
/// # Safety
/// As `pack`'s.
#[inline(always)]
unsafe fn pack_w<const W: usize>(out: &mut [f32], src: *const f32, rows: usize, kc: usize, step: isize, along: isize) {
    for q in 0..rows.div_ceil(W) {
        let panel = &mut out[q * W * kc..(q + 1) * W * kc];
        let lines = W.min(rows - q * W);
        let first = src.offset((q * W) as isize * step);
        for (p, dst) in panel.chunks_exact_mut(W).enumerate() {
            let at = first.offset(p as isize * along);
            if lines == W {
                // One step's values, whole: one run where the lines lie side
                // by side (B row-major, A transposed), else one read a line.
                let dst: &mut [f32; W] = dst.try_into().expect("a panel's step is W long");
                if step == 1 {
                    *dst = *(at as *const [f32; W]);
                } else {
                    *dst = std::array::from_fn(|l| *at.offset(l as isize * step));
                }
            } else {
                for (l, v) in dst.iter_mut().enumerate() {
                    *v = if l < lines { *at.offset(l as isize * step) } else { 0.0 };
                }
            }
        }
    }
}
