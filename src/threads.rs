//! How many threads a GEMM may use, and the split that keeps results
//! independent of that number. Elementwise work (the Bernoulli loss over
//! images, Adam over weights) is split the same way, by `block_len`: each
//! item's result is its own, and sums over items are taken in item order.
//!
//! A GEMM is split over blocks of its *output*: rows of C when C has at least
//! as many rows as columns, else columns. Each block is an ordinary
//! `general_mat_mul` on a slice of A (or B) and the whole of the other
//! operand, so every output element is one thread's dot product over the
//! whole reduction dimension, summed in the kernel's order (blocks of 256
//! along k; matrixmultiply natively, src/gemm in the SIMD wasm builds): the
//! same order as without the split. matrixmultiply's edge tiles (a block's
//! last rows) compute `alpha·ab` into a buffer and then `βC + buffer`, the
//! full tiles `alpha·ab + βC` in registers; for the β we use (0 and 1) these
//! round the same, and src/gemm writes every tile alike, so a seed and a
//! configuration give the same bits with 1, 2 or 4 threads
//! (`tests/threads.rs` and `tests/web/threads.test.mjs` check it).
//! Splitting the reduction instead would add partial sums in an order that
//! depends on the thread count.
//!
//! Natively the blocks run on rayon's global pool. In the browser's threaded
//! build (feature `threads` with atomics) the pool's threads are Web Workers
//! sharing the module's memory, started by the page (src/wasm/threads.rs);
//! until then, and in the unthreaded builds, every GEMM runs on the calling
//! thread.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The most threads a GEMM is split over: the page's limit (more did not pay
/// on the models a page trains, and each thread costs a worker's memory).
pub const MAX_THREADS: usize = 4;

/// Below this many multiply–adds per block a handoff to another thread costs
/// more than it saves (a wake-up is tens of µs; 2^17 multiply–adds take
/// about 15 µs at 10 GFLOP/s). Depends on the shape only, never on timing.
const MIN_BLOCK_WORK: usize = 1 << 17;

/// Blocks start at multiples of this, the width of matrixmultiply's f32
/// kernels (8 on AVX and wasm SIMD), so no block begins mid-tile.
const ALIGN: usize = 8;

static THREADS: AtomicUsize = AtomicUsize::new(1);
static SPLITS: AtomicUsize = AtomicUsize::new(0);

/// GEMMs split over more than one block so far (all threads): lets a test
/// show that its products really ran threaded.
pub fn split_gemms() -> usize {
    SPLITS.load(Ordering::Relaxed)
}

/// Threads a GEMM may use from now on (clamped to 1..=MAX_THREADS); returns
/// the number in force. Results do not depend on it.
pub fn set_threads(n: usize) -> usize {
    let n = n.clamp(1, available().max(1));
    THREADS.store(n, Ordering::Relaxed);
    n
}

/// Threads a GEMM may use.
pub fn threads() -> usize {
    THREADS.load(Ordering::Relaxed)
}

/// The default: half the logical cores (the other half draws the page or
/// runs the rest of the machine), at least 1 and at most MAX_THREADS.
pub fn default_threads(cores: usize) -> usize {
    (cores / 2).clamp(1, MAX_THREADS)
}

/// The logical cores of this machine, natively (1 where it cannot tell).
#[cfg(not(target_arch = "wasm32"))]
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(all(feature = "threads", not(target_arch = "wasm32")))]
fn available() -> usize {
    MAX_THREADS
}

// In wasm a pool exists only once the page has started one.
#[cfg(all(feature = "threads", target_arch = "wasm32"))]
fn available() -> usize {
    POOL.load(Ordering::Relaxed).min(MAX_THREADS)
}

#[cfg(not(feature = "threads"))]
fn available() -> usize {
    1
}

/// Threads in the browser's pool, the calling worker included (0: none yet).
#[cfg(all(feature = "threads", target_arch = "wasm32"))]
pub(crate) static POOL: AtomicUsize = AtomicUsize::new(0);

