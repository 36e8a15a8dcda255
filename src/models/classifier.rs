//! An MLP classifier trained with softmax cross-entropy: it judges
//! generations and serves the lecture's loss comparisons.

use ndarray::{Array2, ArrayView2};

use super::{visit_mlp, Model, Stats, TensorVisitor};
use crate::config::ModelConfig;
use crate::layers::{Activation, Mlp};
use crate::loss::softmax_ce;
use crate::rng::Rng;

pub struct Classifier {
    cfg: ModelConfig,
    pub net: Mlp, // input → hidden… → classes (logits)
}

impl Classifier {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Classifier {
        let mut sizes = vec![cfg.input];
        sizes.extend(&cfg.hidden);
        sizes.push(cfg.classes);
        Classifier { cfg: cfg.clone(), net: Mlp::new(&sizes, cfg.activation, Activation::Identity, cfg.init, rng) }
    }

    fn forward(&mut self, x: &ArrayView2<f32>, labels: &[u8], backward: bool) -> Stats {
        let (logits, grad) = {
            self.net.forward(x);
            self.net.output_and_grad()
        };
        let loss = softmax_ce(&logits.view(), labels, grad);
        let correct = logits.rows().into_iter().zip(labels).filter(|(row, &l)| argmax(row.as_slice().expect("contiguous")) == l as usize).count();
        if backward {
            self.net.backward(x, false);
        }
        Stats { loss, recon: loss, accuracy: correct as f32 / x.nrows().max(1) as f32, ..Stats::default() }
    }
}

pub fn argmax(xs: &[f32]) -> usize {
    xs.iter().enumerate().fold(0, |best, (i, &v)| if v > xs[best] { i } else { best })
}

impl Model for Classifier {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }
    fn compute_grads(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.net.zero_grad();
        self.forward(x, labels, true)
    }
    fn objective(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.forward(x, labels, false)
    }
    fn evaluate(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.forward(x, labels, false)
    }
    /// Class probabilities (B, classes).
    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        let mut p = self.net.forward(x).clone();
        for mut row in p.rows_mut() {
            let m = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            row.mapv_inplace(|v| (v - m).exp());
            let s = row.sum();
            row.mapv_inplace(|v| v / s);
        }
        p
    }
    /// A classifier has no decoder: it returns an empty batch.
    fn decode(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        Array2::zeros((z.nrows(), 0))
    }
    fn visit(&mut self, f: &mut TensorVisitor) {
        visit_mlp("net", &mut self.net, f);
    }
}
