#!/usr/bin/env bash
# The second README command: every test, native and in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== Rust tests (native)"
cargo test --release
bash scripts/build-site.sh
echo "== browser tests (headless Chromium, real Web Worker, real MNIST)"
node --test --test-concurrency=1 tests/web/
