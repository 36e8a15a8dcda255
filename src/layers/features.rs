//! A discriminator's feature layers on images: optional convolutions
//! (`conv.rs`, each followed by the hidden activation), then optional dense
//! layers. The last layer's output is the features (VAE-GAN measures its
//! reconstruction in them). Without convolutions it is the plain `Mlp` it
//! always was, under the same tensor names, so earlier model files load.

use ndarray::{Array2, ArrayView2};

use super::conv::Conv2d;
use super::{Activation, Init, Mlp, TensorVisitor};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct ImageFeatures {
    convs: Vec<Conv2d>,
    act: Activation,
    names: Vec<[String; 2]>,  // `{prefix}.conv.{i}.weight` / `.bias`
    outs: Vec<Array2<f32>>,   // outs[i]: (B, out_i) after the activation
    deltas: Vec<Array2<f32>>, // ∂L/∂outs[i], then ∂L/∂ before the activation
    dinput: Array2<f32>,
    dense: Option<Mlp>,
}

impl ImageFeatures {
    /// `convs`: each convolution's (input side, input channels, output
    /// channels), as `model_size::disc_convs` lays them out; `dense`: the
    /// widths after them (their input first).
    pub fn new(prefix: &str, convs: &[(usize, usize, usize)], dense: &[usize], act: Activation, init: Init, rng: &mut Rng) -> ImageFeatures {
        let convs: Vec<Conv2d> = convs.iter().map(|&(side, cin, cout)| Conv2d::new(side, cin, cout, rng)).collect();
        let names = (0..convs.len()).map(|i| [format!("{prefix}.conv.{i}.weight"), format!("{prefix}.conv.{i}.bias")]).collect();
        let dense = (dense.len() >= 2).then(|| Mlp::new(prefix, dense, act, act, init, rng));
        let n = convs.len();
        let zero = || Array2::zeros((0, 0));
        ImageFeatures { convs, act, names, outs: vec![zero(); n], deltas: vec![zero(); n], dinput: zero(), dense }
    }

    /// The features of the batch `x: (B, side²)`.
    pub fn forward(&mut self, x: &ArrayView2<f32>) -> &Array2<f32> {
        let b = x.nrows();
        for i in 0..self.convs.len() {
            ensure_shape(&mut self.outs[i], b, self.convs[i].output_size());
            let (prev, rest) = self.outs.split_at_mut(i);
            let input = if i == 0 { x.view() } else { prev[i - 1].view() };
            self.convs[i].forward(&input, &mut rest[0].view_mut());
            self.act.forward(rest[0].as_slice_mut().expect("contiguous"));
        }
        if self.dense.is_none() {
            return self.output();
        }
        let d = self.dense.as_mut().expect("dense layers");
        match self.outs.last() {
            Some(h) => d.forward(&h.view()),
            None => d.forward(x),
        }
    }

    pub fn output(&self) -> &Array2<f32> {
        match &self.dense {
            Some(d) => d.output(),
            None => self.outs.last().expect("convolutions or dense layers"),
        }
    }

    /// The last forward's output with the buffer for ∂L/∂output.
    pub fn output_and_grad(&mut self) -> (&Array2<f32>, &mut Array2<f32>) {
        if let Some(d) = &mut self.dense {
            return d.output_and_grad();
        }
        let n = self.outs.len();
        let (b, w) = self.outs[n - 1].dim();
        ensure_shape(&mut self.deltas[n - 1], b, w);
        (&self.outs[n - 1], &mut self.deltas[n - 1])
    }

    /// Backward from the output-gradient buffer; `x` as given to the last
    /// forward. With `need_input_grad`, ∂L/∂x lands in `input_grad()`.
    pub fn backward(&mut self, x: &ArrayView2<f32>, need_input_grad: bool) {
        let n = self.convs.len();
        if let Some(d) = &mut self.dense {
            match self.outs.last() {
                Some(h) => {
                    d.backward(&h.view(), true);
                    let (b, w) = self.outs[n - 1].dim();
                    ensure_shape(&mut self.deltas[n - 1], b, w);
                    self.deltas[n - 1].assign(d.input_grad());
                }
                None => return d.backward(x, need_input_grad),
            }
        }
        let b = x.nrows();
        for i in (0..n).rev() {
            let (outs_prev, outs_cur) = self.outs.split_at(i);
            self.act.backward(outs_cur[0].as_slice().expect("contiguous"), self.deltas[i].as_slice_mut().expect("contiguous"));
            let input = if i == 0 { x.view() } else { outs_prev[i - 1].view() };
            let (d_prev, d_cur) = self.deltas.split_at_mut(i);
            if i > 0 {
                ensure_shape(&mut d_prev[i - 1], b, self.convs[i].input_size());
                self.convs[i].backward(&input, &d_cur[0].view(), Some(&mut d_prev[i - 1].view_mut()));
            } else if need_input_grad {
                ensure_shape(&mut self.dinput, b, self.convs[0].input_size());
                self.convs[0].backward(&input, &d_cur[0].view(), Some(&mut self.dinput.view_mut()));
            } else {
                self.convs[0].backward(&input, &d_cur[0].view(), None);
            }
        }
    }

    pub fn input_grad(&self) -> &Array2<f32> {
        match (&self.dense, self.convs.is_empty()) {
            (Some(d), true) => d.input_grad(),
            _ => &self.dinput,
        }
    }

    pub fn zero_grad(&mut self) {
        self.convs.iter_mut().for_each(Conv2d::zero_grad);
        if let Some(d) = &mut self.dense {
            d.zero_grad();
        }
    }

    /// The convolutions' tensors, `{prefix}.conv.{i}.weight` (5·5·in, out) and
    /// `.bias` (out), then the dense layers' as `Mlp` names them.
    pub fn visit(&mut self, f: &mut TensorVisitor) {
        for (l, [wname, bname]) in self.convs.iter_mut().zip(&self.names) {
            let shape = [l.w.nrows(), l.w.ncols()];
            f(wname, &shape, l.w.as_slice_mut().expect("contiguous"), l.dw.as_slice_mut().expect("contiguous"));
            let n = l.b.len();
            f(bname, &[n], l.b.as_slice_mut().expect("contiguous"), l.db.as_slice_mut().expect("contiguous"));
        }
        if let Some(d) = &mut self.dense {
            d.visit(f);
        }
    }
}
