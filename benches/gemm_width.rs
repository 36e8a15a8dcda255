//! Why the WebAssembly core trains at about half native speed (issue 23): the
//! matrix products. Natively they run on matrixmultiply's kernel, 8 lanes
//! wide (AVX2) with fused multiply–adds; wasm has 4 lanes (simd128), and our
//! wasm kernel (src/gemm) is a 4×8 tile of 4-lane vectors. This runs that
//! kernel natively on 4 portable lanes (which the compiler maps onto 4-lane
//! SSE registers; with `RUSTFLAGS='-C target-feature=+fma'` their
//! multiply–adds fuse, as relaxed SIMD's do) beside matrixmultiply, on the
//! products of one VAE 784-400-20 step at batch 128, and prints GFLOP/s and
//! the ratio. On a CPU with AVX-512 it also runs the native build's own
//! kernel there (src/gemm/avx512.rs, 16 lanes), which the core uses instead
//! of matrixmultiply. A benchmark, not a test: it asserts nothing about time.
//!
//!   cargo bench --bench gemm_width
//!   RUSTFLAGS='-C target-feature=+fma' cargo bench --bench gemm_width

use std::time::Instant;

use ae_playground::gemm::{lanes::Portable, sgemm};
use ndarray::linalg::general_mat_mul;
use ndarray::Array2;

/// The products of a VAE 784-400-20 step, batch 128, as (m, k, n) of C = A·B: the forward
/// pass (encoder, μ and log σ², decoder's two layers), then the backward pass's weight
/// gradients and the gradients passed down.
const SHAPES: [(usize, usize, usize); 11] = [
    (128, 784, 400),
    (128, 400, 40),
    (128, 20, 400),
    (128, 400, 784),
    (400, 128, 784),
    (128, 784, 400),
    (20, 128, 400),
    (128, 400, 20),
    (400, 128, 40),
    (128, 40, 400),
    (784, 128, 400),
];

/// One product `c = a·b`, by one kernel.
type Product = dyn FnMut(&Array2<f32>, &Array2<f32>, &mut Array2<f32>);

fn main() {
    let rounds = 5;
    let fused = cfg!(target_feature = "fma");
    let (a, b): (Vec<Array2<f32>>, Vec<Array2<f32>>) = SHAPES
        .iter()
        .map(|&(m, k, n)| {
            (
                Array2::from_shape_fn((m, k), |(i, j)| ((i * 7 + j * 3) % 13) as f32 / 13.0),
                Array2::from_shape_fn((k, n), |(i, j)| ((i * 5 + j) % 11) as f32 / 11.0),
            )
        })
        .unzip();
    let mut c: Vec<Array2<f32>> = SHAPES.iter().map(|&(m, _, n)| Array2::zeros((m, n))).collect();
    let flops: f64 = SHAPES.iter().map(|&(m, k, n)| 2.0 * (m * k * n) as f64).sum();
    // Best of `rounds`, each 40 steps' products.
    let mut time = |f: &mut Product| {
        (0..rounds)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..40 {
                    for ((a, b), c) in a.iter().zip(&b).zip(c.iter_mut()) {
                        f(a, b, c);
                    }
                }
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mm = time(&mut |a, b, c| general_mat_mul(1.0, a, b, 0.0, c));
    let ours = if fused {
        time(&mut |a, b, c| sgemm::<Portable<true>>(1.0, &a.view(), &b.view(), 0.0, &mut c.view_mut()))
    } else {
        time(&mut |a, b, c| sgemm::<Portable<false>>(1.0, &a.view(), &b.view(), 0.0, &mut c.view_mut()))
    };
    let gflops = |s: f64| 40.0 * flops / s / 1e9;
    println!("the products of a VAE 784-400-20 step at batch 128, best of {rounds} rounds of 40 steps, one thread:");
    println!("  matrixmultiply (this CPU's widest kernel)      {:6.1} GFLOP/s", gflops(mm));
    println!("  src/gemm on 4 portable lanes ({})  {:6.1} GFLOP/s", if fused { "fused, +fma " } else { "two roundings" }, gflops(ours));
    println!("  matrixmultiply ÷ 4 lanes: {:.2}×", ours / mm);
    #[cfg(target_arch = "x86_64")]
    if ae_playground::gemm::avx512::available() {
        let wide = time(&mut |a, b, c| ae_playground::gemm::avx512::sgemm(1.0, &a.view(), &b.view(), 0.0, &mut c.view_mut()));
        println!("  src/gemm on AVX-512, 8×32 tile (the core's here) {:6.1} GFLOP/s", gflops(wide));
        println!("  AVX-512 ÷ matrixmultiply: {:.2}×", mm / wide);
    }
}
