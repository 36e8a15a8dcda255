// One helper thread of the threaded build (thread-pool.js): instantiates
// the core's module on the shared memory it is sent, says so, then gives
// itself to rayon for good (thread_pool_worker never returns, so this
// worker's event loop stays blocked; it wakes only to run GEMM blocks).
self.onmessage = async ({ data }) => {
  if (data?.type !== 'thread-helper-init') return;
  let core;
  try {
    core = await import(data.glue);
    await core.default({ module_or_path: data.module, memory: data.memory });
  } catch (e) {
    self.postMessage({ type: 'thread-helper-failed', message: String(e?.message ?? e) });
    return;
  }
  self.postMessage({ type: 'thread-helper-ready' });
  core.thread_pool_worker();
};
