// Which build of the wasm core this browser runs. scripts/build-site.sh makes
// four (site/pkg/threads, relaxed, simd, plain); a module with one instruction
// the engine does not know fails to compile as a whole, so we ask the engine
// first: `WebAssembly.validate` on a tiny hand-assembled module that uses
// exactly the instruction a build needs, and load the best build that passes.
//
// `threads` is relaxed SIMD plus atomics on a shared memory: its GEMMs split
// over helper workers (thread-pool.js). It needs a cross-origin isolated
// page (`crossOriginIsolated`: COOP and COEP headers, or
// www/service-worker.js), a worker to run in (a page's main thread may not
// block), relaxed SIMD and shared memory. Safari has the last but not relaxed
// SIMD: it gets simd128 on one thread, since a fifth build (simd128 +
// atomics) would cost another rebuild of std in every build of the site.
// Without threads, the best of the others: an engine without relaxed SIMD
// gets simd128, one without SIMD plain.
//
// Every script that runs the core imports it through `loadCore`:
//   const core = await loadCore(requested);   // core.Playground, core.MnistData, … core.build
// `requested` ('threads' | 'relaxed' | 'simd' | 'plain', from a `?build=`
// query) forces a build for tests and benchmarks; an unsupported request
// throws rather than quietly measuring another build.

/** Best first: folder under pkg/ and what `Playground.simd()` reports for it. */
export const BUILDS = [
  { name: 'threads', simd: 'relaxed-simd' },
  { name: 'relaxed', simd: 'relaxed-simd' },
  { name: 'simd', simd: 'simd128' },
  { name: 'plain', simd: 'none' },
];

/**
 * Builds only a benchmark asks for (`scripts/build-site.sh --bench`), never
 * chosen on their own: relaxed-mm is the relaxed build with matrixmultiply's
 * wasm GEMM kernel instead of ours.
 */
const BENCH_BUILDS = [{ name: 'relaxed-mm', probe: 'relaxed' }];

// A module with one function `() -> v128` (type 0x60 0x00 0x01 0x7b), whose body
// is `code` followed by `end`. Sections: type, function, code.
function moduleWith(code) {
  const body = [0x00, ...code, 0x0b]; // no locals, the code, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section: one body
  ]);
}

// i32.const 0; i32x4.splat (0xfd 17): a v128 on the stack.
const SPLAT = [0x41, 0x00, 0xfd, 0x11];

/** The instruction each build needs (SIMD proposal opcodes are 0xfd + LEB128). */
export const PROBES = {
  // f32x4.mul (0xfd 230): matrixmultiply's simd128 kernel multiplies and adds.
  simd: moduleWith([...SPLAT, ...SPLAT, 0xfd, 0xe6, 0x01]),
  // f32x4.relaxed_madd (0xfd 0x105, LEB128 0x85 0x02), the relaxed kernel's fused multiply-add.
  relaxed: moduleWith([...SPLAT, ...SPLAT, ...SPLAT, 0xfd, 0x85, 0x02]),
  // A module whose only section declares a shared memory (limits flag 3:
  // shared, with a maximum; 1 page each): the threads proposal.
  shared: new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01]),
};

/**
 * Why this context cannot run the threaded build, in words for the page
 * ("1 thread: …"), or null when it can.
 */
export function threadsUnavailable(scope = globalThis) {
  if (!scope.crossOriginIsolated) return 'this page is not cross-origin isolated';
  if (typeof scope.WorkerGlobalScope === 'undefined') return 'the core runs on the page, which may not wait for other threads';
  if (!WebAssembly.validate(PROBES.shared)) return 'this browser has no WebAssembly threads';
  if (!WebAssembly.validate(PROBES.relaxed)) return 'this browser lacks relaxed SIMD, which the threaded build needs';
  return null;
}

/** The builds this engine can run, best first. */
export function supportedBuilds() {
  const ok = (b) => (b.name === 'threads' ? !threadsUnavailable() : !PROBES[b.name] || WebAssembly.validate(PROBES[b.name]));
  return BUILDS.filter(ok).map((b) => b.name);
}

/** The build to load: `requested` if given (and supported), else the best supported. */
export function chooseBuild(requested = null) {
  const supported = supportedBuilds();
  if (!requested) return supported[0];
  const bench = BENCH_BUILDS.find((b) => b.name === requested);
  if (!bench && !BUILDS.some((b) => b.name === requested)) throw new Error(`unknown wasm build "${requested}" (one of ${BUILDS.map((b) => b.name).join(', ')})`);
  if (requested === 'threads' && threadsUnavailable()) throw new Error(`the "threads" wasm build cannot run here: ${threadsUnavailable()}`);
  // A benchmark-only build runs wherever the build it varies does.
  if (!supported.includes(bench?.probe ?? requested)) throw new Error(`this browser cannot run the "${requested}" wasm build (it runs ${supported.join(', ')})`);
  return requested;
}

/** The `?build=` of a script's own address (a page's or a worker's), or null. */
export function requestedBuild(href = globalThis.location?.href) {
  return href ? new URL(href).searchParams.get('build') : null;
}

/**
 * Imports and initialises the chosen build's JS glue; resolves with its
 * exports plus `build`, the instance's `memory` (its size is a figure for
 * scripts/soak-page.mjs; nothing reads or writes through it), `glue` (the
 * glue's address, which the threaded build's helpers import) and
 * `threadsWhy`: why this core runs one thread, or null for the threaded build.
 */
export async function loadCore(requested = requestedBuild()) {
  const build = chooseBuild(requested);
  const glue = new URL(`../pkg/${build}/ae_playground.js`, import.meta.url).href;
  const core = await import(glue);
  const { memory } = await core.default();
  const threadsWhy = build === 'threads' ? null : (threadsUnavailable() ?? `the "${build}" build was asked for`);
  return { ...core, build, memory, glue, threadsWhy };
}