/// How a GEMM of C (m × n) with reduction length k is split: (along rows of
/// C?, block length). One block means no split.
pub(crate) fn plan(m: usize, n: usize, k: usize) -> (bool, usize) {
    let rows = m >= n;
    let len = if rows { m } else { n };
    let by_work = (m * n * k / MIN_BLOCK_WORK).max(1);
    let by_shape = len.div_ceil(ALIGN);
    let blocks = threads().min(by_work).min(by_shape).max(1);
    (rows, len.div_ceil(blocks).next_multiple_of(ALIGN).min(len.max(1)))
}

/// Below this many elementwise operations (a loss term, an Adam update: a
/// few ns each) a block is not worth a handoff either.
const MIN_BLOCK_ELEMENTS: usize = 1 << 14;

/// The length of the blocks `len` items of elementwise work, `per_item`
/// operations each, are split into: at most one block per thread and none
/// under MIN_BLOCK_ELEMENTS operations (`len` itself: no split). Depends on
/// the shape and the thread count only. Callers keep results independent
/// of the split: each item's result is its own, and any sum over items is
/// taken afterwards, in item order.
pub(crate) fn block_len(len: usize, per_item: usize) -> usize {
    let by_work = (len * per_item / MIN_BLOCK_ELEMENTS).max(1);
    let blocks = threads().min(by_work).min(len).max(1);
    len.div_ceil(blocks).max(1)
}

/// Runs `work` on each item, the first on this thread and the others on the
/// pool, and returns when all are done; without the pool, in order here.
pub(crate) fn each<T: Send>(items: impl Iterator<Item = T>, work: &(impl Fn(T) + Sync)) {
    // On one thread rayon is not touched at all: its first use builds its
    // global pool, and in the browser that would leave the page's own pool
    // (started when a person first asks for 2 threads) unable to start.
    #[cfg(feature = "threads")]
    {
        if threads() > 1 {
            return pool::run_each(items, work);
        }
        let timed = timing::on();
        let start = if timed { timing::now_ns() } else { 0 };
        items.for_each(work);
        if timed {
            let end = timing::now_ns();
            timing::record(start, end, end);
        }
    }
    #[cfg(not(feature = "threads"))]
    items.for_each(work);
}

/// Where a step's time goes between the parallel sections (each `each`: a
/// GEMM, the loss, Adam) and the rest, which one thread runs alone. For the
/// benchmarks (issue 23: why a second thread gives 1.2×, not 1.5×); off
/// unless `time_sections(true)`, and no result depends on it.
#[cfg(feature = "threads")]
pub mod timing {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    static ON: AtomicBool = AtomicBool::new(false);
    static SECTIONS: AtomicU64 = AtomicU64::new(0);
    static INSIDE_NS: AtomicU64 = AtomicU64::new(0);
    static WAIT_NS: AtomicU64 = AtomicU64::new(0);

    /// Counts, in sections and seconds, since `time_sections(true)`.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct SectionTimes {
        /// Parallel sections run (one block or more).
        pub sections: u64,
        /// Seconds from a section's start to its end, on the calling thread.
        pub inside: f64,
        /// Of those, seconds the calling thread waited for the others after its own block.
        pub waiting: f64,
    }

    /// Starts (and zeroes) or stops the counts.
    pub fn time_sections(on: bool) {
        if on {
            SECTIONS.store(0, Ordering::Relaxed);
            INSIDE_NS.store(0, Ordering::Relaxed);
            WAIT_NS.store(0, Ordering::Relaxed);
        }
        ON.store(on, Ordering::Relaxed);
    }

    pub fn section_times() -> SectionTimes {
        SectionTimes {
            sections: SECTIONS.load(Ordering::Relaxed),
            inside: INSIDE_NS.load(Ordering::Relaxed) as f64 * 1e-9,
            waiting: WAIT_NS.load(Ordering::Relaxed) as f64 * 1e-9,
        }
    }

    pub(super) fn on() -> bool {
        ON.load(Ordering::Relaxed)
    }

    /// One section: started at `start`, its own block done at `own`, all done at `end` (ns).
    pub(super) fn record(start: u64, own: u64, end: u64) {
        SECTIONS.fetch_add(1, Ordering::Relaxed);
        INSIDE_NS.fetch_add(end.saturating_sub(start), Ordering::Relaxed);
        WAIT_NS.fetch_add(end.saturating_sub(own), Ordering::Relaxed);
    }

    /// Nanoseconds on a monotonic clock: natively `Instant`, in the browser
    /// `performance.now()` (5 µs steps in a cross-origin isolated worker).
    pub fn now_ns() -> u64 {
        #[cfg(not(target_arch = "wasm32"))]
        {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed().as_nanos() as u64
        }
        #[cfg(target_arch = "wasm32")]
        {
            (performance_now() * 1e6) as u64
        }
    }

    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }

    /// The mean cost in seconds of handing one empty block to another thread
    /// and waiting for it, over `n` sections of two blocks: what each
    /// parallel section pays before any work.
    /// NaN below 2 threads (no pool to hand to).
    pub fn handoff_seconds(n: usize) -> f64 {
        if super::threads() < 2 {
            return f64::NAN;
        }
        let start = now_ns();
        for _ in 0..n {
            super::each([0u8, 1].into_iter(), &|i| {
                std::hint::black_box(i);
            });
        }
        (now_ns() - start) as f64 * 1e-9 / n.max(1) as f64
    }
}

