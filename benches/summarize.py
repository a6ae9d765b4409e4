#!/usr/bin/env python3
"""Turn criterion's saved estimates into markdown tables with ratios.

    cargo bench -p cors-benches --bench cors -- --warm-up-time 1 --measurement-time 3
    python3 benches/summarize.py [target/criterion]

Uses the estimate criterion prints (the slope of its linear sampling, or the
mean when there is no slope). Standard library only.
"""

import json
import sys
from pathlib import Path

SCENARIOS = [
    ("allowed_get", "allowed actual GET"),
    ("disallowed_get", "disallowed-origin GET"),
    ("no_origin_get", "GET without Origin"),
    ("allowed_preflight", "allowed preflight (2 headers)"),
    ("rejected_preflight", "rejected preflight (header)"),
]
VARIANTS = ["bare", "tower-http", "route", "layer", "cors-router", "route-env"]


def load(root: Path) -> dict:
    """{(group_id, function_id, value_str): median_ns}"""
    out = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        key = (meta["group_id"], meta["function_id"], meta.get("value_str"))
        out[key] = (est.get("slope") or est["mean"])["point_estimate"]
    return out


def fmt_ns(ns: float) -> str:
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def ratio(a, b) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "n/a"


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    data = load(root)
    if not data:
        sys.exit(f"no criterion results under {root}")

    print("Time per request (criterion estimate, `oneshot` on a cloned Router).")
    print("For `bare`, preflight rows are axum's 405 answer to the OPTIONS.\n")
    print("| scenario | bare | tower-http | route! | CorsLayer | CorsRouter | route!/bare "
          "| CorsRouter/bare | tower-http/route! | tower-http/CorsRouter |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, desc in SCENARIOS:
        t = {v: data.get((f"scenario/{name}", v, None)) for v in VARIANTS}
        cells = [fmt_ns(t[v]) if t[v] is not None else "n/a" for v in VARIANTS]
        cells += [
            ratio(t["route"], t["bare"]),
            ratio(t["cors-router"], t["bare"]),
            ratio(t["tower-http"], t["route"]),
            ratio(t["tower-http"], t["cors-router"]),
        ]
        print(f"| {desc} | " + " | ".join(cells) + " |")

    print("\nCORS overhead (variant − bare) and how many times smaller this crate's is:\n")
    print("| scenario | tower-http − bare | route! − bare | CorsLayer − bare | CorsRouter − bare "
          "| overhead ratio tower-http/route! | overhead ratio tower-http/CorsRouter |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, desc in SCENARIOS:
        t = {v: data.get((f"scenario/{name}", v, None)) for v in VARIANTS}
        if None in t.values():
            continue
        over = {v: t[v] - t["bare"] for v in VARIANTS}
        def overhead_ratio(v):
            return f"{over['tower-http'] / over[v]:.1f}×" if over[v] > 0 else "∞ (≤ bare)"
        print(f"| {desc} | {fmt_ns(over['tower-http'])} | {fmt_ns(over['route'])} "
              f"| {fmt_ns(over['layer'])} | {fmt_ns(over['cors-router'])} "
              f"| {overhead_ratio('route')} | {overhead_ratio('cors-router')} |")

    print("\nOrigins from the environment: route! with `origins = env(..)` next to the literal list.\n")
    print("| scenario | route! literal | route! env | env / literal |")
    print("|---|---:|---:|---:|")
    for name, desc in SCENARIOS:
        r = data.get((f"scenario/{name}", "route", None))
        e = data.get((f"scenario/{name}", "route-env", None))
        if r is None or e is None:
            continue
        print(f"| {desc} | {fmt_ns(r)} | {fmt_ns(e)} | {ratio(e, r)} |")

    sizes = sorted({int(k[2]) for k in data if k[0].startswith("origin_list/") and k[2]})
    if sizes:
        print("\nOrigin-list scaling: allowed actual GET, N exact origins + 2 patterns.\n")
        print("| origin / variant | " + " | ".join(f"N={n}" for n in sizes) + f" | N={sizes[-1]} / N={sizes[0]} |")
        print("|---|" + "---:|" * (len(sizes) + 1))
        for kind in ["last_exact", "pattern"]:
            for variant, label in [("route", "route!"), ("layer", "CorsLayer"),
                                   ("tower-http", "tower-http")]:
                ts = [data.get((f"origin_list/{kind}", variant, str(n))) for n in sizes]
                cells = [fmt_ns(x) if x is not None else "n/a" for x in ts]
                print(f"| {kind} / {label} | " + " | ".join(cells) + f" | {ratio(ts[-1], ts[0])} |")


if __name__ == "__main__":
    main()
