//! The discriminator's convolution (src/layers/conv.rs) against the
//! definition, summed directly: its gradients are checked by finite
//! differences in tests/gradients.rs (VAE-GAN with `disc_conv`), which shows
//! they are the derivative of what it computes, and this that what it
//! computes is a convolution.

use ae_playground::layers::conv::{Conv2d, KERNEL, PAD, STRIDE};
use ae_playground::rng::Rng;
use ndarray::Array2;

#[test]
fn a_convolution_is_the_sum_over_each_zero_padded_5x5_patch_at_stride_2() {
    // Two channels, and one (a first layer's, whose patch rows are single pixels); odd and even sides.
    for (side, cin, cout, batch, out) in [(7, 2, 3, 2, 4), (10, 1, 2, 2, 5)] {
        check_against_the_sum(side, cin, cout, batch, out);
    }
}

fn check_against_the_sum(side: usize, cin: usize, cout: usize, batch: usize, out: usize) {
    let mut rng = Rng::new(3);
    let mut conv = Conv2d::new(side, cin, cout, &mut rng);
    conv.b.iter_mut().for_each(|b| *b = rng.normal());
    let x = Array2::from_shape_fn((batch, side * side * cin), |_| rng.normal());
    let o = conv.out_side();
    assert_eq!(o, out);
    let mut y = Array2::zeros((batch, o * o * cout));
    conv.forward(&x.view(), &mut y.view_mut());
    for b in 0..batch {
        for oy in 0..o {
            for ox in 0..o {
                for k in 0..cout {
                    let mut sum = conv.b[k] as f64;
                    for ky in 0..KERNEL {
                        for kx in 0..KERNEL {
                            let (iy, ix) = ((oy * STRIDE + ky) as isize - PAD as isize, (ox * STRIDE + kx) as isize - PAD as isize);
                            if iy < 0 || ix < 0 || iy >= side as isize || ix >= side as isize {
                                continue;
                            }
                            for c in 0..cin {
                                let pixel = x[[b, (iy as usize * side + ix as usize) * cin + c]] as f64;
                                sum += pixel * conv.w[[(ky * KERNEL + kx) * cin + c, k]] as f64;
                            }
                        }
                    }
                    let got = y[[b, (oy * o + ox) * cout + k]] as f64;
                    assert!((got - sum).abs() < 1e-4, "image {b}, ({oy}, {ox}), channel {k}: {got} against {sum}");
                }
            }
        }
    }
}

#[test]
fn convolutions_are_refused_in_words_where_there_is_no_image_to_read() {
    use ae_playground::config::{ModelConfig, ModelKind};
    let vaegan = ModelConfig { kind: ModelKind::Vaegan, hidden: vec![8], latent: 2, disc_conv: vec![4, 8], disc_hidden: vec![], ..ModelConfig::default() };
    vaegan.validate().unwrap();
    let aae = ModelConfig { kind: ModelKind::Aae, ..vaegan.clone() };
    assert!(aae.validate().unwrap_err().to_string().contains("only VAE-GAN's discriminator has them, not the aae's"));
    let oblong = ModelConfig { input: 28 * 30, ..vaegan.clone() };
    assert!(oblong.validate().unwrap_err().to_string().contains("840 pixels are not a square"));
    let none = ModelConfig { disc_conv: vec![], ..vaegan };
    assert!(none.validate().unwrap_err().to_string().contains("give the discriminator at least one"));
}

/// A model file carries the convolutions: loaded and saved again, the same bytes.
#[test]
fn a_vaegan_with_convolutions_round_trips_through_its_file() {
    use ae_playground::config::{ModelConfig, ModelKind};
    use ae_playground::{build, io};
    use std::collections::BTreeMap;
    let cfg = ModelConfig { kind: ModelKind::Vaegan, hidden: vec![16], latent: 2, disc_conv: vec![4, 8], disc_hidden: vec![], ..ModelConfig::default() };
    let mut m = build(&cfg, &mut Rng::new(3)).unwrap();
    let bytes = io::save(m.as_mut(), &BTreeMap::new());
    let mut names = Vec::new();
    m.visit(&mut |name, shape, _, _| names.push(format!("{name} {shape:?}")));
    assert!(names.contains(&"discriminator.features.conv.1.weight [100, 8]".to_string()), "{names:?}");
    let mut loaded = io::load(&bytes).unwrap();
    assert_eq!(loaded.model.config(), &cfg);
    assert_eq!(io::save(loaded.model.as_mut(), &BTreeMap::new()), bytes);
}
