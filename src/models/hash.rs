//! The semantic-hashing autoencoder's code (Salakhutdinov & Hinton 2009):
//! logistic units with Gaussian noise added to their input in training,
//! c = σ(a + σ_n·ε). The decoder can use only what survives the noise, so
//! the encoder learns to push each unit's input far from 0, where the noise
//! cannot flip it: the code saturates towards 0 or 1, and cutting it at ½
//! loses little. Retrieval then ranks by Hamming distance between such bits.

use ndarray::{Array2, ArrayView2, Zip};

use super::EncoderDecoder;
use crate::layers::activation::sigmoid;
use crate::rng::Rng;
use crate::tensor::ensure_shape;

/// The code the decoder read in the last forward pass, kept for the backward.
#[derive(Default)]
pub(crate) struct SigmoidCode {
    code: Array2<f32>, // (B, latent): σ(a + σ_n·ε)
}

impl SigmoidCode {
    /// enc_in → a → c = σ(a + σ_n·ε) → logits, and −log p(x | logits). With
    /// `noise` (σ_n and the generator) ε is drawn, one per unit and image;
    /// without, c = σ(a), the code a model is judged and used by.
    pub fn reconstruction_nll(
        &mut self,
        net: &mut EncoderDecoder,
        enc_in: &ArrayView2<f32>,
        x: &ArrayView2<f32>,
        noise: Option<(f32, &mut Rng)>,
        grads: bool,
    ) -> f32 {
        let a = net.encoder.forward(enc_in);
        ensure_shape(&mut self.code, a.nrows(), a.ncols());
        match noise {
            Some((sigma, rng)) => Zip::from(&mut self.code).and(a).for_each(|c, &a| *c = sigmoid(a + sigma * rng.normal())),
            None => Zip::from(&mut self.code).and(a).for_each(|c, &a| *c = sigmoid(a)),
        }
        net.decoder.forward(&self.code.view());
        net.output_nll(x, grads)
    }

    /// After `reconstruction_nll` with grads: backward through the decoder,
    /// the code's sigmoid (∂c/∂a = c(1 − c), at the noisy input the forward
    /// used) and the encoder, whose input was `enc_in`.
    pub fn backward(&self, net: &mut EncoderDecoder, enc_in: &ArrayView2<f32>) {
        net.decoder.backward(&self.code.view(), true);
        let (_, da) = net.encoder.output_and_grad();
        Zip::from(da).and(net.decoder.input_grad()).and(&self.code).for_each(|d, &g, &c| *d = g * c * (1.0 - c));
        net.encoder.backward(enc_in, false);
    }
}

/// The code of each image, σ(a), from the encoder's outputs a.
pub(crate) fn codes(a: Array2<f32>) -> Array2<f32> {
    a.mapv_into(sigmoid)
}
