//! The contractive penalty (Rifai et al. 2011) for a sigmoid code layer
//! h = σ(a·W + b): ‖∂h/∂a‖²_F = Σ_j (h_j(1−h_j))² Σ_i W_ij², analytic and
//! cheap. With a one-layer encoder `a` is the input itself; with deeper ones
//! it contracts the code around the last hidden representation.

use ndarray::{Array1, Array2};

use crate::layers::Dense;

/// Σ_i W_ij² for each code unit j, into `out: (latent)`.
pub fn column_norms(layer: &Dense, out: &mut Array1<f32>) {
    for (o, c) in out.iter_mut().zip(layer.w.columns()) {
        *o = c.iter().map(|w| w * w).sum();
    }
}

/// λ · batch mean of Σ_j s_j² c_j with s = h(1−h).
pub fn penalty(h: &Array2<f32>, norms: &Array1<f32>, lambda: f32) -> f32 {
    let b = h.nrows() as f32;
    let mut total = 0.0f64;
    for row in h.rows() {
        for (&h, &c) in row.iter().zip(norms) {
            let s = h * (1.0 - h);
            total += (s * s * c) as f64;
        }
    }
    (lambda as f64 * total / b as f64) as f32
}

/// Adds the penalty's gradient w.r.t. h to `dh` (it then flows through the
/// sigmoid with the reconstruction gradient): ∂/∂h_j = λ c_j 2s_j(1−2h_j) / B.
pub fn add_code_grad(h: &Array2<f32>, norms: &Array1<f32>, lambda: f32, dh: &mut Array2<f32>) {
    let b = h.nrows() as f32;
    for (hrow, mut drow) in h.rows().into_iter().zip(dh.rows_mut()) {
        for ((&h, d), &c) in hrow.iter().zip(drow.iter_mut()).zip(norms) {
            let s = h * (1.0 - h);
            *d += lambda * c * 2.0 * s * (1.0 - 2.0 * h) / b;
        }
    }
}

/// Adds the penalty's direct gradient w.r.t. W: ∂/∂W_ij = λ 2W_ij mean_b(s_bj²).
/// `s2: (latent)` is scratch space.
pub fn add_weight_grad(h: &Array2<f32>, lambda: f32, layer: &mut Dense, s2: &mut [f32]) {
    let b = h.nrows() as f32;
    s2.fill(0.0);
    for row in h.rows() {
        for (acc, &h) in s2.iter_mut().zip(row) {
            let s = h * (1.0 - h);
            *acc += s * s;
        }
    }
    for (mut drow, wrow) in layer.dw.rows_mut().into_iter().zip(layer.w.rows()) {
        for ((d, &w), &s2) in drow.iter_mut().zip(wrow).zip(s2.iter()) {
            *d += lambda * 2.0 * w * s2 / b;
        }
    }
}
