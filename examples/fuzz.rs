//! Long fuzzing runs and replays of the targets in `tests/fuzzing/` (the
//! same harness `cargo test` runs with a small budget in `tests/fuzz.rs`).
//!
//! cargo run --release --example fuzz -- --target idx|model|config|all --cases 200000 --seed 1
//! cargo run --release --example fuzz -- --target model --replay target/fuzz-failures/model-seed1-case7-panic.bin
//!
//! Prints one line per target (cases, panics, allocations over the cap,
//! slow cases, largest allocation, slowest case, wall time) and exits
//! non-zero if any count is not zero. Failing cases go to target/fuzz-failures/.

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;
#[path = "../tests/fuzzing/mod.rs"]
mod fuzzing;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use counting_alloc::CountingAlloc;
use fuzzing::Budget;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[derive(Parser)]
#[command(about = "Seeded mutation fuzzing of the IDX reader, the model-file loader and the configurations")]
struct Args {
    /// idx, model, config, or all
    #[arg(long, default_value = "all")]
    target: String,
    /// Cases per target (the corpus files first).
    #[arg(long, default_value_t = 200_000)]
    cases: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop each target after this many seconds.
    #[arg(long)]
    seconds: Option<f64>,
    /// Run one case: a file written to target/fuzz-failures/.
    #[arg(long)]
    replay: Option<PathBuf>,
    /// Run only case N of the seed (what a failure's file name says).
    #[arg(long)]
    case: Option<u64>,
}

fn main() -> ExitCode {
    let a = Args::parse();
    let names: Vec<&str> = if a.target == "all" { fuzzing::TARGETS.to_vec() } else { vec![a.target.as_str()] };
    let mut failed = false;
    for name in names {
        let Some(target) = fuzzing::target(name) else {
            eprintln!("error: no target '{name}' (expected one of {}, or all)", fuzzing::TARGETS.join(", "));
            return ExitCode::FAILURE;
        };
        let one = match (&a.replay, a.case) {
            (Some(path), _) => Some(std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))),
            (None, Some(i)) => Some(fuzzing::case_input(&target, a.seed, i)),
            _ => None,
        };
        if let Some(bytes) = one {
            let out = fuzzing::run_case(&target, &bytes);
            println!(
                "{name}: {} bytes, {}, largest allocation {} bytes, {:.3} ms{}",
                bytes.len(),
                if out.accepted { "accepted" } else { "refused" },
                out.largest_alloc,
                out.time.as_secs_f64() * 1e3,
                out.panic.as_ref().map(|p| format!("\n  panic: {p}")).unwrap_or_default()
            );
            failed |= out.panic.is_some() || out.largest_alloc > fuzzing::ALLOC_CAP || out.time > fuzzing::SLOW;
            continue;
        }
        let budget = Budget { time: a.seconds.map(Duration::from_secs_f64), ..Budget::new(a.seed, a.cases) };
        let report = fuzzing::run(&target, &budget);
        println!("{report}");
        failed |= report.failed();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
