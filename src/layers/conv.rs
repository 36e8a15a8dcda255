//! A 2-D convolution over square images stored one per row, channels
//! fastest (row `b` of `x: (B, side·side·channels)` holds image b with pixel
//! (y, x)'s channel c at `(y·side + x)·channels + c`). Kernel 5×5, stride 2,
//! padding 2: each layer halves the side (28 → 14 → 7 → 4), as the
//! discriminators of DCGAN and of VAE-GAN (Larsen et al. 2016) do.
//!
//! It runs as one GEMM: the patches are unrolled into `col: (B·out², 5·5·in)`
//! (im2col), so `y = col·w + b` is `(B·out², out_channels)`, which in memory
//! is `(B, out²·out_channels)`, the next layer's input rows. Backward runs
//! the two GEMMs back and folds the patches' gradient into the image's
//! (col2im). As for `Dense`, the layer keeps no input: `backward` is given it
//! and unrolls it again (cheap next to the GEMMs), into its own buffer.

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2};

use crate::rng::Rng;
use crate::tensor::{add_column_sums, ensure_shape, gemm};

pub const KERNEL: usize = 5;
pub const STRIDE: usize = 2;
pub const PAD: usize = 2;

/// The side of a layer's output for an input of side `side`.
pub fn out_side(side: usize) -> usize {
    (side + 2 * PAD - KERNEL) / STRIDE + 1
}

pub struct Conv2d {
    pub w: Array2<f32>,  // (5·5·in, out): row (ky·5 + kx)·in + c
    pub b: Array1<f32>,  // (out)
    pub dw: Array2<f32>, // accumulated by backward
    pub db: Array1<f32>,
    pub side: usize, // the input's side
    pub channels: usize,
    col: Array2<f32>,  // (B·out², 5·5·in): the unrolled patches
    dcol: Array2<f32>, // their gradient
}

impl Conv2d {
    /// He-initialised (N(0, 2/fan-in)), biases zero.
    pub fn new(side: usize, channels: usize, out_channels: usize, rng: &mut Rng) -> Conv2d {
        let fan_in = KERNEL * KERNEL * channels;
        let s = (2.0 / fan_in as f32).sqrt();
        let mut w = Array2::zeros((fan_in, out_channels));
        w.iter_mut().for_each(|v| *v = rng.normal() * s);
        let zero = || Array2::zeros((0, 0));
        Conv2d { w, b: Array1::zeros(out_channels), dw: Array2::zeros((fan_in, out_channels)), db: Array1::zeros(out_channels), side, channels, col: zero(), dcol: zero() }
    }

    pub fn out_side(&self) -> usize {
        out_side(self.side)
    }
    pub fn input_size(&self) -> usize {
        self.side * self.side * self.channels
    }
    pub fn output_size(&self) -> usize {
        self.out_side() * self.out_side() * self.w.ncols()
    }

    /// `y: (B, out²·out_channels) = conv(x)`.
    pub fn forward(&mut self, x: &ArrayView2<f32>, y: &mut ArrayViewMut2<f32>) {
        self.unroll(x);
        let rows = self.col.nrows();
        let mut y = y.view_mut().into_shape_with_order((rows, self.w.ncols())).expect("a contiguous output");
        y.rows_mut().into_iter().for_each(|mut r| r.assign(&self.b));
        gemm(1.0, &self.col.view(), &self.w.view(), 1.0, &mut y);
    }

