//! Our GEMM against a reference on the same inputs. Natively
//! (tests/gemm.rs) with portable lanes, against matrixmultiply and against
//! `Reference::InOrder`; in the browser with the build's own SIMD lanes
//! (`Playground.gemm_check`, tests/web/wasm-builds.test.mjs), so the kernel
//! that trains in the page is the one compared, against `InOrder` with the
//! same lanes. The two native checks make the browser's mean what it says:
//! the sums come out as matrixmultiply's. (The browser cannot ask
//! matrixmultiply: the unthreaded builds compile their dependencies without
//! SIMD, scripts/build-site.sh, so its kernel there is not the page's.)

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, ShapeBuilder};

use super::lanes::Lanes;
use super::{sgemm, KC};
use crate::rng::Rng;

/// A GEMM under test: `c ← alpha·a·b + beta·c`.
pub type Gemm = fn(f32, &ArrayView2<f32>, &ArrayView2<f32>, f32, &mut ArrayViewMut2<f32>);

/// What our GEMM is compared with.
#[derive(Clone, Copy, Debug)]
pub enum Reference {
    /// `ndarray`'s product, which is matrixmultiply's.
    Matrixmultiply,
    /// One element at a time, in the order matrixmultiply sums: blocks of
    /// `KC` along k, each a chain of the lanes' multiply–adds from zero,
    /// scaled by α, then added to β·C (a later block onto the sum so far).
    InOrder,
}

/// `c ← alpha·a·b + beta·c` as `Reference::InOrder` says, with the lanes `L`
/// (lane 0 of each operation: the same instruction the kernel uses, so a
/// relaxed multiply–add rounds here as it does there).
pub fn in_order<L: Lanes>(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut Array2<f32>) {
    let lane0 = |v: L| {
        let mut out = [0.0f32; 4];
        // SAFETY: `out` holds four values.
        unsafe { v.store(out.as_mut_ptr()) };
        out[0]
    };
    let k = a.ncols();
    for ((i, j), cij) in c.indexed_iter_mut() {
        if k == 0 {
            *cij = if beta == 0.0 { 0.0 } else { *cij * beta };
        }
        for p0 in (0..k).step_by(KC) {
            let mut sum = L::zero();
            for p in p0..k.min(p0 + KC) {
                sum = L::madd(L::splat(b[[p, j]]), L::splat(a[[i, p]]), sum);
            }
            let v = lane0(L::mul(sum, L::splat(alpha)));
            let beta = if p0 == 0 { beta } else { 1.0 };
            *cij = if beta == 0.0 { v } else { *cij * beta + v };
        }
    }
}

/// A `rows × cols` matrix of standard normal values, stored row- or column-major.
pub fn random(rows: usize, cols: usize, rng: &mut Rng, column_major: bool) -> Array2<f32> {
    let v: Vec<f32> = (0..rows * cols).map(|_| rng.normal()).collect();
    if column_major {
        Array2::from_shape_vec((rows, cols).f(), v).expect("shape")
    } else {
        Array2::from_shape_vec((rows, cols), v).expect("shape")
    }
}

/// One product both ways. `layout`'s bits make A, B and C column-major
/// (the layers pass transposed views). Bit for bit where β is 0 or 1; other
/// β (no model uses one) meet C in one rounding or two depending on whether
/// a tile is whole, and the two kernels' tiles differ, so within 1e-5.
#[allow(clippy::too_many_arguments)]
pub fn compare<L: Lanes>(ours: Gemm, m: usize, k: usize, n: usize, alpha: f32, beta: f32, layout: u8, against: Reference, rng: &mut Rng) -> Result<(), String> {
    let a = random(m, k, rng, layout & 1 != 0);
    let b = random(k, n, rng, layout & 2 != 0);
    let c = random(m, n, rng, layout & 4 != 0);
    let (mut want, mut got) = (c.clone(), c);
    match against {
        Reference::Matrixmultiply => general_mat_mul(alpha, &a.view(), &b.view(), beta, &mut want.view_mut()),
        Reference::InOrder => in_order::<L>(alpha, &a.view(), &b.view(), beta, &mut want),
    }
    ours(alpha, &a.view(), &b.view(), beta, &mut got.view_mut());
    let worst = want.iter().zip(got.iter()).map(|(x, y)| (x - y).abs() / x.abs().max(1.0)).fold(0.0, f32::max);
    let same = want.iter().zip(got.iter()).all(|(x, y)| x.to_bits() == y.to_bits());
    let ok = if beta == 0.0 || beta == 1.0 { same } else { worst < 1e-5 };
    if ok {
        Ok(())
    } else {
        Err(format!("{m}×{k}·{k}×{n}, α {alpha}, β {beta}, layout {layout:03b}: differs from {against:?} by up to {worst:e} (relative)"))
    }
}

/// The shapes the models use, every layout, tiles cut at every edge, sums
/// one block deep and more, and other scalars, for our GEMM on the lanes
/// `L`. Returns the cases compared.
pub fn all<L: Lanes>(seed: u64, against: Reference) -> Result<usize, String> {
    all_of::<L>(sgemm::<L>, seed, against)
}

/// As `all`, for `ours`, a GEMM whose multiply–adds round as the lanes `L` do
/// (fused or not): what the in-order reference takes them as.
pub fn all_of<L: Lanes>(ours: Gemm, seed: u64, against: Reference) -> Result<usize, String> {
    let mut rng = Rng::new(seed);
    let mut cases = 0;
    let mut run = |m, k, n, alpha, beta, layout, rng: &mut Rng| {
        cases += 1;
        compare::<L>(ours, m, k, n, alpha, beta, layout, against, rng)
    };
    // (batch, in, out) of the reference AE and the VAE 784-400-20; in each,
    // the dense layer's x·W (β 1 onto the bias), xᵀ·dy and dy·Wᵀ (β 0).
    for (m, k, n) in [(64, 784, 512), (64, 512, 256), (64, 256, 2), (64, 2, 256), (128, 784, 400), (128, 20, 400), (500, 400, 784)] {
        run(m, k, n, 1.0, 1.0, 0, &mut rng)?;
        run(k, m, n, 1.0, 1.0, 1, &mut rng)?;
        run(m, n, k, 1.0, 0.0, 2, &mut rng)?;
    }
    for layout in 0..8 {
        run(37, 300, 19, 1.0, 1.0, layout, &mut rng)?;
    }
    // (Edges of the 4×8 tile and of AVX-512's 8×32.)
    for m in [1, 3, 4, 5, 8, 9, 13, 64, 65] {
        for n in [1, 2, 7, 8, 9, 17, 32, 33] {
            for k in [1, 3, KC - 1, KC, KC + 1, 2 * KC + 5] {
                run(m, k, n, 1.0, 0.0, 0, &mut rng)?;
                run(m, k, n, 1.0, 1.0, 0, &mut rng)?;
            }
        }
    }
    // nearest.rs scales by −2.
    for (alpha, beta) in [(-2.0, 0.0), (0.5, 1.0), (1.0, 0.25), (3.0, -1.5)] {
        run(20, 300, 16, alpha, beta, 0, &mut rng)?;
    }
    // An empty depth leaves β·C; empty sides leave nothing to do.
    for (m, k, n, beta) in [(4, 0, 5, 0.0), (4, 0, 5, 0.5), (0, 7, 5, 1.0), (4, 7, 0, 1.0)] {
        run(m, k, n, 1.0, beta, 0, &mut rng)?;
    }
    Ok(cases)
}
