#!/usr/bin/env bash
# Runs every test of the workspace: unit, integration, trybuild UI, doc tests
# and the real-browser suite (headless Chromium).
#
# The browser suite needs Chromium. On Debian/Ubuntu this script installs the
# `chromium` package when it is missing (as root, or with sudo); elsewhere,
# point CHROMIUM_BIN at a Chromium binary. Without a browser the suite fails
# here; `cargo test --workspace` alone skips it with a one-line note instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=../browser-tests/ensure-chromium.sh
source browser-tests/ensure-chromium.sh
ensure_chromium

export CORS_E2E_REQUIRE_BROWSER=1
cargo test --workspace --locked "$@"