    /// Given `x` (the forward's input) and `dy = ∂L/∂y`, accumulates ∂L/∂w
    /// and ∂L/∂b; with `dx`, writes ∂L/∂x into it.
    pub fn backward(&mut self, x: &ArrayView2<f32>, dy: &ArrayView2<f32>, dx: Option<&mut ArrayViewMut2<f32>>) {
        self.unroll(x);
        let rows = self.col.nrows();
        let dy = dy.view().into_shape_with_order((rows, self.w.ncols())).expect("a contiguous gradient");
        gemm(1.0, &self.col.t(), &dy, 1.0, &mut self.dw.view_mut());
        add_column_sums(&dy, self.db.as_slice_mut().expect("contiguous bias"));
        if let Some(dx) = dx {
            ensure_shape(&mut self.dcol, rows, self.w.nrows());
            gemm(1.0, &dy, &self.w.t(), 0.0, &mut self.dcol.view_mut());
            self.fold(dx);
        }
    }

    pub fn zero_grad(&mut self) {
        self.dw.fill(0.0);
        self.db.fill(0.0);
    }

    /// im2col: every output pixel's 5×5 patch of every channel, one row each; zeros outside the image.
    fn unroll(&mut self, x: &ArrayView2<f32>) {
        let (side, c, o) = (self.side, self.channels, self.out_side());
        let b = x.nrows();
        ensure_shape(&mut self.col, b * o * o, KERNEL * KERNEL * c);
        let x = x.as_standard_layout();
        let xs = x.as_slice().expect("standard layout");
        let col = self.col.as_slice_mut().expect("contiguous");
        let width = KERNEL * KERNEL * c;
        for (r, row) in col.chunks_exact_mut(width).enumerate() {
            let (img, oy, ox) = (r / (o * o), (r / o) % o, r % o);
            let image = &xs[img * side * side * c..(img + 1) * side * side * c];
            for ky in 0..KERNEL {
                let dst = &mut row[ky * KERNEL * c..(ky + 1) * KERNEL * c];
                let iy = (oy * STRIDE + ky) as isize - PAD as isize;
                if iy < 0 || iy >= side as isize {
                    dst.fill(0.0);
                    continue;
                }
                // The patch's row is the image row's pixels ix0..ix0+5, channels fastest in
                // both: one copy of the part inside the image, zeros either side (a copy per
                // pixel was most of the layer's time with one channel).
                let ix0 = (ox * STRIDE) as isize - PAD as isize;
                let lo = (-ix0).clamp(0, KERNEL as isize) as usize;
                let hi = (side as isize - ix0).clamp(lo as isize, KERNEL as isize) as usize;
                dst[..lo * c].fill(0.0);
                dst[hi * c..].fill(0.0);
                let from = (iy as usize * side) as isize + ix0; // pixel index of the patch row's start (may lie left of the image)
                let (a, z) = ((from + lo as isize) as usize * c, (from + hi as isize) as usize * c);
                dst[lo * c..hi * c].copy_from_slice(&image[a..z]);
            }
        }
    }

    /// col2im: each patch row's gradient added back onto the pixels it was taken from.
    fn fold(&self, dx: &mut ArrayViewMut2<f32>) {
        let (side, c, o) = (self.side, self.channels, self.out_side());
        dx.fill(0.0);
        let dxs = dx.as_slice_mut().expect("a contiguous input gradient");
        let width = KERNEL * KERNEL * c;
        for (r, row) in self.dcol.as_slice().expect("contiguous").chunks_exact(width).enumerate() {
            let (img, oy, ox) = (r / (o * o), (r / o) % o, r % o);
            let image = &mut dxs[img * side * side * c..(img + 1) * side * side * c];
            for ky in 0..KERNEL {
                let iy = (oy * STRIDE + ky) as isize - PAD as isize;
                if iy < 0 || iy >= side as isize {
                    continue;
                }
                for kx in 0..KERNEL {
                    let ix = (ox * STRIDE + kx) as isize - PAD as isize;
                    if ix < 0 || ix >= side as isize {
                        continue;
                    }
                    let at = (iy as usize * side + ix as usize) * c;
                    let src = &row[(ky * KERNEL + kx) * c..(ky * KERNEL + kx + 1) * c];
                    image[at..at + c].iter_mut().zip(src).for_each(|(d, s)| *d += s);
                }
            }
        }
    }
}
