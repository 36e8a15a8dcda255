//! The one counting global allocator of the tests: what `tests/alloc.rs`
//! counts (allocations), `tests/hostile_files.rs` (bytes) and the fuzzer
//! (`tests/fuzzing/`: the largest single allocation) all come from here. A
//! binary installs it with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;`.
//! `tests/common/mod.rs` declares it; the fuzzer, also built as an example,
//! includes this file by path instead of the whole of `common`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// This thread's tallies. A reallocation counts as one allocation of its new size.
struct Tally {
    allocations: Cell<u64>,
    bytes: Cell<u64>,
    largest: Cell<usize>,
}

thread_local! {
    // Per thread, so tests running in parallel do not count each other's
    // allocations; const-initialised, so counting never allocates.
    static TALLY: Tally = const { Tally { allocations: Cell::new(0), bytes: Cell::new(0), largest: Cell::new(0) } };
}

pub struct CountingAlloc;

fn note(size: usize) {
    // `try_with`: during thread teardown the slot may be gone.
    let _ = TALLY.try_with(|t| {
        t.allocations.set(t.allocations.get() + 1);
        t.bytes.set(t.bytes.get() + size as u64);
        t.largest.set(t.largest.get().max(size));
    });
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations made on this thread so far.
pub fn allocations() -> u64 {
    TALLY.with(|t| t.allocations.get())
}

/// Bytes allocated on this thread so far (frees are not subtracted).
pub fn bytes_allocated() -> u64 {
    TALLY.with(|t| t.bytes.get())
}

/// The largest single allocation on this thread since `reset_largest`.
pub fn largest() -> usize {
    TALLY.with(|t| t.largest.get())
}

pub fn reset_largest() {
    TALLY.with(|t| t.largest.set(0));
}
