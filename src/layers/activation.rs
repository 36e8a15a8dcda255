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

#[inline]
pub fn sigmoid(z: f32) -> f32 {
    // Two branches so exp never overflows for large |z|.
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

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
}
