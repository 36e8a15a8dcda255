//! How sharp images are, read from their pixels alone: a blurred digit is
//! mostly grey, a real one mostly black and white. MNIST's 10,000 test
//! images: grey 0.0724, ink 0.134 (docs/quality.md). The VAE-GAN's claim is
//! judged by these, which no model's loss contains.

use ndarray::ArrayView2;

/// The share of pixels strictly between 0.15 and 0.85.
pub fn grey_share(images: &ArrayView2<f32>) -> f64 {
    share(images, |v| v > 0.15 && v < 0.85)
}

/// The share of pixels above 0.5.
pub fn ink_share(images: &ArrayView2<f32>) -> f64 {
    share(images, |v| v > 0.5)
}

fn share(images: &ArrayView2<f32>, f: impl Fn(f32) -> bool) -> f64 {
    images.iter().filter(|&&v| f(v)).count() as f64 / images.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn grey_counts_the_open_middle_band_and_ink_what_is_above_one_half() {
        let x = array![[0.0f32, 0.15, 0.16, 0.5], [0.51, 0.84, 0.85, 1.0]];
        assert_eq!(grey_share(&x.view()), 4.0 / 8.0);
        assert_eq!(ink_share(&x.view()), 4.0 / 8.0);
        assert_eq!(grey_share(&ndarray::Array2::<f32>::zeros((0, 4)).view()), 0.0);
    }
}
