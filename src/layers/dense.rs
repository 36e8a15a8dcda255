use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2};
use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::tensor::{add_column_sums, gemm};

/// How a dense layer's weights are drawn. Biases always start at zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Init {
    /// U(-scale, scale).
    Uniform { scale: f32 },
    /// N(0, std²).
    Normal { std: f32 },
    /// Glorot & Bengio 2010: U(±√(6/(in+out))), keeps variance for tanh/sigmoid.
    Xavier,
    /// He et al. 2015: N(0, 2/in), keeps variance through ReLUs.
    He,
    /// LeCun uniform U(±1/√in): PyTorch's `nn.Linear` default.
    LecunUniform,
    /// He for (leaky) ReLU layers, Xavier for the rest: the usual choice.
    #[default]
    Auto,
}

/// A fully connected layer `y = x·w + b` over a minibatch `x: (B, in)`.
pub struct Dense {
    pub w: Array2<f32>,  // (in, out)
    pub b: Array1<f32>,  // (out)
    pub dw: Array2<f32>, // (in, out), accumulated by backward
    pub db: Array1<f32>, // (out)
}

impl Dense {
    pub fn new(input: usize, output: usize, init: Init, rng: &mut Rng) -> Dense {
        let mut w = Array2::zeros((input, output));
        match init {
            Init::Uniform { scale } => w.iter_mut().for_each(|v| *v = (2.0 * rng.uniform() - 1.0) * scale),
            Init::Normal { std } => w.iter_mut().for_each(|v| *v = rng.normal() * std),
            Init::Xavier => {
                let s = (6.0 / (input + output) as f32).sqrt();
                w.iter_mut().for_each(|v| *v = (2.0 * rng.uniform() - 1.0) * s)
            }
            Init::LecunUniform => {
                let s = 1.0 / (input as f32).sqrt();
                w.iter_mut().for_each(|v| *v = (2.0 * rng.uniform() - 1.0) * s)
            }
            Init::He | Init::Auto => {
                let s = (2.0 / input as f32).sqrt();
                w.iter_mut().for_each(|v| *v = rng.normal() * s)
            }
        }
        Dense { w, b: Array1::zeros(output), dw: Array2::zeros((input, output)), db: Array1::zeros(output) }
    }

    pub fn input_size(&self) -> usize {
        self.w.nrows()
    }
    pub fn output_size(&self) -> usize {
        self.w.ncols()
    }

    /// `y = x·w + b`, written into `y: (B, out)`.
    pub fn forward(&self, x: &ArrayView2<f32>, y: &mut ArrayViewMut2<f32>) {
        y.rows_mut().into_iter().for_each(|mut r| r.assign(&self.b));
        gemm(1.0, x, &self.w.view(), 1.0, y);
    }

    /// Given ∂L/∂y, accumulate `dw += xᵀ·dy`, `db += Σ dy` and, when asked,
    /// write `dx = dy·wᵀ` (the first layer skips it: nobody needs ∂L/∂input).
    pub fn backward(&mut self, x: &ArrayView2<f32>, dy: &ArrayView2<f32>, dx: Option<&mut ArrayViewMut2<f32>>) {
        gemm(1.0, &x.t(), dy, 1.0, &mut self.dw.view_mut());
        add_column_sums(dy, self.db.as_slice_mut().expect("contiguous bias"));
        if let Some(dx) = dx {
            gemm(1.0, dy, &self.w.t(), 0.0, dx);
        }
    }

    pub fn zero_grad(&mut self) {
        self.dw.fill(0.0);
        self.db.fill(0.0);
    }
}
