//! The threaded build's pool (feature `threads`, compiled with atomics): the
//! GEMM's helper threads are Web Workers that instantiate this same module on
//! the same shared memory and then run rayon's worker loop.
//!
//! www/worker/thread-pool.js starts them: each imports our glue, initialises it with
//! `wasm_module()` and the shared memory, and calls `thread_pool_worker()`,
//! which waits for a thread handed over below and runs it for good. Once all
//! are waiting, the training worker calls `start_thread_pool(n)`: rayon's
//! global pool is built with one thread per helper (the calling worker runs a
//! block too, so GEMMs can use n + 1), each handed to a waiting helper.
//! rayon's own spawn would need `std::thread`, which wasm lacks; a queue in
//! shared memory replaces it, as wasm-bindgen-rayon does.

use std::sync::atomic::Ordering;
use std::sync::{Condvar, Mutex};

use rayon::{ThreadBuilder, ThreadPoolBuilder};
use wasm_bindgen::prelude::*;

use crate::threads::{MAX_THREADS, POOL};

static WAITING: Mutex<Vec<ThreadBuilder>> = Mutex::new(Vec::new());
static HANDED: Condvar = Condvar::new();

/// The compiled module, for the helpers to instantiate (no second download).
#[wasm_bindgen]
pub fn wasm_module() -> JsValue {
    wasm_bindgen::module()
}

/// The shared memory, for the helpers.
#[wasm_bindgen]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Runs on a helper worker: waits for one of rayon's threads and runs it; it
/// never returns, so the helper's event loop stays blocked, as it should.
#[wasm_bindgen]
pub fn thread_pool_worker() {
    let mut waiting = WAITING.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(thread) = waiting.pop() {
            drop(waiting);
            thread.run();
            return;
        }
        waiting = HANDED.wait(waiting).unwrap_or_else(|e| e.into_inner());
    }
}

/// Builds rayon's pool over `helpers` workers already in `thread_pool_worker`
/// and returns how many threads a GEMM can now use (helpers + the caller).
/// Once per instance: a second call is refused.
#[wasm_bindgen]
pub fn start_thread_pool(helpers: usize) -> Result<usize, JsError> {
    if helpers == 0 || helpers >= MAX_THREADS {
        return Err(JsError::new(&format!("a pool has 1 to {} helper threads, not {helpers}", MAX_THREADS - 1)));
    }
    ThreadPoolBuilder::new()
        .num_threads(helpers)
        .spawn_handler(|thread| {
            WAITING.lock().unwrap_or_else(|e| e.into_inner()).push(thread);
            HANDED.notify_one();
            Ok(())
        })
        .build_global()
        .map_err(|e| JsError::new(&format!("the thread pool did not start: {e}")))?;
    POOL.store(helpers + 1, Ordering::Relaxed);
    Ok(helpers + 1)
}

/// GEMMs split over threads so far, for the browser tests: a test that
/// compares 1 and 2 threads must show that the second really split them.
#[wasm_bindgen]
pub fn split_gemms() -> usize {
    crate::threads::split_gemms()
}

/// For the thread benchmark (www/dev/bench.js): starts (zeroing the counts)
/// or stops timing the parallel sections (src/threads.rs `timing`).
#[wasm_bindgen]
pub fn time_sections(on: bool) {
    crate::threads::timing::time_sections(on);
}

/// [sections, seconds inside them, seconds the calling thread waited in them] since `time_sections(true)`.
#[wasm_bindgen]
pub fn section_times() -> Vec<f64> {
    let t = crate::threads::timing::section_times();
    vec![t.sections as f64, t.inside, t.waiting]
}

/// The mean seconds one hand-off of an empty block to a helper and back
/// costs, over `n` (NaN below 2 threads).
#[wasm_bindgen]
pub fn handoff_seconds(n: usize) -> f64 {
    crate::threads::timing::handoff_seconds(n)
}
