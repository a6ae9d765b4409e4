#!/usr/bin/env bash
# Load test: wrk against three loopback servers (bare axum, this crate's
# route!, tower-http), one at a time, bounded in time; prints requests/s and
# the ratio to bare.
#
#   bash benches/load.sh                      # 3 rounds of 10 s per variant, 2 threads, 32 connections
#   DURATION=5 ROUNDS=5 VARIANTS="bare route layer tower-http" bash benches/load.sh
#
# Variants run interleaved, round after round, and the table reports each
# variant's median: on a small machine wrk and the server share the cores, and
# one run alone says little.
#
# Environment: DURATION (seconds, default 10), ROUNDS (3), THREADS (wrk threads, 2),
# CONNECTIONS (32), BASE_PORT (18080), VARIANTS ("bare route tower-http"),
# LOAD_SERVER_THREADS (server tokio workers, 1), ORIGIN (allowed origin sent).
# Traffic goes to 127.0.0.1 only. Installs Debian's `wrk` if it is missing.
set -euo pipefail

DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
BASE_PORT="${BASE_PORT:-18080}"
VARIANTS="${VARIANTS:-bare route tower-http}"
ORIGIN="${ORIGIN:-https://app.example.com}"
export LOAD_SERVER_THREADS="${LOAD_SERVER_THREADS:-1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v wrk >/dev/null 2>&1; then
    echo "load.sh: installing wrk (Debian package)" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get install -y wrk >/dev/null 2>&1 \
        || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y wrk >/dev/null; }
fi

cargo build --release --quiet -p cors-benches --bin load-server
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
SERVER="$TARGET_DIR/release/load-server"

SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap cleanup EXIT INT TERM

wait_for_port() { # bounded: 10 s
    local port="$1"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "load.sh: server on port $port did not come up" >&2
    return 1
}

declare -A RUNS
port="$BASE_PORT"
for round in $(seq 1 "$ROUNDS"); do
for variant in $VARIANTS; do
    port=$((port + 1))
    "$SERVER" "$variant" "$port" &
    SERVER_PID=$!
    wait_for_port "$port"
    url="http://127.0.0.1:$port/api"

    # Sanity check: status and the CORS header this variant should send.
    if command -v curl >/dev/null 2>&1; then
        acao="$(curl -s -m 5 -o /dev/null -D - -H "Origin: $ORIGIN" "$url" \
            | tr -d '\r' | grep -i '^access-control-allow-origin:' || true)"
        echo "== round $round, $variant (port $port): ${acao:-no access-control-allow-origin}" >&2
    fi

    out="$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
        -H "Origin: $ORIGIN" "$url")"
    echo "$out" >&2
    RUNS[$variant]="${RUNS[$variant]:-} $(echo "$out" | awk '/^Requests\/sec:/ {print $2}')"
    if echo "$out" | grep -q 'Non-2xx'; then
        echo "load.sh: $variant answered non-2xx responses" >&2
        exit 1
    fi
    cleanup
done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A RPS
for variant in $VARIANTS; do
    RPS[$variant]="$(echo "${RUNS[$variant]}" | median)"
done

echo
echo "wrk: median of $ROUNDS interleaved rounds of ${DURATION}s, ${THREADS} threads, ${CONNECTIONS} connections, GET /api with Origin: $ORIGIN," \
    "server: ${LOAD_SERVER_THREADS} tokio worker(s), 127.0.0.1"
echo
echo "| variant | requests/s (median) | runs | vs bare |"
echo "|---|---:|---|---:|"
bare="${RPS[bare]:-}"
for variant in $VARIANTS; do
    rps="${RPS[$variant]}"
    if [ -n "$bare" ]; then
        ratio="$(awk -v a="$rps" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')"
    else
        ratio="n/a"
    fi
    echo "| $variant | $rps |${RUNS[$variant]} | $ratio |"
done
