#!/usr/bin/env bash
# Instructions per request under valgrind's callgrind: a deterministic
# complement to the criterion timings, unaffected by other load on the machine.
#
#   bash benches/callgrind.sh            # scenario table + origin-list table
#   N=5000 bash benches/callgrind.sh
#
# For each case, `profile-one` runs N and 2N requests with collection switched
# on only inside `cors_benches::exec::oneshot`; (Ir(2N) - Ir(N)) / N is the
# steady-state instruction count of one request (no start-up, no request
# construction). Needs `valgrind` (Debian package; installed if missing).
set -euo pipefail

N="${N:-2000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v valgrind >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get install -y valgrind >/dev/null 2>&1 \
        || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y valgrind >/dev/null; }
fi

cargo build --release --quiet -p cors-benches --bin profile-one
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BIN="$TARGET_DIR/release/profile-one"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

collected() { # variant case iterations -> Ir
    timeout 600 valgrind --tool=callgrind --toggle-collect='cors_benches::exec::oneshot' \
        --callgrind-out-file="$TMP/out" "$BIN" "$1" "$2" "$3" 2>&1 >/dev/null \
        | awk '/Collected :/ {print $NF}'
}

per_request() { # variant case -> Ir per request
    local a b
    a="$(collected "$1" "$2" "$N")"
    b="$(collected "$1" "$2" $((2 * N)))"
    echo $(((b - a) / N))
}

declare -A IR
SCENARIOS="allowed_get disallowed_get no_origin_get allowed_preflight rejected_preflight"
for s in $SCENARIOS; do
    for v in bare tower-http route layer cors-router route-env; do
        IR[$v,$s]="$(per_request "$v" "$s")"
        echo "  $v $s: ${IR[$v,$s]} Ir" >&2
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }

echo "Instructions per request (callgrind Ir, only the oneshot call; N=$N)."
echo "For bare, preflight rows are axum's 405 answer to the OPTIONS."
echo
echo "| scenario | bare | tower-http | route! | CorsLayer | CorsRouter | route!/bare | CorsRouter/bare | tower-http/route! | tower-http/CorsRouter |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in $SCENARIOS; do
    b="${IR[bare,$s]}" t="${IR[tower-http,$s]}" r="${IR[route,$s]}" l="${IR[layer,$s]}" o="${IR[cors-router,$s]}"
    echo "| $s | $b | $t | $r | $l | $o | $(ratio "$r" "$b") | $(ratio "$o" "$b") | $(ratio "$t" "$r") | $(ratio "$t" "$o") |"
done

echo
echo "CORS overhead (variant − bare, Ir) and tower-http's overhead over this crate's:"
echo
echo "Budget: this crate's overhead at most a third of tower-http's (ratio >= 3.00×);"
echo "a negative overhead is cheaper than bare axum's own answer."
echo
echo "| scenario | tower-http − bare | route! − bare | CorsLayer − bare | CorsRouter − bare | tower-http/route! overhead | tower-http/CorsRouter overhead |"
echo "|---|---:|---:|---:|---:|---:|---:|"
overhead_ratio() { # tower-http overhead, ours -> ratio, or "ours ≤ bare"
    if [ "$2" -le 0 ]; then echo "ours ≤ bare"; else ratio "$1" "$2"; fi
}
for s in $SCENARIOS; do
    b="${IR[bare,$s]}"
    ot=$((${IR[tower-http,$s]} - b)) or=$((${IR[route,$s]} - b)) ol=$((${IR[layer,$s]} - b)) oo=$((${IR[cors-router,$s]} - b))
    echo "| $s | $ot | $or | $ol | $oo | $(overhead_ratio "$ot" "$or") | $(overhead_ratio "$ot" "$oo") |"
done

echo
echo "Origins from the environment (route! with \`origins = env(..)\`, read when the router is built) next to the literal list:"
echo
echo "| scenario | route! literal | route! env | env − literal |"
echo "|---|---:|---:|---:|"
for s in $SCENARIOS; do
    r="${IR[route,$s]}" e="${IR[route-env,$s]}"
    echo "| $s | $r | $e | $((e - r)) |"
done

if [ "${LISTS:-1}" = 0 ]; then exit 0; fi

echo
echo "Origin-list scaling (allowed GET; Ir per request):"
echo
echo "| origin / variant | N=1 | N=10 | N=100 | N=1000 | N=1000 / N=1 |"
echo "|---|---:|---:|---:|---:|---:|"
for kind in exact pattern; do
    for v in route layer tower-http; do
        row=""
        first="" last=""
        for n in 1 10 100 1000; do
            x="$(per_request "$v" "list_${kind}_$n")"
            row="$row | $x"
            first="${first:-$x}"
            last="$x"
        done
        echo "| $kind / $v$row | $(ratio "$last" "$first") |"
    done
done