/// Counts a GEMM that `each` ran in more than one block.
#[cfg(feature = "threads")]
pub(crate) fn count_split() {
    SPLITS.fetch_add(1, Ordering::Relaxed);
}

#[cfg(feature = "threads")]
mod pool {
    /// Runs `work` on each item, the first on this thread and the others on
    /// the pool, and returns when all are done.
    pub(crate) fn run_each<T: Send>(mut items: impl Iterator<Item = T>, work: &(impl Fn(T) + Sync)) {
        #[cfg(not(target_arch = "wasm32"))]
        start_native_pool();
        let timed = super::timing::on();
        let start = if timed { super::timing::now_ns() } else { 0 };
        let mut own = 0;
        rayon::in_place_scope(|s| {
            let first = items.next();
            for item in items {
                s.spawn(move |_| work(item));
            }
            if let Some(item) = first {
                work(item);
            }
            if timed {
                own = super::timing::now_ns();
            }
        });
        if timed {
            super::timing::record(start, own, super::timing::now_ns());
        }
    }

    /// rayon's default pool has one thread per core; a 4-thread run on a
    /// 2-core machine should have 4, as the browser's pool does.
    #[cfg(not(target_arch = "wasm32"))]
    fn start_native_pool() {
        static START: std::sync::Once = std::sync::Once::new();
        START.call_once(|| {
            let n = super::cores().max(super::MAX_THREADS);
            // Err: a pool was built already (by a caller of ours); use that one.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemms_split_the_larger_side_of_c_into_aligned_blocks_and_elementwise_work_into_one_block_per_thread() {
        set_threads(4);
        assert_eq!(plan(784, 512, 64), (true, 200)); // 784 / 4 = 196, rounded up to 8s
        assert_eq!(plan(64, 512, 784), (false, 128));
        assert_eq!(plan(64, 20, 100), (true, 64)); // 128,000 multiply–adds: too few to split
        assert_eq!(plan(13, 9, 100_000), (true, 8)); // 13 rows: two blocks of 8 and 5
        set_threads(1);
        assert_eq!(plan(784, 512, 64), (true, 784));
        // Elementwise work (in the same test: the thread count is global).
        set_threads(2);
        assert_eq!(block_len(313_600, 1), 156_800);
        assert_eq!(block_len(128, 784), 64); // the loss of a batch of 128 images
        assert_eq!(block_len(10_000, 1), 10_000); // too little to split
        assert_eq!(block_len(0, 1), 1);
        set_threads(1);
        assert_eq!(block_len(313_600, 1), 313_600);
    }

    #[test]
    fn default_is_half_the_cores_between_one_and_four() {
        assert_eq!([1, 2, 3, 4, 8, 16, 64].map(default_threads), [1, 1, 1, 2, 4, 4, 4]);
    }
}
