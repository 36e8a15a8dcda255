//! The micro-kernel, `MR` rows of two vectors of lanes, and how its tile
//! reaches C. The WebAssembly builds run it 4×8 in v128 (`Lanes4x8`); the
//! native build on AVX-512 runs the same code 8×32 in 16-lane registers
//! (src/gemm/avx512.rs).

use std::marker::PhantomData;

use super::lanes::Lanes;
use super::Tile;

/// A tile of `MR` rows × two vectors of `L`.
pub(crate) struct Tiled<L, const MR: usize>(PhantomData<L>);

/// The WebAssembly builds' tile (and the portable lanes' natively): 4 rows
/// of two four-lane vectors.
pub(crate) type Lanes4x8<L> = Tiled<L, 4>;

impl<L: Lanes, const MR: usize> Tile for Tiled<L, MR> {
    const MR: usize = MR;
    const NR: usize = 2 * L::WIDTH;
    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
        write::<L, MR>(tile::<L, MR>(kc, a, b), alpha, beta, c, rsc, csc, mr, nr);
    }
}

/// One tile of A·B over a block of depth `kc`, from packed panels: `a` holds
/// MR values per step along k, `b` two vectors. Each sum starts at zero and
/// takes its products in k order.
///
/// # Safety
/// `a` must hold `kc * MR` values and `b` `kc * 2 * L::WIDTH`.
#[inline(always)]
unsafe fn tile<L: Lanes, const MR: usize>(kc: usize, a: *const f32, b: *const f32) -> [[L; 2]; MR] {
    let w = L::WIDTH;
    let mut ab = [[L::zero(); 2]; MR];
    for p in 0..kc {
        let b0 = L::load(b.add(2 * w * p));
        let b1 = L::load(b.add(2 * w * p + w));
        for (i, row) in ab.iter_mut().enumerate() {
            let ai = L::load_splat(a.add(p * MR + i));
            row[0] = L::madd(b0, ai, row[0]);
            row[1] = L::madd(b1, ai, row[1]);
        }
    }
    ab
}

/// `C ← α·ab + β·C` for the `mr × nr` corner of the tile that lies inside C.
/// A whole tile of a row-major C combines as `matrixmultiply`'s kernel does
/// (one multiply–add of β·C onto α·ab); any other goes through a buffer and
/// combines as its masked path does (`c·β + ab`). For β of 0 or 1, the only
/// ones this crate uses in training, the two round alike.
///
/// # Safety
/// `c` with strides `rsc`, `csc` must address `mr × nr` writable elements.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn write<L: Lanes, const MR: usize>(mut ab: [[L; 2]; MR], alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
    let w = L::WIDTH;
    let alpha = L::splat(alpha);
    for row in ab.iter_mut() {
        row[0] = L::mul(row[0], alpha);
        row[1] = L::mul(row[1], alpha);
    }
    if mr == MR && nr == 2 * w && csc == 1 {
        let betav = L::splat(beta);
        for (i, row) in ab.iter().enumerate() {
            let ci = c.offset(i as isize * rsc);
            for (h, v) in row.iter().enumerate() {
                let v = if beta == 0.0 { *v } else { L::madd(betav, L::load(ci.add(w * h)), *v) };
                v.store(ci.add(w * h));
            }
        }
        return;
    }
    // A row at a time: two vectors of at most 16 lanes.
    const { assert!(L::WIDTH <= 16) };
    let mut buf = [0.0f32; 32];
    for (i, row) in ab.iter().enumerate().take(mr) {
        row[0].store(buf.as_mut_ptr());
        row[1].store(buf.as_mut_ptr().add(w));
        for (j, &v) in buf.iter().enumerate().take(nr) {
            let cij = c.offset(i as isize * rsc + j as isize * csc);
            *cij = if beta == 0.0 { v } else { *cij * beta + v };
        }
    }
}
