//! Small, well-formed files that declare something huge are refused before
//! the huge thing is allocated: a model file's configuration is checked
//! against its tensor table and the parameter cap before the model is built,
//! and a gzip IDX file's declared size before it is inflated. A counting
//! allocator measures the bytes each attempt allocates.

use crate::common;

use std::io::Write;

use ae_playground::config::ModelConfig;
use ae_playground::data::idx::parse_idx;
use ae_playground::io;
use ae_playground::model_size::{param_count, MAX_PARAMS};
use common::counting_alloc::bytes_allocated;

/// Runs `f` and returns its result with the bytes it allocated (reallocations count their new size).
fn allocated<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = bytes_allocated();
    let out = f();
    (out, bytes_allocated() - before)
}

/// A safetensors file holding only a header: the configuration and no tensors.
fn header_only(config: &str) -> Vec<u8> {
    let head = serde_json::json!({ "__metadata__": { "format": "ae-playground", "config": config } }).to_string();
    let mut out = (head.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(head.as_bytes());
    out
}

#[test]
fn a_tiny_file_declaring_eight_layers_of_4096_is_refused_without_building_the_model() {
    let config = format!(r#"{{"kind":"vae","input":784,"hidden":{:?},"latent":1024}}"#, [4096; 8]);
    let bytes = header_only(&config);
    assert!(bytes.len() < 200, "the file is {} bytes", bytes.len());
    let (result, bytes_allocated) = allocated(|| io::load(&bytes));
    let message = result.err().expect("the file is refused").to_string();
    // The model would be ~500 M parameters (2 GB of weights): a few kilobytes parse the header.
    assert!(bytes_allocated < 1 << 20, "refusing a {}-byte file allocated {bytes_allocated} bytes: {message}", bytes.len());
    assert!(message.contains("parameters"), "the refusal names the parameter cap: {message}");
}

#[test]
fn a_file_whose_config_fits_the_cap_but_holds_no_weights_is_refused_before_building() {
    // The default VAE (~0.6 M parameters, 2.5 MB of weights) with no tensors at all.
    let bytes = header_only(r#"{"kind":"vae"}"#);
    let (result, bytes_allocated) = allocated(|| io::load(&bytes));
    let message = result.err().expect("the file is refused").to_string();
    assert!(bytes_allocated < 256 << 10, "refusing a weightless file allocated {bytes_allocated} bytes: {message}");
    assert!(message.contains("damaged or incomplete"), "{message}");
}

#[test]
fn the_parameter_cap_is_a_stated_limit_config_validation_enforces() {
    // Each width is within its own limit; together they are over the cap.
    let big = ModelConfig { hidden: vec![4096; 8], latent: 1024, ..ModelConfig::default() };
    assert!(param_count(&big) > MAX_PARAMS);
    let message = big.validate().expect_err("over the cap").to_string();
    assert!(message.contains(&format!("{}", MAX_PARAMS / 1_000_000)), "the message states the cap: {message}");
    // The page's largest model (2048×4, latent 64, issue 6) is within it.
    let page_max = ModelConfig { hidden: vec![2048; 4], latent: 64, ..ModelConfig::default() };
    assert!(page_max.validate().is_ok(), "{:?}", page_max.validate());
}
/// A gzip stream of an IDX header declaring `dims` followed by `zeros` zero bytes.
fn gz_idx(dims: &[u32], zeros: usize) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&[0, 0, 8, dims.len() as u8]).unwrap();
    for d in dims {
        enc.write_all(&d.to_be_bytes()).unwrap();
    }
    let chunk = vec![0u8; 1 << 16];
    for _ in 0..zeros / chunk.len() {
        enc.write_all(&chunk).unwrap();
    }
    enc.finish().unwrap()
}

#[test]
fn a_small_gzip_declaring_32768_squared_images_is_refused_without_inflating() {
    // 64 MiB of zeros compress to ~64 KB; the header declares 1 Gi images of 1 byte… of 32768×32768.
    let gz = gz_idx(&[1, 32768, 32768], 64 << 20);
    assert!(gz.len() < 1 << 20, "the file is {} bytes", gz.len());
    let (result, bytes_allocated) = allocated(|| parse_idx("images", &gz));
    let message = result.expect_err("the file is refused").to_string();
    assert!(bytes_allocated < 1 << 20, "refusing a {}-byte gzip allocated {bytes_allocated} bytes: {message}", gz.len());
    assert!(message.contains("absurdly large"), "{message}");
}

#[test]
fn a_gzip_holding_more_than_its_header_declares_stops_inflating_at_the_declared_size() {
    // Declares ten 28×28 images (7,840 bytes) but inflates to 64 MiB.
    let gz = gz_idx(&[10, 28, 28], 64 << 20);
    let (result, bytes_allocated) = allocated(|| parse_idx("images", &gz));
    let message = result.expect_err("the file is refused").to_string();
    assert!(bytes_allocated < 1 << 20, "refusing it allocated {bytes_allocated} bytes: {message}");
    assert!(message.contains("more data than that"), "{message}");
}

#[test]
fn a_well_formed_gzip_idx_still_reads() {
    let gz = gz_idx(&[1, 28, 28], 0);
    // The helper writes whole 64 KiB chunks only; write the image's bytes directly.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&[0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]).unwrap();
    enc.write_all(&[7u8; 784]).unwrap();
    let good = enc.finish().unwrap();
    assert!(parse_idx("images", &gz).is_err(), "a header without its data is refused");
    let a = parse_idx("images", &good).expect("a valid file reads");
    assert_eq!(a.dims, vec![1, 28, 28]);
    assert_eq!(a.data, vec![7u8; 784]);
}
