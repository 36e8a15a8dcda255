//! The 4×8 micro-kernel of four-lane vectors and how its tile reaches C.

use std::marker::PhantomData;

use super::lanes::Lanes;
use super::Tile;

/// The WebAssembly builds' tile (and the portable lanes' natively): 4×8, in
/// two vectors of `L` a row.
pub(crate) struct Lanes4x8<L>(PhantomData<L>);

impl<L: Lanes> Tile for Lanes4x8<L> {
    const MR: usize = MR;
    const NR: usize = NR;
    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
        write::<L>(tile::<L>(kc, a, b), alpha, beta, c, rsc, csc, mr, nr);
    }
}

/// Rows of C per tile.
pub const MR: usize = 4;
/// Columns of C per tile: two vectors.
pub const NR: usize = 8;

/// One tile of A·B over a block of depth `kc`, from packed panels: `a` holds
/// MR values per step along k, `b` NR values. Each sum starts at zero and
/// takes its products in k order.
///
/// # Safety
/// `a` must hold `kc * MR` values and `b` `kc * NR`.
#[inline(always)]
pub unsafe fn tile<L: Lanes>(kc: usize, a: *const f32, b: *const f32) -> [[L; 2]; MR] {
    let mut ab = [[L::zero(); 2]; MR];
    for p in 0..kc {
        let b0 = L::load(b.add(p * NR));
        let b1 = L::load(b.add(p * NR + 4));
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
pub unsafe fn write<L: Lanes>(mut ab: [[L; 2]; MR], alpha: f32, beta: f32, c: *mut f32, rsc: isize, csc: isize, mr: usize, nr: usize) {
    let alpha = L::splat(alpha);
    for row in ab.iter_mut() {
        row[0] = L::mul(row[0], alpha);
        row[1] = L::mul(row[1], alpha);
    }
    if mr == MR && nr == NR && csc == 1 {
        let betav = L::splat(beta);
        for (i, row) in ab.iter().enumerate() {
            let ci = c.offset(i as isize * rsc);
            for (h, v) in row.iter().enumerate() {
                let v = if beta == 0.0 { *v } else { L::madd(betav, L::load(ci.add(4 * h)), *v) };
                v.store(ci.add(4 * h));
            }
        }
        return;
    }
    let mut buf = [0.0f32; MR * NR];
    for (i, row) in ab.iter().enumerate() {
        row[0].store(buf.as_mut_ptr().add(i * NR));
        row[1].store(buf.as_mut_ptr().add(i * NR + 4));
    }
    for i in 0..mr {
        for j in 0..nr {
            let cij = c.offset(i as isize * rsc + j as isize * csc);
            let v = buf[i * NR + j];
            *cij = if beta == 0.0 { v } else { *cij * beta + v };
        }
    }
}
