#!/usr/bin/env bash
# Runs every test: the native Rust suite, then the browser suite (headless
# Chromium via playwright-core) against a freshly built site/.
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi

bash scripts/setup.sh

echo "== eslint (eslint.config.js)"
node_modules/.bin/eslint .

# The `suite` profile (Cargo.toml) is release without LTO: a third of the
# build time. build-site.sh and the browser tests take the tools from it too.
export AE_NATIVE_PROFILE=suite
echo "== cargo test --profile suite"
cargo test --profile suite

bash scripts/build-site.sh

# The browser tests start their own servers on free ports, one file at a time
# (a 2-core machine is busy enough with one Chromium and its workers), with
# one Chromium for them all (tests/web/run.mjs).
# AE_TEST_SLOW_TRAINING_MS=N runs them with training slowed by N ms a batch
# (tests/web/static-server.mjs): no test may depend on how fast it runs.
echo "== browser tests (node --test, tests/web/run.mjs)"
node tests/web/run.mjs
echo "== all tests passed"
