//! The few matrix helpers ndarray lacks. All GEMMs in the crate go through
//! `gemm` so a benchmark can count and tune them in one place.

use std::cell::Cell;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

use crate::threads;

thread_local! {
    static GEMMS: Cell<u64> = const { Cell::new(0) };
    static MATRIXMULTIPLY: Cell<u64> = const { Cell::new(0) };
}

/// `c = alpha * a·b + beta * c`, written into an existing buffer. The SIMD
/// WebAssembly builds, and native builds on CPUs with AVX-512, use our own
/// kernel (`crate::gemm`), which rounds as matrixmultiply does and allocates
/// nothing once warm. Elsewhere this is ndarray's GEMM (`matrixmultiply`),
/// which allocates one packing buffer per call, which is why those calls are
/// counted (tests/alloc.rs).
/// With more than one thread (`threads::set_threads`) a large product is
/// split over blocks of `c`, each block a GEMM of its own: the same bits
/// (src/threads.rs says why), one packing buffer per block where
/// matrixmultiply multiplies.
#[inline]
pub fn gemm(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    GEMMS.with(|n| n.set(n.get() + 1));
    let (m, n) = c.dim();
    let (rows, block) = threads::plan(m, n, a.ncols());
    if block >= if rows { m } else { n } {
        kernel(alpha, a, b, beta, c);
    } else {
        split_gemm(alpha, a, b, beta, c, rows, block);
    }
}

/// One GEMM on the calling thread, by this build's kernel (this CPU's, natively).
#[inline]
fn kernel(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "matrixmultiply-wasm")))]
    crate::gemm::sgemm::<crate::gemm::lanes::Simd>(alpha, a, b, beta, c);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "matrixmultiply-wasm"))))]
    {
        #[cfg(target_arch = "x86_64")]
        if crate::gemm::avx512::available() {
            return crate::gemm::avx512::sgemm(alpha, a, b, beta, c);
        }
        MATRIXMULTIPLY.with(|n| n.set(n.get() + 1));
        ndarray::linalg::general_mat_mul(alpha, a, b, beta, c);
    }
}

#[cfg(feature = "threads")]
fn split_gemm(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>, rows: bool, block: usize) {
    threads::count_split();
    if rows {
        let blocks = a.axis_chunks_iter(Axis(0), block).zip(c.axis_chunks_iter_mut(Axis(0), block));
        threads::each(blocks, &|(a, mut c)| kernel(alpha, &a, b, beta, &mut c));
    } else {
        let blocks = b.axis_chunks_iter(Axis(1), block).zip(c.axis_chunks_iter_mut(Axis(1), block));
        threads::each(blocks, &|(b, mut c)| kernel(alpha, a, &b, beta, &mut c));
    }
}

#[cfg(not(feature = "threads"))]
fn split_gemm(alpha: f32, a: &ArrayView2<f32>, b: &ArrayView2<f32>, beta: f32, c: &mut ArrayViewMut2<f32>, _: bool, _: usize) {
    kernel(alpha, a, b, beta, c);
}

/// GEMM calls made on this thread so far.
pub fn gemm_count() -> u64 {
    GEMMS.with(Cell::get)
}

/// Of those, the products matrixmultiply took (one packing buffer each).
pub fn matrixmultiply_count() -> u64 {
    MATRIXMULTIPLY.with(Cell::get)
}

/// Resize `buf` to `rows × cols` only when its shape differs, so steady-state
/// training reuses the same allocation every batch.
pub fn ensure_shape(buf: &mut Array2<f32>, rows: usize, cols: usize) {
    if buf.dim() != (rows, cols) {
        *buf = Array2::zeros((rows, cols));
    }
}

/// Column sums accumulated into `out` (`out += Σ_rows m`): the bias gradient.
pub fn add_column_sums(m: &ArrayView2<f32>, out: &mut [f32]) {
    for row in m.axis_iter(Axis(0)) {
        for (o, &v) in out.iter_mut().zip(row.iter()) {
            *o += v;
        }
    }
}

/// True when every entry is finite: the divergence check after each step.
pub fn all_finite(xs: &[f32]) -> bool {
    xs.iter().all(|v| v.is_finite())
}
