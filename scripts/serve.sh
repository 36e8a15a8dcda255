#!/usr/bin/env bash
# Sets up, builds, and serves the playground at http://localhost:${PORT:-8080}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build-site.sh
exec python3 scripts/serve.py "${PORT:-8080}"
