#!/usr/bin/env bash
# The README's demo command: build packages, then the kiosk on synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo run --release --locked -- demo "$@"
