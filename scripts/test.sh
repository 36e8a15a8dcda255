#!/usr/bin/env bash
# Runs every test: the native Rust suite and the browser suite (headless
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
echo "== cargo test --profile suite --no-run (build the native tests)"
cargo test --profile suite --no-run

# The native suite runs from now on, beside the site's build and then the
# browser suite: the wasm builds leave a core idle for part of their time
# (each ends in a single-threaded link), and the lessons' claims fill it.
# Neither suite depends on how fast it runs (docs/testing.md), so sharing the
# machine changes no result. The native output is kept in
# test-results/native.log and printed when both have ended.
mkdir -p test-results
echo "== cargo test --profile suite (beside the rest; output in test-results/native.log)"
cargo test --profile suite >test-results/native.log 2>&1 &
native=$!

# (If the site does not build, the native suite still ends and is reported.)
site_status=0
bash scripts/build-site.sh || site_status=$?

# The browser tests start their own servers on free ports, two files at a
# time, with one Chromium for them all (tests/web/run.mjs).
# AE_TEST_SLOW_TRAINING_MS=N runs them with training slowed by N ms a batch
# (tests/web/static-server.mjs): no test may depend on how fast it runs.
echo "== browser tests (node --test, tests/web/run.mjs)"
browser_status=0
if [ "$site_status" = 0 ]; then node tests/web/run.mjs || browser_status=$?; else browser_status=$site_status; fi
native_status=0
wait "$native" || native_status=$?

echo "== native tests (test-results/native.log)"
cat test-results/native.log
[ "$native_status" = 0 ] || echo "error: the native tests failed (cargo test --profile suite, exit $native_status)" >&2
[ "$site_status" = 0 ] || echo "error: the site did not build (bash scripts/build-site.sh, exit $site_status): the browser tests did not run" >&2
[ "$site_status" != 0 ] || [ "$browser_status" = 0 ] || echo "error: the browser tests failed (node tests/web/run.mjs, exit $browser_status)" >&2
# (An `if`, not `a && b`: under set -e a failing first half of a list
# would not stop the script, and it would go on to say all passed.)
if [ "$native_status" != 0 ] || [ "$browser_status" != 0 ]; then exit 1; fi
echo "== all tests passed"
