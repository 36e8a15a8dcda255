#!/usr/bin/env bash
# The first README command: install what is missing, build, serve on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-site.sh
exec python3 scripts/serve.py "${PORT:-8080}" site
