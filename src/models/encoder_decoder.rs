//! The part every model with a decoder shares: an encoder MLP, a decoder MLP
//! and the decoder's likelihood, with the methods whose bodies do not depend
//! on the kind. What makes a kind different stays in its own file: the DAE's
//! corruption and the CAE's penalty (`ae.rs`), the sampling and KL of the
//! VAE (`vae.rs`), the discriminator and its game (`aae.rs`). The classifier
//! has no decoder and does not use it.

use ndarray::{Array1, Array2, Array3, ArrayView2};

use super::TensorVisitor;
use crate::config::{Decoder, ModelConfig};
use crate::layers::jacobian::input_jacobian;
use crate::layers::{Activation, Mlp};
use crate::loss;
use crate::model_size::layer_sizes;
use crate::rng::Rng;

pub(crate) struct EncoderDecoder {
    pub encoder: Mlp, // encoder input → hidden… → code outputs, linear at the code
    pub decoder: Mlp, // decoder input → …hidden → logits (input)
    pub likelihood: OutputLikelihood,
}

impl EncoderDecoder {
    /// Both MLPs in the widths `model_size::layer_sizes` gives (so the
    /// parameter count the page is told is the one built), the encoder's
    /// weights drawn from `rng` before the decoder's: a seed reproduces a
    /// model only if this order never changes.
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> EncoderDecoder {
        let (enc_sizes, dec_sizes) = layer_sizes(cfg);
        EncoderDecoder {
            encoder: Mlp::new("encoder", &enc_sizes, cfg.activation, Activation::Identity, cfg.init, rng),
            decoder: Mlp::new("decoder", &dec_sizes, cfg.activation, Activation::Identity, cfg.init, rng),
            likelihood: OutputLikelihood::new(cfg.decoder, cfg.input),
        }
    }

    pub fn zero_grad(&mut self) {
        self.encoder.zero_grad();
        self.decoder.zero_grad();
        self.likelihood.zero_grad();
    }

    /// Encoder, decoder, then the learned output variance: model files store
    /// tensors by these names in this order, so it must not change.
    pub fn visit(&mut self, f: &mut TensorVisitor) {
        self.encoder.visit(f);
        self.decoder.visit(f);
        self.likelihood.visit(f);
    }

    /// The encoder's outputs `(B, code outputs)` for its input `(B, encoder input)`.
    pub fn encode(&mut self, enc_in: &ArrayView2<f32>) -> Array2<f32> {
        self.encoder.forward(enc_in).clone()
    }

    /// ∂code/∂x `(B, code_cols, x_cols)`: the encoder's first `code_cols`
    /// outputs against its first `x_cols` inputs (the image, not a label).
    pub fn code_jacobian(&mut self, enc_in: &ArrayView2<f32>, x_cols: usize, code_cols: usize) -> Array3<f32> {
        input_jacobian(&mut self.encoder, enc_in, x_cols, code_cols)
    }

    /// Decoder logits `(B, input)` for its input `(B, decoder input)`.
    pub fn decode_logits(&mut self, dec_in: &ArrayView2<f32>) -> Array2<f32> {
        self.decoder.forward(dec_in).clone()
    }

    /// −log p(x | logits) of the decoder's last output, batch mean; with
    /// `grads`, ∂/∂logits in the decoder's output-gradient buffer (without,
    /// the value alone, to the bit; see `OutputLikelihood::nll_value`).
    pub fn output_nll(&mut self, x: &ArrayView2<f32>, grads: bool) -> f32 {
        let (logits, grad) = self.decoder.output_and_grad();
        if grads {
            self.likelihood.nll(&logits.view(), x, grad)
        } else {
            self.likelihood.nll_value(&logits.view(), x, grad)
        }
    }

    /// enc_in → code → logits, and `output_nll` against `x`. The target is
    /// `x`, not `enc_in`: a DAE predicts the clean image from the corrupted one.
    pub fn reconstruction_nll(&mut self, enc_in: &ArrayView2<f32>, x: &ArrayView2<f32>, grads: bool) -> f32 {
        let code = self.encoder.forward(enc_in);
        self.decoder.forward(&code.view());
        self.output_nll(x, grads)
    }

    /// After `reconstruction_nll` with grads: backward through the decoder,
    /// leaving ∂loss/∂code in the encoder's output-gradient buffer, so a
    /// model can add its own terms before the encoder's backward.
    pub fn backward_to_code(&mut self) {
        self.decoder.backward(&self.encoder.output().view(), true);
        let (_, dcode) = self.encoder.output_and_grad();
        dcode.assign(self.decoder.input_grad());
    }

    /// After `reconstruction_nll` with grads: backward through decoder and
    /// encoder, `enc_in` being the encoder's input of that forward.
    pub fn backward(&mut self, enc_in: &ArrayView2<f32>) {
        self.backward_to_code();
        self.encoder.backward(enc_in, false);
    }
}

/// The decoder's likelihood, with its optional learned per-pixel log-variance.
pub(crate) struct OutputLikelihood {
    pub decoder: Decoder,
    pub logvar: Array1<f32>,  // (input), used by GaussianLearnedVar only
    pub dlogvar: Array1<f32>, // (input)
}

impl OutputLikelihood {
    pub fn new(decoder: Decoder, input: usize) -> Self {
        let n = if decoder == Decoder::GaussianLearnedVar { input } else { 0 };
        OutputLikelihood { decoder, logvar: Array1::zeros(n), dlogvar: Array1::zeros(n) }
    }

    /// −log p(x | logits), batch mean; overwrites `grad` with ∂/∂logits.
    pub fn nll(&mut self, logits: &ArrayView2<f32>, x: &ArrayView2<f32>, grad: &mut Array2<f32>) -> f32 {
        match self.decoder {
            Decoder::Bernoulli => loss::bernoulli_nll(logits, x, grad),
            Decoder::Gaussian => loss::gaussian_nll(logits, x, None, grad, None),
            Decoder::GaussianLearnedVar => loss::gaussian_nll(logits, x, Some(self.logvar.view()), grad, Some(self.dlogvar.view_mut())),
        }
    }

    /// `nll`'s value alone, to the bit, for test figures. The Bernoulli NLL
    /// then skips its gradient; the Gaussian ones still write it into `grad`.
    pub fn nll_value(&mut self, logits: &ArrayView2<f32>, x: &ArrayView2<f32>, grad: &mut Array2<f32>) -> f32 {
        match self.decoder {
            Decoder::Bernoulli => loss::bernoulli_nll_value(logits, x),
            _ => self.nll(logits, x, grad),
        }
    }

    pub fn zero_grad(&mut self) {
        self.dlogvar.fill(0.0);
    }

    pub fn visit(&mut self, f: &mut TensorVisitor) {
        if self.decoder == Decoder::GaussianLearnedVar {
            let n = self.logvar.len();
            f("decoder.logvar", &[n], self.logvar.as_slice_mut().expect("contiguous"), self.dlogvar.as_slice_mut().expect("contiguous"));
        }
    }
}
