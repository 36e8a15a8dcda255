use ndarray::{Array2, ArrayView2};

use super::{Activation, Dense, Init};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

/// Visitor over parameter tensors: (name, shape, values, gradients).
pub type TensorVisitor<'a> = dyn FnMut(&str, &[usize], &mut [f32], &mut [f32]) + 'a;

/// A stack of dense layers. It owns the activation and delta buffers,
/// allocated once per batch shape, so a training step allocates nothing.
pub struct Mlp {
    pub layers: Vec<Dense>,
    pub activations: Vec<Activation>,
    names: Vec<[String; 2]>,  // names[i]: `{prefix}.{i}.weight`, `{prefix}.{i}.bias`, built once for `visit`
    outs: Vec<Array2<f32>>,   // outs[i]: (B, out_i), layer i's output after its activation
    deltas: Vec<Array2<f32>>, // deltas[i]: (B, out_i), ∂L/∂outs[i], then ∂L/∂z_i
    dinput: Array2<f32>,      // (B, in), ∂L/∂x when asked for
}

impl Mlp {
    /// `sizes = [in, h1, …, out]`; hidden layers use `hidden`, the last
    /// `output`. `prefix` names the tensors in model files (`encoder`, …).
    pub fn new(prefix: &str, sizes: &[usize], hidden: Activation, output: Activation, init: Init, rng: &mut Rng) -> Mlp {
        assert!(sizes.len() >= 2, "an MLP needs an input and an output size");
        let n = sizes.len() - 1;
        let mut layers = Vec::with_capacity(n);
        let mut activations = Vec::with_capacity(n);
        for i in 0..n {
            let act = if i + 1 == n { output } else { hidden };
            let init = match init {
                Init::Auto if matches!(act, Activation::Relu | Activation::LeakyRelu) => Init::He,
                Init::Auto => Init::Xavier,
                other => other,
            };
            layers.push(Dense::new(sizes[i], sizes[i + 1], init, rng));
            activations.push(act);
        }
        let names = (0..n).map(|i| [format!("{prefix}.{i}.weight"), format!("{prefix}.{i}.bias")]).collect();
        Mlp { layers, activations, names, outs: vec![Array2::zeros((0, 0)); n], deltas: vec![Array2::zeros((0, 0)); n], dinput: Array2::zeros((0, 0)) }
    }

    /// Runs the batch `x: (B, in)` through every layer; returns the output `(B, out)`.
    pub fn forward(&mut self, x: &ArrayView2<f32>) -> &Array2<f32> {
        let b = x.nrows();
        for i in 0..self.layers.len() {
            ensure_shape(&mut self.outs[i], b, self.layers[i].output_size());
            let (prev, rest) = self.outs.split_at_mut(i);
            let input = if i == 0 { x.view() } else { prev[i - 1].view() };
            self.layers[i].forward(&input, &mut rest[0].view_mut());
            self.activations[i].forward(rest[0].as_slice_mut().expect("contiguous"));
        }
        self.output()
    }

    /// Every layer's output from the last forward: `outs[i]: (B, out_i)`.
    pub fn outputs(&self) -> &[Array2<f32>] {
        &self.outs
    }

    pub fn output(&self) -> &Array2<f32> {
        &self.outs[self.outs.len() - 1]
    }

    /// Backpropagates the gradient in the output-gradient buffer (see
    /// `output_and_grad`) through the stack, accumulating into every layer's
    /// `dw`/`db`. `x` must be the batch given to the last `forward`. With
    /// `need_input_grad`, ∂L/∂x lands in `input_grad()`.
    pub fn backward(&mut self, x: &ArrayView2<f32>, need_input_grad: bool) {
        self.backward_with(x, need_input_grad, None)
    }

    /// `backward`, with `extra[i]: (B, out_i)` added to ∂L/∂z_i after layer
    /// i's activation: a term of the loss that depends on a pre-activation
    /// other than through the layer's output (the contractive penalty's
    /// f″(z) terms, `models/cae.rs`). Adding it there, rather than as an
    /// equivalent ∂L/∂output, avoids dividing by f′, which may be 0.
    pub fn backward_with(&mut self, x: &ArrayView2<f32>, need_input_grad: bool, extra: Option<&[Array2<f32>]>) {
        let b = x.nrows();
        let n = self.layers.len();
        for i in (0..n).rev() {
            let (outs_prev, outs_cur) = self.outs.split_at(i);
            self.activations[i].backward(outs_cur[0].as_slice().expect("contiguous"), self.deltas[i].as_slice_mut().expect("contiguous"));
            if let Some(extra) = extra {
                self.deltas[i].zip_mut_with(&extra[i], |d, &e| *d += e);
            }
            let input = if i == 0 { x.view() } else { outs_prev[i - 1].view() };
            let (d_prev, d_cur) = self.deltas.split_at_mut(i);
            if i > 0 {
                ensure_shape(&mut d_prev[i - 1], b, self.layers[i].input_size());
                self.layers[i].backward(&input, &d_cur[0].view(), Some(&mut d_prev[i - 1].view_mut()));
            } else if need_input_grad {
                ensure_shape(&mut self.dinput, b, self.layers[0].input_size());
                self.layers[0].backward(&input, &d_cur[0].view(), Some(&mut self.dinput.view_mut()));
            } else {
                self.layers[0].backward(&input, &d_cur[0].view(), None);
            }
        }
    }

    pub fn input_grad(&self) -> &Array2<f32> {
        &self.dinput
    }

    pub fn zero_grad(&mut self) {
        self.layers.iter_mut().for_each(Dense::zero_grad);
    }

    /// The layers (for their gradients) beside their activations and the last
    /// forward's outputs: a penalty on the encoder's Jacobian needs all three.
    pub fn parts_mut(&mut self) -> (&mut [Dense], &[Activation], &[Array2<f32>]) {
        (&mut self.layers, &self.activations, &self.outs)
    }

    /// The last forward's output together with the buffer for ∂L/∂output,
    /// so a loss can read one and write the other.
    pub fn output_and_grad(&mut self) -> (&Array2<f32>, &mut Array2<f32>) {
        let n = self.deltas.len();
        let (b, w) = self.outs[n - 1].dim();
        ensure_shape(&mut self.deltas[n - 1], b, w);
        (&self.outs[n - 1], &mut self.deltas[n - 1])
    }

    /// Visits each layer's tensors as `{prefix}.{i}.weight` (in, out) and
    /// `{prefix}.{i}.bias` (out), with names built once, at construction.
    pub fn visit(&mut self, f: &mut TensorVisitor) {
        for (l, [wname, bname]) in self.layers.iter_mut().zip(&self.names) {
            let shape = [l.w.nrows(), l.w.ncols()];
            f(wname, &shape, l.w.as_slice_mut().expect("contiguous"), l.dw.as_slice_mut().expect("contiguous"));
            let n = l.b.len();
            f(bname, &[n], l.b.as_slice_mut().expect("contiguous"), l.db.as_slice_mut().expect("contiguous"));
        }
    }
}
