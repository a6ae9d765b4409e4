#!/usr/bin/env python3
"""What the generated Public Suffix List table costs `cors-macros`' build.

Rebuilds `cors-macros` alone (its dependencies built once, in a target
directory of its own under /tmp) alternately with the committed
`src/public_suffix/data.rs` and with the same file holding empty tables, and
prints the median wall time of each and the difference. The committed file
is restored afterwards, whatever happens. Usage:

    python3 compile-cost/suffix_table_cost.py [--runs 5] [--release]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "cors-rules" / "src" / "public_suffix" / "data.rs"


def build(flags: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        ["cargo", "build", "--offline", "-p", "cors-macros", *flags],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(done.stdout[-3000:])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--release", action="store_true")
    parser.add_argument("--target-dir", default="/tmp/cors-suffix-table-cost")
    opts = parser.parse_args()
    flags = ["--release"] if opts.release else []
    env = dict(os.environ, CARGO_TARGET_DIR=opts.target_dir, CARGO_TERM_COLOR="never")
    env.pop("RUSTFLAGS", None)

    original = DATA.read_text()
    # Same file, tables emptied: what the crate costs without the list.
    empty = re.sub(r'&str = "\\\n[^"]*";', '&str = "";', original)
    assert empty.count('&str = "";') == 2, "unexpected data.rs layout"
    times: dict[str, list[float]] = {"with the table": [], "empty tables": []}
    try:
        build(flags, env)  # dependencies, not measured
        for _ in range(opts.runs):
            for name, text in (("with the table", original), ("empty tables", empty)):
                DATA.write_text(text)
                times[name].append(build(flags, env))
    finally:
        DATA.write_text(original)
    for name, xs in times.items():
        print(f"{name:15} median {statistics.median(xs):.2f} s  ({' / '.join(f'{x:.2f}' for x in xs)})")
    added = statistics.median(times["with the table"]) - statistics.median(times["empty tables"])
    print(f"the table adds {added:+.2f} s to a build of cors-macros ({'release' if opts.release else 'debug'})")


if __name__ == "__main__":
    main()
