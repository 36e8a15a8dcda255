#!/usr/bin/env bash
# Builds the static site into site/: the wasm core (SIMD), its JS bindings,
# the page, and the datasets gzipped for the browser's DecompressionStream.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building the wasm core"
cargo build --release --lib --target wasm32-unknown-unknown --quiet
mkdir -p site/pkg site/data/mnist site/data/fashion-mnist
wasm-bindgen --target web --out-dir site/pkg target/wasm32-unknown-unknown/release/ae_playground.wasm
cp -r www/. site/

for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  # -n leaves out the timestamp so the same data always gives the same bytes.
  if [ ! -f "site/data/mnist/$f.gz" ] || [ "data/mnist/$f" -nt "site/data/mnist/$f.gz" ]; then
    gzip -9 -n -c "data/mnist/$f" > "site/data/mnist/$f.gz"
  fi
  cp "data/fashion-mnist/$f.gz" "site/data/fashion-mnist/$f.gz"
done
echo "== site/ is ready"
