# shellcheck shell=bash
# Source this file (e.g. from .ci/run), then call `ensure_chromium`:
#
#     . browser-tests/ensure-chromium.sh
#     ensure_chromium || exit 1
#     export CORS_E2E_REQUIRE_BROWSER=1   # the browser suite then fails instead of skipping
#
# ensure_chromium installs Debian's `chromium` package only when no browser is there yet
# ($CHROMIUM_BIN, or `chromium` on PATH). It needs root or sudo and Debian's package lists.
# Returns non-zero when the browser is still missing afterwards.

ensure_chromium() {
    if [ -n "${CHROMIUM_BIN:-}" ]; then
        if [ -x "$CHROMIUM_BIN" ]; then return 0; fi
        echo "ensure_chromium: CHROMIUM_BIN=$CHROMIUM_BIN is not an executable file" >&2
        return 1
    fi
    if command -v chromium >/dev/null 2>&1; then return 0; fi

    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "ensure_chromium: chromium is missing and we are not root (and there is no sudo)" >&2
            return 1
        fi
        sudo="sudo"
    fi
    echo "ensure_chromium: installing Debian's chromium (apt-get install --no-install-recommends chromium)" >&2
    local try
    for try in 1 2; do
        if $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; then
            break
        fi
        echo "ensure_chromium: apt-get failed (attempt $try)" >&2
        sleep 5
    done
    if ! command -v chromium >/dev/null 2>&1; then
        echo "ensure_chromium: chromium is still missing" >&2
        return 1
    fi
    # Debian's wrapper prints a harmless "[: ...: unexpected operator" on stderr; hide it.
    chromium --version 2>/dev/null
}

# Executed rather than sourced: just do it.
if [ "${BASH_SOURCE[0]:-$0}" = "$0" ]; then
    set -eu
    ensure_chromium
fi
