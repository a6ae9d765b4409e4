#!/usr/bin/env bash
# Checks that the published crates' dependencies can be resolved to versions
# that declare a `rust-version` no newer than ours (the workspace's
# `rust-version`), as a user on that Rust would get them with cargo's
# MSRV-aware resolver (cargo 1.84+, `resolver = "3"` or
# `resolver.incompatible-rust-versions = "fallback"`).
#
# It copies cors-fetch, cors-rules, cors-macros and cors-runtime into a temporary
# workspace, resolves there (needs the crates.io index; the repository's
# Cargo.lock is not touched), and lists the normal dependencies of
# cors-runtime with their declared rust-version. Crates that declare none
# cannot be checked this way and are listed. It does not build anything:
# only a toolchain of that version could prove the build (see README.md,
# "Minimum supported Rust version").
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -rL cors-fetch cors-rules cors-macros cors-runtime "$tmp/"
sed -e 's/^members = .*/members = ["cors-fetch", "cors-rules", "cors-macros", "cors-runtime"]/' \
    -e 's/^resolver = .*/resolver = "3"/' Cargo.toml > "$tmp/Cargo.toml"
cd "$tmp"
CARGO_TARGET_DIR="$tmp/target" cargo generate-lockfile --quiet
cargo tree -p cors-runtime -e normal,build --prefix none --quiet |
    awk '{print $1, $2}' | sort -u > normal.txt
cargo metadata --format-version 1 --quiet > metadata.json

python3 - "$msrv" <<'PY'
import json, sys
msrv = sys.argv[1]
key = lambda v: tuple(int(x) for x in v.split("."))
normal = {tuple(line.split()) for line in open("normal.txt")}
too_new, undeclared, checked = [], [], 0
for p in json.load(open("metadata.json"))["packages"]:
    if (p["name"], "v" + p["version"]) not in normal:
        continue
    rv = p.get("rust_version")
    if rv is None:
        undeclared.append(f'{p["name"]} {p["version"]}')
    elif key(rv) > key(msrv):
        too_new.append(f'{p["name"]} {p["version"]} needs {rv}')
    else:
        checked += 1
print(f"rust-version {msrv}: {checked} normal dependencies declare a rust-version <= {msrv}")
if undeclared:
    print("declare no rust-version (not checked): " + ", ".join(sorted(undeclared)))
if too_new:
    print("NEED A NEWER RUST: " + "; ".join(sorted(too_new)), file=sys.stderr)
    sys.exit(1)
PY
