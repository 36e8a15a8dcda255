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

echo "== cargo test --release"
cargo test --release

bash scripts/build-site.sh

# The browser tests start their own servers on free ports, one file at a time
# (a 2-core machine is busy enough with one Chromium and its workers).
# AE_TEST_SLOW_TRAINING_MS=N runs them with training slowed by N ms a batch
# (tests/web/static-server.mjs): no test may depend on how fast it runs.
shopt -s nullglob
web_tests=(tests/web/*.test.mjs)
if [ ${#web_tests[@]} -eq 0 ]; then
  echo "== no browser tests in tests/web/ yet; skipped"
else
  echo "== browser tests (node --test)"
  node --test --test-concurrency=1 "${web_tests[@]}"
fi
echo "== all tests passed"
