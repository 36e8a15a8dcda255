// Which build of the wasm core this browser runs. scripts/build-site.sh makes
// three (site/pkg/relaxed, simd, plain); a module with one instruction the
// engine does not know fails to compile as a whole, so we ask the engine
// first: `WebAssembly.validate` on a tiny hand-assembled module that uses
// exactly the instruction a build needs, and load the best build that passes.
// Safari (no relaxed SIMD) gets simd128; an engine without SIMD gets plain.
//
// Every script that runs the core imports it through `loadCore`:
//   const core = await loadCore(requested);   // core.Playground, core.MnistData, … core.build
// `requested` ('relaxed' | 'simd' | 'plain', from a `?build=` query) forces a
// build for tests and benchmarks; an unsupported request throws rather than
// quietly measuring another build.

/** Best first: folder under pkg/ and what `Playground.simd()` reports for it. */
export const BUILDS = [
  { name: 'relaxed', simd: 'relaxed-simd' },
  { name: 'simd', simd: 'simd128' },
  { name: 'plain', simd: 'none' },
];

/**
 * Builds only a benchmark asks for (`scripts/build-site.sh --bench`), never
 * chosen on their own: relaxed-mm is the relaxed build with matrixmultiply's
 * wasm GEMM kernel instead of ours.
 */
const BENCH_BUILDS = [{ name: 'relaxed-mm', simd: 'relaxed-simd', probe: 'relaxed' }];

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
};

/** The builds this engine can run, best first. */
export function supportedBuilds() {
  return BUILDS.filter((b) => !PROBES[b.name] || WebAssembly.validate(PROBES[b.name])).map((b) => b.name);
}

/** The build to load: `requested` if given (and supported), else the best supported. */
export function chooseBuild(requested = null) {
  const supported = supportedBuilds();
  if (!requested) return supported[0];
  const bench = BENCH_BUILDS.find((b) => b.name === requested);
  if (bench) {
    if (!supported.includes(bench.probe)) throw new Error(`this browser cannot run the "${requested}" wasm build (it runs ${supported.join(', ')})`);
    return requested;
  }
  if (!BUILDS.some((b) => b.name === requested)) throw new Error(`unknown wasm build "${requested}" (one of ${BUILDS.map((b) => b.name).join(', ')})`);
  if (!supported.includes(requested)) throw new Error(`this browser cannot run the "${requested}" wasm build (it runs ${supported.join(', ')})`);
  return requested;
}

/** The `?build=` of a script's own address (a page's or a worker's), or null. */
export function requestedBuild(href = globalThis.location?.href) {
  return href ? new URL(href).searchParams.get('build') : null;
}

/**
 * Imports and initialises the chosen build's JS glue; resolves with its
 * exports plus `build` and the instance's `memory` (its size is a figure for
 * scripts/soak-page.mjs; nothing reads or writes through it).
 */
export async function loadCore(requested = requestedBuild()) {
  const build = chooseBuild(requested);
  const core = await import(`./pkg/${build}/ae_playground.js`);
  const { memory } = await core.default();
  return { ...core, build, memory };
}
