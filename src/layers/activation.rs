use serde::{Deserialize, Serialize};

/// Elementwise nonlinearities. Each backward is written in terms of the
/// layer's *output* `a = f(z)`, so the network stores one buffer per layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Identity,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
}

/// Slope of leaky ReLU for negative inputs (Maas et al. 2013 use 0.01).
pub const LEAKY_SLOPE: f32 = 0.01;

pub use crate::logistic::{sigmoid, EXP_FLOOR};

impl Activation {
    /// In place: `z` becomes `f(z)`.
    pub fn forward(self, z: &mut [f32]) {
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => z.iter_mut().for_each(|v| *v = sigmoid(*v)),
            Activation::Tanh => z.iter_mut().for_each(|v| *v = v.tanh()),
            Activation::Relu => z.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::LeakyRelu => z.iter_mut().for_each(|v| {
                if *v < 0.0 {
                    *v *= LEAKY_SLOPE
                }
            }),
        }
    }

    /// In place: `d` (∂L/∂a on entry) becomes ∂L/∂z, given the output `a`.
    pub fn backward(self, a: &[f32], d: &mut [f32]) {
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => d.iter_mut().zip(a).for_each(|(d, &a)| *d *= a * (1.0 - a)),
            Activation::Tanh => d.iter_mut().zip(a).for_each(|(d, &a)| *d *= 1.0 - a * a),
            Activation::Relu => d.iter_mut().zip(a).for_each(|(d, &a)| {
                if a <= 0.0 {
                    *d = 0.0
                }
            }),
            Activation::LeakyRelu => d.iter_mut().zip(a).for_each(|(d, &a)| {
                if a < 0.0 {
                    *d *= LEAKY_SLOPE
                }
            }),
        }
    }

    /// f′ at the point whose output is `a` (the same convention as
    /// `backward`): the slope a tangent is scaled by (`models/cae.rs`).
    #[inline]
    pub fn slope(self, a: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if a <= 0.0 {
                    0.0
                } else {
                    1.0
                }
            }
            Activation::LeakyRelu => {
                if a < 0.0 {
                    LEAKY_SLOPE
                } else {
                    1.0
                }
            }
        }
    }

    /// f″ at the point whose output is `a`: σ″ = σ(1−σ)(1−2σ), tanh″ =
    /// −2t(1−t²); the piecewise-linear ones are 0 away from their kink (the
    /// kink itself has measure zero, and a gradient check stays off it).
    #[inline]
    pub fn curvature(self, a: f32) -> f32 {
        match self {
            Activation::Sigmoid => a * (1.0 - a) * (1.0 - 2.0 * a),
            Activation::Tanh => -2.0 * a * (1.0 - a * a),
            Activation::Identity | Activation::Relu | Activation::LeakyRelu => 0.0,
        }
    }
}
