//! A seeded mutation fuzzer for the parsers that read what people supply:
//! the IDX reader (plain and gzip), the model-file loader, configurations
//! with their validation and the settings' text form. No nightly toolchain:
//! each case is a corpus file (`corpus.rs`, real files made at run time) put
//! through a few mutations (`mutate.rs`) by the crate's seeded generator, so
//! a seed and a case number give the same bytes every time, and run through
//! one target (`targets.rs`).
//!
//! Every case is watched for three things, all of which must stay at zero:
//! a panic (caught with `catch_unwind`, the panic hook kept quiet for cases),
//! a single allocation above `ALLOC_CAP` (a counting global allocator, which
//! the binary installs: `#[global_allocator] static A: CountingAlloc`), and,
//! in long runs only, a case slower than `SLOW` (`cargo test` reports the
//! slowest case and fails on nothing that depends on the machine's speed). A failing case's bytes are written to
//! `target/fuzz-failures/` so `examples/fuzz.rs --replay FILE` runs it again.
//!
//! Shared by `tests/fuzz.rs` (a fixed small budget in `cargo test`) and
//! `examples/fuzz.rs` (long runs).
#![allow(dead_code)]

pub mod corpus;
pub mod mutate;
pub mod targets;

// The crate's counting allocator: tests/suite.rs has it from `common`, and
// examples/fuzz.rs, which has no `common`, includes its file by path. One
// copy a binary, so the allocator installed and the tallies read here agree.
use crate::counting_alloc;

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Once;
use std::time::{Duration, Instant};

use ae_playground::Rng;
use counting_alloc::{largest, reset_largest};

/// The largest single allocation a case may make: 256 MiB. The loaders' own
/// caps lie below it (IDX data at most 128 MiB, `data::idx::MAX_ELEMENTS`;
/// model files at most 144 MiB, `io::MAX_FILE_BYTES`; models at most 2^25
/// parameters, 128 MiB of weights), and every case is a few kilobytes: an
/// allocation near the cap means a declared size was believed.
pub const ALLOC_CAP: usize = 256 << 20;
/// A case slower than this counts as a failure (a parser that is quadratic,
/// or inflates far more than it reads).
pub const SLOW: Duration = Duration::from_secs(1);

thread_local! {
    static IN_CASE: Cell<bool> = const { Cell::new(false) };
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics inside a case are recorded, not printed; any other panic (a test's
/// own assertion) goes to the default hook as usual.
fn install_quiet_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_CASE.with(Cell::get) {
                PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// One parser under test: its seed files, how a case is made from them, and
/// how a case is run (returning whether the input was accepted).
pub struct Target {
    pub name: &'static str,
    pub corpus: Vec<Vec<u8>>,
    pub mutate: fn(&mut Rng, &[Vec<u8>], &mutate::Dict) -> Vec<u8>,
    pub run: fn(&[u8]) -> bool,
    pub dict: mutate::Dict,
}

/// How long to fuzz, and what counts as a failure.
#[derive(Clone, Debug)]
pub struct Budget {
    pub seed: u64,
    /// Cases to run (the corpus files themselves come first).
    pub cases: u64,
    /// Stop early after this long, if set.
    pub time: Option<Duration>,
    /// A case slower than this is a failure (long runs); None: the slowest is only reported,
    /// so `cargo test` never depends on how fast the machine is.
    pub slow: Option<Duration>,
    pub cap: usize,
    /// Where failing cases are written (none: not written).
    pub save_dir: Option<PathBuf>,
}

impl Budget {
    pub fn new(seed: u64, cases: u64) -> Self {
        Budget { seed, cases, time: None, slow: Some(SLOW), cap: ALLOC_CAP, save_dir: Some(failure_dir()) }
    }
}

/// `target/fuzz-failures` of this crate (or of `CARGO_TARGET_DIR`).
pub fn failure_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("fuzz-failures")
}

#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: &'static str,
    pub case: u64,
    pub detail: String,
    pub saved: Option<PathBuf>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub target: &'static str,
    pub seed: u64,
    pub cases: u64,
    pub accepted: u64,
    pub panics: u64,
    pub over_cap: u64,
    pub slow: u64,
    /// The budget's limit for a slow case (None: not checked).
    pub slow_limit: Option<Duration>,
    pub largest_alloc: usize,
    pub largest_case: u64,
    pub slowest: Duration,
    pub slowest_case: u64,
    pub wall: Duration,
    /// The first few failures, with where their bytes went.
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.panics + self.over_cap + self.slow > 0
    }
}

