//! The contractive penalty (Rifai et al. 2011): λ · batch mean of
//! ‖∂h/∂x‖²_F, the squared Frobenius norm of the *whole* encoder's Jacobian
//! at each image, for any depth and any hidden activation. The code layer
//! is linear, as in the plain AE, so with λ = 0 a CAE is an AE to the bit.
//!
//! **The estimate.** ‖J‖²_F = tr(JᵀJ) = E_ε ‖Jε‖² for any ε with E[εεᵀ] = I
//! (Hutchinson 1990). We draw one ε per image, Rademacher (each entry ±1),
//! and compute Jε exactly by a forward-mode tangent pass through the
//! encoder, for layers z_l = h_{l−1}·W_l + b_l, h_l = f_l(z_l), h_0 = x:
//!
//!   t_0 = ε,   u_l = t_{l−1}·W_l,   t_l = f_l′(z_l) ∘ u_l,   Jε = t_L,
//!
//! and penalise P = (λ/B) Σ_b ‖t_{L,b}‖². So P is unbiased for
//! λ · mean_b ‖J_b‖²_F; its variance, per image, is
//! 2(‖JᵀJ‖²_F − Σ_i (JᵀJ)²_ii) ≤ 2‖J‖⁴_F (smaller than Gaussian ε's
//! 2‖JᵀJ‖²_F, and each sign costs one random bit, not a Box–Muller pair).
//! The gradient is a reverse pass through the tangent computation, with
//! g_L = ∂P/∂t_L = (2λ/B) t_L and, going down,
//!
//!   ∂P/∂z_l  += g_l ∘ u_l ∘ f_l″(z_l)     (into the encoder's own backward)
//!   ∂P/∂u_l   = g_l ∘ f_l′(z_l)
//!   ∂P/∂W_l  += t_{l−1}ᵀ · ∂P/∂u_l
//!   g_{l−1}   = ∂P/∂u_l · W_lᵀ.
//!
//! It costs about one more encoder forward and backward per step, and its
//! noise averages out over steps like minibatch noise does.
//!
//! **Why not exact.** For one hidden layer there is a closed form,
//! ‖J‖² = dᵀ((W₂W₂ᵀ) ∘ (W₁ᵀW₁))d with d = f′(z₁), but W₁ᵀW₁ alone is
//! input · hidden² multiply-adds per step (51 M for 784-256, more than the
//! batch-100 forward pass), and its gradient another as many: about twice
//! an AE step. Deeper encoders need the per-image chain of `latent` rows,
//! about `latent` times a backward pass. The estimate is general and cheap.
//!
//! **Numerically safe by construction.** Everything is a product of
//! weights, bounded slopes (f′ ≤ 1) and curvatures (|σ″| < 0.1, |tanh″| <
//! 0.8), with no division, logarithm or exponential; the sum of squares is
//! taken in f64. The f″ terms are added to ∂P/∂z_l directly
//! (`Mlp::backward_with`), never turned into a ∂P/∂h_l by dividing by a
//! f′ that can be 0.
//!
//! **Randomness.** ε comes from the training generator (seeded, passed in),
//! after the input corruption, and only when λ > 0: λ = 0 draws nothing.

use ndarray::Array2;

use crate::layers::Mlp;
use crate::rng::Rng;
use crate::tensor::{ensure_shape, gemm};

/// The tangent pass's buffers, shaped once per batch shape.
#[derive(Default)]
pub struct Contraction {
    eps: Array2<f32>,            // (B, input): ε, Rademacher
    u: Vec<Array2<f32>>,         // u[l]: (B, out_l), t_{l−1}·W_l
    t: Vec<Array2<f32>>,         // t[l]: (B, out_l), f′(z_l) ∘ u[l]; the last is Jε
    g: Vec<Array2<f32>>,         // g[l]: (B, out_l), ∂P/∂t[l], then ∂P/∂u[l] in place
    pub extra: Vec<Array2<f32>>, // extra[l]: (B, out_l), ∂P/∂z_l through f″, for `Mlp::backward_with`
}

impl Contraction {
    /// Draws ε from `rng`, runs the tangent pass through `encoder` (after its
    /// forward on the batch) and returns P = (λ/B) Σ_b ‖J_b ε_b‖².
    pub fn forward(&mut self, encoder: &Mlp, lambda: f32, rng: &mut Rng) -> f32 {
        let outs = encoder.outputs();
        let b = outs[0].nrows();
        let n = encoder.layers.len();
        ensure_shape(&mut self.eps, b, encoder.layers[0].input_size());
        for v in [&mut self.u, &mut self.t, &mut self.g, &mut self.extra] {
            v.resize_with(n, || Array2::zeros((0, 0)));
            for (buf, layer) in v.iter_mut().zip(&encoder.layers) {
                ensure_shape(buf, b, layer.output_size());
            }
        }
        rademacher(rng, self.eps.as_slice_mut().expect("contiguous"));
        for l in 0..n {
            let (t_prev, t_rest) = self.t.split_at_mut(l);
            let input = if l == 0 { self.eps.view() } else { t_prev[l - 1].view() };
            gemm(1.0, &input, &encoder.layers[l].w.view(), 0.0, &mut self.u[l].view_mut());
            let act = encoder.activations[l];
            let (t, u, a) = (t_rest[0].as_slice_mut().expect("contiguous"), self.u[l].as_slice().expect("contiguous"), outs[l].as_slice().expect("contiguous"));
            t.iter_mut().zip(u).zip(a).for_each(|((t, &u), &a)| *t = act.slope(a) * u);
        }
        let sq: f64 = self.t[n - 1].iter().map(|&v| (v as f64) * (v as f64)).sum();
        (lambda as f64 * sq / b as f64) as f32
    }

    /// After `forward`: adds ∂P/∂W_l to every encoder layer's `dw` and leaves
    /// ∂P/∂z_l in `extra`, for the encoder's backward to add (the biases get
    /// their share from there).
    pub fn backward(&mut self, encoder: &mut Mlp, lambda: f32) {
        let n = self.t.len();
        let b = self.eps.nrows() as f32;
        let scale = 2.0 * lambda / b;
        self.g[n - 1].zip_mut_with(&self.t[n - 1], |g, &t| *g = scale * t);
        let (layers, activations, outs) = encoder.parts_mut();
        for l in (0..n).rev() {
            let act = activations[l];
            let a = outs[l].as_slice().expect("contiguous");
            let u = self.u[l].as_slice().expect("contiguous");
            let g = self.g[l].as_slice_mut().expect("contiguous");
            let extra = self.extra[l].as_slice_mut().expect("contiguous");
            for (((g, e), &u), &a) in g.iter_mut().zip(extra.iter_mut()).zip(u).zip(a) {
                *e = *g * u * act.curvature(a);
                *g *= act.slope(a);
            }
            let input = if l == 0 { self.eps.view() } else { self.t[l - 1].view() };
            gemm(1.0, &input.t(), &self.g[l].view(), 1.0, &mut layers[l].dw.view_mut());
            if l > 0 {
                let (g_prev, g_cur) = self.g.split_at_mut(l);
                gemm(1.0, &g_cur[0].view(), &layers[l].w.t(), 0.0, &mut g_prev[l - 1].view_mut());
            }
        }
    }
}

/// Fills `out` with independent ±1, one random bit each.
fn rademacher(rng: &mut Rng, out: &mut [f32]) {
    for chunk in out.chunks_mut(64) {
        let bits = rng.next_u64();
        for (i, v) in chunk.iter_mut().enumerate() {
            *v = if bits >> i & 1 == 1 { 1.0 } else { -1.0 };
        }
    }
}
