#!/usr/bin/env bash
# Builds the static site into site/: the wasm core with its JS glue in
# site/pkg, the page from www/, and the datasets gzipped in site/data.
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

step "cargo build (wasm32, release)"
cargo build --release --lib --target wasm32-unknown-unknown

step "wasm-bindgen -> site/pkg"
wasm-bindgen --target web --out-dir site/pkg \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/ae_playground.wasm"

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
