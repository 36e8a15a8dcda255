//! An MLP's exact Jacobian with respect to its input, by reverse mode: the
//! models' `code_jacobian` and the probes' Jacobian norms are built on it.

use ndarray::{s, Array3, ArrayView2};

use super::Mlp;

/// The Jacobian `(B, code_cols, x_cols)` of the encoder's first `code_cols`
/// outputs w.r.t. the first `x_cols` columns of its input `(B, in)` (the
/// image; later columns, a CVAE's one-hot label, are held fixed). One forward,
/// then one backward per code dimension; the backward passes accumulate into
/// the layers' gradient buffers, which the caller treats as overwritten.
pub(crate) fn input_jacobian(encoder: &mut Mlp, input: &ArrayView2<f32>, x_cols: usize, code_cols: usize) -> Array3<f32> {
    let b = input.nrows();
    let mut jac = Array3::zeros((b, code_cols, x_cols));
    encoder.forward(input);
    for j in 0..code_cols {
        // The activation's backward turns this buffer into ∂/∂pre-activation in place: reseed every pass.
        let (_, seed) = encoder.output_and_grad();
        seed.fill(0.0);
        seed.column_mut(j).fill(1.0);
        encoder.backward(input, true);
        jac.slice_mut(s![.., j, ..]).assign(&encoder.input_grad().slice(s![.., ..x_cols]));
    }
    jac
}
