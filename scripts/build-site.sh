#!/usr/bin/env bash
# Builds the static site into site/: the wasm core's four builds with their JS
# glue in site/pkg/{threads,relaxed,simd,plain}, the page from www/, the datasets
# gzipped in site/data, and the starter model beside them.
# Needs scripts/setup.sh to have run (wasm target, pinned nightly, wasm-bindgen, data/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
step() { echo "== $*"; }

mkdir -p site
# The browser tests may call this script from parallel processes: one at a time.
mkdir -p "${CARGO_TARGET_DIR:-target}"
exec 9>"${CARGO_TARGET_DIR:-target}/build-site.lock"
flock 9

# Four builds of the core; www/worker/wasm-build.js loads the best one the browser
# validates. A module with one unsupported instruction fails to load as a
# whole, so each build carries only its own features:
#   threads  relaxed SIMD + atomics on a shared memory: GEMMs split over helper
#            workers (cross-origin isolated pages; src/threads.rs)
#   relaxed  simd128 + relaxed SIMD (our GEMM kernel uses f32x4.relaxed_madd)
#   simd     simd128 only (Safari, older browsers)
#   plain    no SIMD at all (matrixmultiply's scalar kernel)
# With --bench, also relaxed-mm: the relaxed build with matrixmultiply's wasm
# kernel instead of ours, which scripts/bench-wasm.mjs measures beside it.
#
# The unthreaded builds share one target directory, and so compile their
# dependencies once, without SIMD: RUSTFLAGS (empty, overriding
# .cargo/config.toml) reaches every crate, while what follows `cargo rustc`'s
# `--` reaches ours alone. The SIMD is in our crate: its GEMM kernels, and
# the generic code (ndarray's loops) it instantiates. Sharing saves two
# compilations of the dependencies, about 75 CPU-seconds of a fresh build.
target=${CARGO_TARGET_DIR:-target}
shared="$target/wasm-unthreaded"
# What an unthreaded build is made from: when this matches the stamp beside
# its output, it is current. (Cargo would rebuild our crate on every run
# here: its fingerprint holds the flags of the build before, which differ.)
inputs() { # flags [cargo arguments]
  { echo "$*"; rustc -vV; find src Cargo.toml Cargo.lock .cargo -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum
}
bindgen() { # name wasm
  local name=$1 wasm=$2 out="site/pkg/$1/ae_playground_bg.wasm"
  # Again when this script is newer: its wasm-bindgen flags may have changed.
  if [ ! -f "$out" ] || [ "$wasm" -nt "$out" ] || [ "${BASH_SOURCE[0]}" -nt "$out" ]; then
    step "wasm-bindgen -> site/pkg/$name"
    # (No TypeScript declarations: nothing reads them, and the site ships what
    # it has. No name section: function names for debuggers, 97 KB of the
    # relaxed build and 196 KB of the threaded one, which put the first visit
    # over its budget (docs/first-load.md); a panic's message does not need them.)
    wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "site/pkg/$name" "$wasm"
  fi
  rm -f "site/pkg/$name"/*.d.ts
  # Cargo may find a build current when a file only another build compiles
  # (src/wasm/threads.rs) is newer: say so to the tests' staleness check
  # (tests/web/site.mjs), which compares times with src/.
  touch "$out"
}
build_unthreaded() { # name rustflags-for-our-crate [cargo build arguments]
  local name=$1 flags=$2
  shift 2
  local stamp="$shared/$name.inputs" now
  now=$(inputs "$flags" "$@")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$now" ] && [ -f "site/pkg/$name/ae_playground_bg.wasm" ]; then
    step "wasm32 $name: current"
    touch "site/pkg/$name/ae_playground_bg.wasm" # (see bindgen)
    return
  fi
  step "cargo rustc (wasm32, release, $name)"
  # shellcheck disable=SC2086 # the flags are words
  RUSTFLAGS= cargo rustc --release --lib --target wasm32-unknown-unknown --target-dir "$shared" --no-default-features "$@" -- $flags
  rm -f "$stamp"
  bindgen "$name" "$shared/wasm32-unknown-unknown/release/ae_playground.wasm"
  echo "$now" >"$stamp"
}
# Shared memory needs std rebuilt with atomics (-Z build-std), hence the
# nightly toolchain pinned in scripts/setup.sh. Without std's features
# (-Z build-std-features=): its backtraces, which a wasm32 panic cannot take,
# compile object, gimli and addr2line, 8 of the build's 103 CPU-seconds.
# rustc no longer makes the memory shared by itself when atomics are on
# (rust-lang/rust#147225), so the linker is told: a shared, imported memory
# (wasm-bindgen then creates it in JS and hands it to the helper threads),
# the thread-local storage exports each thread's start needs, and a maximum
# (required for shared memory; the unthreaded builds may grow to 4 GiB, and
# so may this one).
nightly=$(sed -n 's/^NIGHTLY=//p' scripts/setup.sh)
link=(--shared-memory --import-memory --max-memory=4294967296
  --export=__wasm_init_tls --export=__tls_size --export=__tls_align --export=__tls_base)
build_threads() {
  step "cargo build (wasm32, release, threads)"
  RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128,+relaxed-simd ${link[*]/#/-C link-arg=}" \
    cargo "+$nightly" build --release --lib --target wasm32-unknown-unknown --target-dir "$target/wasm-threads" -Z build-std=panic_abort,std -Z build-std-features=
  bindgen threads "$target/wasm-threads/wasm32-unknown-unknown/release/ae_playground.wasm"
}
build_others() {
  build_unthreaded plain ''
  build_unthreaded simd '-C target-feature=+simd128'
  build_unthreaded relaxed '-C target-feature=+simd128,+relaxed-simd'
}
# matrixmultiply's wasm kernel needs the SIMD flags on matrixmultiply itself:
# a target directory of its own, with RUSTFLAGS.
build_relaxed_mm() {
  step "cargo build (wasm32, release, relaxed-mm)"
  RUSTFLAGS='-C target-feature=+simd128,+relaxed-simd' cargo build --release --lib --target wasm32-unknown-unknown \
    --target-dir "$target/wasm-relaxed-mm" --no-default-features --features matrixmultiply-wasm
  bindgen relaxed-mm "$target/wasm-relaxed-mm/wasm32-unknown-unknown/release/ae_playground.wasm"
}
bench=0
[ "${1:-}" = --bench ] && bench=1
# The threaded build beside the others: each ends in a long single-threaded
# step (LTO with one codegen unit) that leaves the other core idle. Each
# side's output is kept in its own log and printed when it ends; a failed
# build stops the script.
# (Both in the background: a function run as `f || …` would run with
# `set -e` switched off, and go on past a failed build.)
mkdir -p "$target/logs" "$shared"
build_threads >"$target/logs/wasm-threads.log" 2>&1 &
threads=$!
build_others >"$target/logs/wasm-others.log" 2>&1 &
others=$!
threads_status=0 others_status=0
wait "$threads" || threads_status=$?
wait "$others" || others_status=$?
cat "$target/logs/wasm-threads.log" "$target/logs/wasm-others.log"
[ "$threads_status" = 0 ] && [ "$others_status" = 0 ] || { echo "error: a wasm build failed (its log is above)" >&2; exit 1; }
[ "$bench" = 0 ] || build_relaxed_mm
# Before the builds had folders of their own, the glue lived in site/pkg itself.
rm -f site/pkg/ae_playground* site/pkg/package.json

# Overwrite in place rather than empty site/ first: the browser tests rebuild
# while other tests may be serving it. Then drop pages deleted from www/.
# www/dev (benchmarks, test pages) is never shipped: scripts/serve.py and the
# tests' server serve it at /dev/ from www/dev itself, beside site/.
step "www -> site"
# (-m: stamped now, as cp stamps them: the tests compare times with www/.)
tar -C www --exclude=./dev -cf - . | tar -C site -xmf -
(cd site && find . \( -path ./pkg -o -path ./data \) -prune -o -type f -print) |
  while read -r f; do { [ -e "www/$f" ] && [[ $f != ./dev/* ]]; } || [ "$f" = ./build.json ] || rm -f "site/$f"; done
find site -mindepth 1 -type d -empty -delete

# The page fetches .gz files and gunzips them itself (DecompressionStream);
# -n leaves out name and time so the output is byte-for-byte reproducible.
# libdeflate's gzip at level 10, its first with near-optimal parsing: on
# MNIST's training images 4.9 CPU-seconds and 9,132,591 bytes, where gzip -9
# took 12.4 and 9,719,438 (7 December), so a first visit downloads 0.68 MB
# less in all (docs/first-load.md). Its level 12 saves 20 KB more for 13.8 s.
step "datasets -> site/data"
# The files are the ones scripts/datasets.sha256 lists (tests/datasets_file.rs
# keeps that list in step with the core's datasets), plain or gzipped.
while read -r _ file; do
  mkdir -p "site/data/$(dirname "$file")"
  case $file in
    *.gz) out=site/data/$file; cmp -s "data/$file" "$out" || cp "data/$file" "$out" ;;
    *)
      out=site/data/$file.gz
      if [ ! -f "$out" ] || [ "data/$file" -nt "$out" ]; then
        libdeflate-gzip -10 -n -c "data/$file" > "$out.tmp" && mv "$out.tmp" "$out"
      fi
      ;;
  esac
done < scripts/datasets.sha256
# The model a first visit starts from (issue: a drawing reconstructs before
# the datasets arrive): the page's default model trained natively from its
# seed by the command-line tool, the same bits on every build; rebuilt when
# the tool is. Not committed: it is made here.
step "starter model -> site/data/starter.safetensors"
# AE_NATIVE_PROFILE: scripts/test.sh builds with its `suite` profile, whose
# build it has already made, rather than a second, slower release build.
profile=${AE_NATIVE_PROFILE:-release}
cargo build --profile "$profile" --quiet --bin ae-playground
tool="$target/$profile/ae-playground"
starter=site/data/starter.safetensors
if [ ! -f "$starter" ] || [ "$tool" -nt "$starter" ]; then
  "$tool" starter --data-dir data --out "$starter.tmp" && mv "$starter.tmp" "$starter"
fi
# Last, once every file is in place: site/build.json (every file with its
# content hash) and the build's name in site/service-worker.js, which keeps the
# site for offline use by those hashes and learns of a new deploy by them.
step "build.json, service-worker.js"
node scripts/site-manifest.mjs site
echo "== site built in site/"