fn mib(b: usize) -> String {
    if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KiB", b as f64 / 1024.0)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} cases (seed {}, {:.1}% accepted), {} panics, {} allocations over {} (largest {}, case {}), {} (slowest {:.2} ms, case {}), {:.1} s",
            self.target,
            self.cases,
            self.seed,
            100.0 * self.accepted as f64 / self.cases.max(1) as f64,
            self.panics,
            self.over_cap,
            mib(ALLOC_CAP),
            mib(self.largest_alloc),
            self.largest_case,
            self.slow_limit.map_or("slowness not checked".to_string(), |l| format!("{} slower than {l:?}", self.slow)),
            self.slowest.as_secs_f64() * 1e3,
            self.slowest_case,
            self.wall.as_secs_f64()
        )?;
        for fail in &self.failures {
            write!(f, "\n  {} in case {}: {}", fail.kind, fail.case, fail.detail.replace('\n', " "))?;
            if let Some(p) = &fail.saved {
                write!(f, " (bytes in {})", p.display())?;
            }
        }
        Ok(())
    }
}

/// The generator for case `i`: each case has its own, so any one can be
/// regenerated without running the ones before it.
fn case_rng(seed: u64, i: u64) -> Rng {
    Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i.wrapping_mul(0xD1B5_4A32_D192_ED2D) ^ 0x5851_F42D_4C95_7F2D)
}

/// The bytes of case `i`: the corpus files unchanged first, then mutants.
pub fn case_input(target: &Target, seed: u64, i: u64) -> Vec<u8> {
    if (i as usize) < target.corpus.len() {
        return target.corpus[i as usize].clone();
    }
    (target.mutate)(&mut case_rng(seed, i), &target.corpus, &target.dict)
}

/// What one run of a case did.
pub struct Outcome {
    pub accepted: bool,
    pub panic: Option<String>,
    pub largest_alloc: usize,
    pub time: Duration,
}

/// Runs one input through the target, catching a panic and measuring its
/// largest allocation and its time.
pub fn run_case(target: &Target, input: &[u8]) -> Outcome {
    install_quiet_hook();
    PANIC.with(|p| p.borrow_mut().take());
    IN_CASE.with(|c| c.set(true));
    reset_largest();
    let t0 = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    let time = t0.elapsed();
    let largest_alloc = largest();
    IN_CASE.with(|c| c.set(false));
    let panic = result.is_err().then(|| PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "a panic with no message".into()));
    Outcome { accepted: matches!(result, Ok(true)), panic, largest_alloc, time }
}

const KEEP_FAILURES: usize = 20;

/// Fuzzes one target within the budget.
pub fn run(target: &Target, budget: &Budget) -> Report {
    let start = Instant::now();
    let mut r = Report { target: target.name, seed: budget.seed, slow_limit: budget.slow, ..Report::default() };
    for i in 0..budget.cases {
        if budget.time.is_some_and(|t| start.elapsed() >= t) {
            break;
        }
        let input = case_input(target, budget.seed, i);
        let out = run_case(target, &input);
        r.cases += 1;
        r.accepted += out.accepted as u64;
        if out.largest_alloc > r.largest_alloc {
            (r.largest_alloc, r.largest_case) = (out.largest_alloc, i);
        }
        if out.time > r.slowest {
            (r.slowest, r.slowest_case) = (out.time, i);
        }
        let mut fail = |kind: &'static str, detail: String| {
            if r.failures.len() < KEEP_FAILURES {
                let saved = budget.save_dir.as_ref().and_then(|dir| {
                    let path = dir.join(format!("{}-seed{}-case{}-{kind}.bin", target.name, budget.seed, i));
                    std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, &input)).ok().map(|_| path)
                });
                r.failures.push(Failure { kind, case: i, detail, saved });
            }
        };
        if let Some(msg) = out.panic {
            r.panics += 1;
            fail("panic", msg);
        }
        if out.largest_alloc > budget.cap {
            r.over_cap += 1;
            fail("allocation", format!("{} bytes in one allocation", out.largest_alloc));
        }
        if budget.slow.is_some_and(|slow| out.time > slow) {
            r.slow += 1;
            fail("slow", format!("{:.2} s", out.time.as_secs_f64()));
        }
    }
    r.wall = start.elapsed();
    r
}

/// Every target, by name.
pub fn target(name: &str) -> Option<Target> {
    match name {
        "idx" => Some(targets::idx()),
        "model" => Some(targets::model()),
        "config" => Some(targets::config()),
        _ => None,
    }
}

pub const TARGETS: [&str; 3] = ["idx", "model", "config"];
