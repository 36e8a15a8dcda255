//! What commands write: bounded numbers of images, square tiles, PNG grids.

use std::path::Path;

use ndarray::Array2;

use crate::CliResult;

/// The most numbers a command makes at once (256 MiB of f32). `--n` and the
/// classes are each bounded, but their product with the image size is what
/// takes memory: 256 classes × 10,000 samples × 784 pixels is 8 GB.
pub(crate) const MAX_OUTPUT_FLOATS: usize = 1 << 26;

/// Refuses to make `images` images of `pixels` each when they exceed `MAX_OUTPUT_FLOATS` numbers.
pub(crate) fn check_output_size(images: usize, pixels: usize, what: &str) -> CliResult {
    match images.checked_mul(pixels) {
        Some(n) if n <= MAX_OUTPUT_FLOATS => Ok(()),
        _ => Err(format!(
            "{what} would make {images} images of {pixels} pixels, more than {MAX_OUTPUT_FLOATS} numbers ({} MiB) at once: use a smaller --n",
            (MAX_OUTPUT_FLOATS * 4) >> 20
        )),
    }
}

/// The side of a square image of `pixels`, or why the images cannot be drawn as tiles.
pub(crate) fn square_side(pixels: usize) -> Result<usize, String> {
    let side = (pixels as f64).sqrt().round() as usize;
    if side * side == pixels {
        Ok(side)
    } else {
        Err(format!("this model's images are {pixels} pixels, not a square number, so they cannot be drawn as square tiles"))
    }
}

/// Writes `images (rows·cols, 784)` as one grayscale PNG of 28×28 tiles.
pub(crate) fn write_grid(path: &Path, images: &Array2<f32>, rows: usize, cols: usize) -> CliResult {
    let side = square_side(images.ncols())?;
    let (w, h) = (cols * side, rows * side);
    let mut pixels = vec![0u8; w * h];
    for (i, img) in images.rows().into_iter().enumerate().take(rows * cols) {
        let (r, c) = (i / cols, i % cols);
        for (p, &v) in img.iter().enumerate() {
            let (y, x) = (p / side, p % side);
            pixels[(r * side + y) * w + c * side + x] = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        }
    }
    let file = std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&pixels).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
