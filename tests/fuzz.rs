//! The parsers people feed survive mutated input: a seeded mutation fuzzer
//! (`tests/fuzzing/`) runs the IDX reader, the model-file loader and the
//! configurations (JSON and settings' text) on mutants of real files, and
//! counts panics and single allocations over 256 MiB: both must be zero. The
//! slowest case is printed; long runs (examples/fuzz.rs) also fail on a case
//! slower than a second, `cargo test` does not (it must not depend on the
//! machine's speed).
//!
//! In `cargo test` each target gets a fixed budget: `FUZZ_CASES` cases
//! (default 20,000) from seed `FUZZ_SEED` (default 1); `FUZZ_SECONDS` stops
//! earlier if set. `-- --nocapture` prints the figures. Long runs:
//! `cargo run --release --example fuzz -- --help`.

use crate::fuzzing;

use std::time::Duration;

use fuzzing::{Budget, Target};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A fixed number of cases, not a time budget: how much is fuzzed must not depend on the
/// machine's speed, and neither may the verdict (slowness is reported, not failed on).
/// FUZZ_SECONDS stops a long run early; examples/fuzz.rs also fails on slow cases.
fn budget() -> Budget {
    let seconds = env("FUZZ_SECONDS", 0.0);
    let time = (seconds > 0.0).then(|| Duration::from_secs_f64(seconds));
    Budget { time, slow: None, ..Budget::new(env("FUZZ_SEED", 1), env("FUZZ_CASES", 20_000)) }
}

fn fuzz(name: &str) {
    let target = fuzzing::target(name).expect("a target");
    let report = fuzzing::run(&target, &budget());
    println!("{report}");
    assert!(!report.failed(), "{report}");
    assert!(report.cases as usize > target.corpus.len(), "the budget ran out before any mutant: {report}");
}

#[test]
fn the_idx_reader_survives_mutated_files() {
    fuzz("idx");
}

#[test]
fn the_model_loader_survives_mutated_files() {
    fuzz("model");
}

#[test]
fn configurations_and_settings_text_survive_mutation() {
    fuzz("config");
}

/// The seeds are what they claim: real files the parsers accept (all but the
/// IDX files cut short on purpose), so mutants start from accepted input.
#[test]
fn the_corpus_files_are_accepted_unmutated() {
    for name in fuzzing::TARGETS {
        let target = fuzzing::target(name).expect("a target");
        let refused: Vec<usize> = (0..target.corpus.len()).filter(|&i| !fuzzing::run_case(&target, &target.corpus[i]).accepted).collect();
        // idx: the real files' first 400 and 300 bytes, and the gzip stream cut at 600 and 300.
        let expected: Vec<usize> = if name == "idx" { vec![6, 7, 14, 15] } else { vec![] };
        assert_eq!(refused, expected, "{name}: corpus files refused");
    }
}

/// The counters can fail: a target that panics, allocates past the cap and
/// dawdles is caught on each count, and its cases are written for replay.
#[test]
fn the_harness_counts_a_panic_a_large_allocation_and_a_slow_case() {
    fn run(bytes: &[u8]) -> bool {
        match bytes.first() {
            Some(0) => panic!("deliberate"),
            Some(1) => !std::hint::black_box(vec![1u8; 2 << 20]).is_empty(),
            Some(2) => {
                std::thread::sleep(Duration::from_millis(30));
                true
            }
            _ => false,
        }
    }
    let dir = fuzzing::failure_dir().join("self-test");
    let target =
        Target { name: "self-test", corpus: vec![vec![0], vec![1], vec![2], vec![3]], mutate: |_, _, _| vec![3], run, dict: fuzzing::mutate::Dict::new([]) };
    let budget = Budget { cap: 1 << 20, slow: Some(Duration::from_millis(20)), save_dir: Some(dir.clone()), ..Budget::new(1, 6) };
    let r = fuzzing::run(&target, &budget);
    // The 30 ms case is always slower than 20 ms; on a slow enough machine another could be too.
    assert_eq!((r.cases, r.panics, r.over_cap, r.accepted), (6, 1, 1, 2), "{r}");
    assert!(r.slow >= 1 && r.failures.iter().any(|f| f.kind == "slow" && f.case == 2), "{r}");
    assert!(r.failures[0].detail.contains("deliberate"), "{r}");
    assert_eq!(std::fs::read(r.failures[0].saved.as_ref().expect("saved")).expect("written"), [0]);
    assert!(r.largest_alloc >= 2 << 20 && r.largest_case == 1, "{r}");
    let _ = std::fs::remove_dir_all(dir);
}
