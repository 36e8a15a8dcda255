//! The IDX reader on the real files and on every kind of broken one.

use crate::common;

use std::io::Write;

use ae_playground::data::mnist::default_data_root;
use ae_playground::data::{parse_idx, parse_idx_owned};
use ae_playground::{Dataset, DatasetName, Error, Split};

fn header(ty: u8, dims: &[u32]) -> Vec<u8> {
    let mut v = vec![0, 0, ty, dims.len() as u8];
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The reader's error for `bytes`, the same whether it may keep them or not.
fn idx_error(bytes: &[u8]) -> String {
    let owned = parse_idx_owned("test", bytes.to_vec()).map_err(|e| e.to_string());
    match parse_idx("test", bytes) {
        Err(e @ Error::Idx { .. }) => {
            assert_eq!(owned, Err(e.to_string()), "the owning reader says the same");
            e.to_string()
        }
        other => panic!("expected an IDX error, got {other:?}"),
    }
}

#[test]
fn real_mnist_has_the_published_shapes_and_pixel_range() {
    let train = common::mnist(Split::Train);
    let test = common::mnist(Split::Test);
    assert_eq!((train.len(), test.len(), train.rows, train.cols), (60_000, 10_000, 28, 28));
    let first = train.images(0, 100);
    assert!(first.iter().all(|&p| (0.0..=1.0).contains(&p)) && first.iter().any(|&p| p == 1.0));
    // The first training image is a 5 and the first test image a 7 (LeCun's files).
    assert_eq!((train.labels[0], test.labels[0]), (5, 7));
    let mut counts = [0usize; 10];
    test.labels.iter().for_each(|&l| counts[l as usize] += 1);
    assert_eq!(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
}

/// Each pixel's mean, summed one image at a time in u64 as the core once did.
fn mean_by_rows(d: &Dataset) -> Vec<f32> {
    let mut sum = vec![0u64; d.dim()];
    for row in d.pixels.rows() {
        sum.iter_mut().zip(row).for_each(|(s, &p)| *s += p as u64);
    }
    sum.into_iter().map(|s| s as f32 / (255.0 * d.len() as f32)).collect()
}

#[test]
fn the_mean_image_is_each_pixels_exact_mean_whatever_the_layout() {
    let train = common::mnist(Split::Train);
    assert_eq!(train.mean_image(), mean_by_rows(train));
    // Pixels laid out column by column (rows not contiguous) give the same mean.
    let mut columns = ndarray::Array2::<u8>::zeros((train.dim(), 500)).reversed_axes();
    columns.assign(&train.pixels.slice(ndarray::s![..500, ..]));
    let strided = Dataset { pixels: columns, labels: train.labels[..500].to_vec(), rows: 28, cols: 28 };
    assert!(strided.pixels.row(0).as_slice().is_none(), "the rows are strided");
    assert_eq!(strided.mean_image(), mean_by_rows(&strided));
    assert_eq!(strided.mean_image(), train.take(500).mean_image());
}

#[test]
fn gzip_and_plain_files_give_the_same_data() {
    let root = default_data_root().join("mnist");
    let plain = std::fs::read(root.join("t10k-labels-idx1-ubyte")).unwrap();
    let read = parse_idx("plain", &plain).unwrap();
    assert_eq!(read, parse_idx("gz", &gzip(&plain)).unwrap());
    // The reader that keeps the file's bytes (the page's) reads the same from either.
    assert_eq!(read, parse_idx_owned("plain", plain.clone()).unwrap());
    assert_eq!(read, parse_idx_owned("gz", gzip(&plain)).unwrap());
}

#[test]
fn fashion_mnist_gzip_files_load() {
    let test = Dataset::load(&default_data_root(), DatasetName::FashionMnist, Split::Test).expect("Fashion-MNIST from the set-up");
    assert_eq!((test.len(), test.dim()), (10_000, 784));
    assert_eq!(test.labels[0], 9); // an ankle boot
}

#[test]
fn wrong_magic_is_refused() {
    let mut b = header(8, &[2]);
    b[0] = 0x50; // e.g. a PNG or text file
    b.extend_from_slice(&[1, 2]);
    assert!(idx_error(&b).contains("magic"));
}

#[test]
fn non_byte_element_type_is_refused() {
    let mut b = header(0x0D, &[1]); // float
    b.extend_from_slice(&[0; 4]);
    assert!(idx_error(&b).contains("element type"));
}

#[test]
fn short_data_is_refused() {
    let mut b = header(8, &[10, 28, 28]);
    b.extend_from_slice(&[0; 100]);
    let e = idx_error(&b);
    assert!(e.contains("need 7840 bytes") && e.contains("has 100"), "{e}");
}

#[test]
fn truncated_header_is_refused() {
    assert!(idx_error(&[0, 0, 8]).contains("too short"));
    assert!(idx_error(&header(8, &[10, 28, 28])[..9]).contains("ends after 9 bytes"));
}

#[test]
fn absurd_dimensions_are_refused_without_allocating() {
    let e = idx_error(&header(8, &[u32::MAX, u32::MAX, 28]));
    assert!(e.contains("absurdly large"), "{e}");
    assert!(idx_error(&header(8, &[1, 1, 1, 1, 1])).contains("dimensions"));
}

#[test]
fn corrupt_gzip_is_refused() {
    let mut g = gzip(&header(8, &[3]));
    let n = g.len();
    g[n / 2] ^= 0xff;
    g.truncate(n - 4);
    assert!(idx_error(&g).contains("gzip"), "{}", idx_error(&g));
}

#[test]
fn mismatched_images_and_labels_are_refused() {
    let mut im = header(8, &[2, 2, 2]);
    im.extend_from_slice(&[0; 8]);
    let mut lb = header(8, &[3]);
    lb.extend_from_slice(&[1, 2, 3]);
    let e = Dataset::from_idx(im.clone(), lb.clone()).unwrap_err().to_string();
    assert!(e.contains("2 images but 3 labels"), "{e}");
    let mut bad_label = header(8, &[2]);
    bad_label.extend_from_slice(&[1, 42]);
    assert!(Dataset::from_idx(im.clone(), bad_label).unwrap_err().to_string().contains("label 42"));
    assert!(Dataset::from_idx(lb.clone(), lb.clone()).unwrap_err().to_string().contains("3 dimensions"));
}

#[test]
fn a_missing_file_names_its_path() {
    let e = Dataset::load_dir(std::path::Path::new("/nonexistent-dir"), Split::Test).unwrap_err().to_string();
    assert!(e.contains("/nonexistent-dir/t10k-images-idx3-ubyte"), "{e}");
}
