#!/usr/bin/env bash
# Builds the static site into site/: the wasm core's three builds with their JS
# glue in site/pkg/{relaxed,simd,plain}, the page from www/, and the datasets
# gzipped in site/data.
# Needs scripts/setup.sh to have run (wasm target, wasm-bindgen, data/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
step() { echo "== $*"; }

mkdir -p site
# The browser tests may call this script from parallel processes: one at a time.
mkdir -p "${CARGO_TARGET_DIR:-target}"
exec 9>"${CARGO_TARGET_DIR:-target}/build-site.lock"
flock 9

# Three builds of the core; www/wasm-build.js loads the best one the browser
# validates. A module with one unsupported instruction fails to load as a
# whole, so each build carries only its own features:
#   relaxed  simd128 + relaxed SIMD (our GEMM kernel uses f32x4.relaxed_madd)
#   simd     simd128 only (Safari, older browsers)
#   plain    no SIMD at all (matrixmultiply's scalar kernel)
# With --bench, also relaxed-mm: the relaxed build with matrixmultiply's wasm
# kernel instead of ours, which scripts/bench-wasm.mjs measures beside it.
# RUSTFLAGS overrides .cargo/config.toml; each build has its own target
# directory, so changing flags between them never forces a full rebuild.
target=${CARGO_TARGET_DIR:-target}
build_core() { # name rustflags [cargo args]
  step "cargo build (wasm32, release, $1)"
  RUSTFLAGS="$2" cargo build --release --lib --target wasm32-unknown-unknown --target-dir "$target/wasm-$1" "${@:3}"
  local wasm="$target/wasm-$1/wasm32-unknown-unknown/release/ae_playground.wasm"
  if [ ! -f "site/pkg/$1/ae_playground_bg.wasm" ] || [ "$wasm" -nt "site/pkg/$1/ae_playground_bg.wasm" ]; then
    step "wasm-bindgen -> site/pkg/$1"
    wasm-bindgen --target web --out-dir "site/pkg/$1" "$wasm"
  fi
}
build_core relaxed '-C target-feature=+simd128,+relaxed-simd'
build_core simd '-C target-feature=+simd128'
build_core plain '-C target-feature=-simd128'
if [ "${1:-}" = --bench ]; then
  build_core relaxed-mm '-C target-feature=+simd128,+relaxed-simd' --features matrixmultiply-wasm
fi
# Before the three builds the glue lived in site/pkg itself.
rm -f site/pkg/ae_playground* site/pkg/package.json

# Overwrite in place rather than empty site/ first: the browser tests rebuild
# while other tests may be serving it. Then drop pages deleted from www/.
step "www -> site"
cp -R www/. site/
(cd site && find . \( -path ./pkg -o -path ./data \) -prune -o -type f -print) |
  while read -r f; do [ -e "www/$f" ] || rm -f "site/$f"; done

# The page fetches .gz files and gunzips them itself (DecompressionStream);
# -n leaves out name and time so the output is byte-for-byte reproducible.
step "datasets -> site/data"
mkdir -p site/data/mnist site/data/fashion-mnist
for f in data/mnist/*-ubyte; do
  out=site/data/mnist/$(basename "$f").gz
  if [ ! -f "$out" ] || [ "$f" -nt "$out" ]; then
    gzip -9 -n -c "$f" > "$out.tmp" && mv "$out.tmp" "$out"
  fi
done
for f in data/fashion-mnist/*.gz; do
  out=site/data/fashion-mnist/$(basename "$f")
  cmp -s "$f" "$out" || cp "$f" "$out"
done
echo "== site built in site/"
