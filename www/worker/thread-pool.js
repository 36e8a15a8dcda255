// The threaded build's helper threads (src/wasm/threads.rs): Web Workers
// that instantiate the core's module on its shared memory and run rayon's
// worker loop, so that a GEMM's blocks run side by side. Started by the worker
// that owns the core (never by a page, whose main thread may not block), once,
// the first time more than one thread is asked for.
//
// The pool has MAX_THREADS − 1 helpers whatever the setting: rayon's pool
// cannot grow once built, and the setting (set_threads) only caps how many
// blocks a GEMM is cut into, so it can change between batches. Idle helpers
// sleep in Atomics.wait and cost only their stacks.

/** The most threads a GEMM uses (src/threads.rs MAX_THREADS). */
export const MAX_THREADS = 4;

/**
 * Training's threads: half the logical cores (src/threads.rs default_threads),
 * or, while a second worker evaluates `beside` training (evaluator.js), all
 * the cores but its one; at least 1, at most MAX_THREADS. On 2 cores both are 1.
 */
export function defaultThreads(cores = globalThis.navigator?.hardwareConcurrency ?? 1, beside = false) {
  return Math.min(MAX_THREADS, Math.max(1, beside ? cores - 1 : Math.floor(cores / 2)));
}

// Kept referenced: a worker that shares memory with us but that nothing
// refers to may be collected (Firefox bug 1702191).
let helpers = null;

/**
 * Starts the helpers for `core` (from loadCore, build 'threads') and builds
 * rayon's pool over them; resolves to the pool's size, the calling thread
 * included.
 */
export async function startPool(core) {
  const count = MAX_THREADS - 1;
  const init = { type: 'thread-helper-init', glue: core.glue, module: core.wasm_module(), memory: core.wasm_memory() };
  helpers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL('./thread-helper.js', import.meta.url), { type: 'module' });
          w.onmessage = ({ data }) => (data?.type === 'thread-helper-ready' ? resolve(w) : reject(new Error(`a helper thread failed to start: ${data?.message}`)));
          w.onerror = (e) => reject(new Error(`a helper thread failed to start: ${e.message ?? 'script error'}`));
          w.postMessage(init);
        }),
    ),
  );
  for (const w of helpers) w.onmessage = null;
  return core.start_thread_pool(count);
}
