//! An MLP classifier trained with softmax cross-entropy: it judges
//! generations and serves the lecture's loss comparisons.

use ndarray::{Array2, ArrayView2};

use super::{Model, Stats, TensorVisitor};
use crate::config::ModelConfig;
use crate::layers::{Activation, Mlp};
use crate::loss::softmax_ce;
use crate::rng::Rng;

pub struct Classifier {
    cfg: ModelConfig,
    net: Mlp, // input → hidden… → classes (logits)
}

impl Classifier {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Classifier {
        let (sizes, _) = crate::model_size::layer_sizes(cfg);
        Classifier { cfg: cfg.clone(), net: Mlp::new("net", &sizes, cfg.activation, Activation::Identity, cfg.init, rng) }
    }

    /// Logits, the cross-entropy and its gradient (in the net's output-gradient buffer), accuracy.
    fn forward_loss(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Stats {
        self.net.forward(x);
        let (logits, grad) = self.net.output_and_grad();
        let loss = softmax_ce(&logits.view(), labels, grad);
        let correct = logits.rows().into_iter().zip(labels).filter(|(row, &l)| argmax(row.as_slice().expect("contiguous")) == l as usize).count();
        Stats { loss, recon: loss, accuracy: correct as f32 / x.nrows().max(1) as f32, ..Stats::default() }
    }
}

/// Index of the largest entry (the first one on a tie): the predicted class.
pub fn argmax(xs: &[f32]) -> usize {
    xs.iter().enumerate().fold(0, |best, (i, &v)| if v > xs[best] { i } else { best })
}

impl Model for Classifier {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }
    fn compute_grads(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.net.zero_grad();
        let stats = self.forward_loss(x, labels);
        self.net.backward(x, false);
        stats
    }
    fn objective(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.forward_loss(x, labels)
    }
    fn evaluate(&mut self, x: &ArrayView2<f32>, labels: &[u8], _rng: &mut Rng) -> Stats {
        self.forward_loss(x, labels)
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
    fn visit(&mut self, f: &mut TensorVisitor) {
        self.net.visit(f);
    }
}
