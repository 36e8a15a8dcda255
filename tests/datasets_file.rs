//! `scripts/datasets.sha256` is the list of dataset files that setup.sh copies
//! and checks and build-site.sh ships. This test keeps it in step with the
//! core's datasets (`DatasetName`, whose folders the settings table gives the
//! worker): every dataset's folder holds the four MNIST-format files, and
//! every folder listed is some dataset's.

use std::collections::BTreeSet;

use ae_playground::settings::{choices, parse};
use ae_playground::DatasetName;

const FILES: [&str; 4] = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

#[test]
fn the_checksum_list_holds_every_datasets_four_files_and_nothing_else() {
    let list = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/datasets.sha256")).unwrap();
    let listed: BTreeSet<(String, String)> = list
        .lines()
        .map(|l| {
            let (hash, file) = l.split_once("  ").unwrap_or_else(|| panic!("'{l}' is not 'SHA256  folder/file'"));
            assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "'{l}': not a SHA-256");
            let (dir, name) = file.split_once('/').unwrap_or_else(|| panic!("'{file}' is not folder/file"));
            (dir.to_string(), name.trim_end_matches(".gz").to_string())
        })
        .collect();
    let dirs: BTreeSet<&str> = choices::<DatasetName>().iter().map(|n| parse::<DatasetName>(n).unwrap().dir_name()).collect();
    let wanted: BTreeSet<(String, String)> = dirs.iter().flat_map(|d| FILES.iter().map(move |f| (d.to_string(), f.to_string()))).collect();
    assert_eq!(listed, wanted, "scripts/datasets.sha256 against the core's datasets' folders {dirs:?}");
}
