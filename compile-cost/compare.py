#!/usr/bin/env python3
"""What adding CORS costs a fresh axum app's build, side by side.

Generates three one-handler axum apps outside the repository (under
`/tmp/cors-compile-compare` by default), each its own Cargo project with its
own `target/`:

- `bare`: axum (default features) and tokio, one handler;
- `tower-http`: the same plus tower-http with its `cors` feature, the handler
  wrapped in a `CorsLayer`;
- `ours`: the same plus `cors-runtime` (by path, this checkout), the handler
  under `#[cors(...)]` and routed with `route!`.

Then, interleaving the apps run by run so that noise on a shared machine hits
them alike, for the dev (debug) and release profiles:

- clean: `cargo clean`, then `cargo build` of the whole dependency graph;
- incremental: change the handler's body, then `cargo build`;
- own crates (`--own-runs`): with everything built, `cargo clean -p` only the
  crates an app adds over bare axum and the app itself, then `cargo build`;
  an upper bound on what they add to a clean build, and shorter, so less noisy.

It prints and writes (Markdown) medians of wall time and of CPU time, the cost
each CORS app adds over bare axum, and, from one extra `--timings` build of
each app, where the crates each one adds sit on its critical path. Usage:

    python3 compile-cost/compare.py [--runs 3] [--own-runs 5] [--profiles debug,release] \
        [--dir /tmp/cors-compile-compare] [--report /tmp/cors-compile-compare/report.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

# The timed `cargo` run, shared with measure.py beside this script.
import measure
from measure import cargo

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "cors-runtime"
APPS = ("bare", "tower-http", "ours")
PROFILES = ("debug", "release")

DEPS = {
    "bare": "",
    "tower-http": 'tower-http = { version = "0.6", features = ["cors"] }\n',
    "ours": f'cors-runtime = {{ path = "{RUNTIME}" }}\n',
}

SOURCES = {
    "bare": """use axum::{routing::get, Router};

async fn hello() -> &'static str {
    BODY
}

#[tokio::main]
async fn main() {
    let app = Router::new().route("/", get(hello));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
""",
    "tower-http": """use axum::{http::{HeaderValue, Method}, routing::get, Router};
use tower_http::cors::CorsLayer;

async fn hello() -> &'static str {
    BODY
}

#[tokio::main]
async fn main() {
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://app.example.com"))
        .allow_methods([Method::GET]);
    let app = Router::new().route("/", get(hello)).layer(cors);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
""",
    "ours": """use axum::Router;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn hello() -> &'static str {
    BODY
}

#[tokio::main]
async fn main() {
    let app = Router::new().route("/", route!(get(hello)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
""",
}


def write_app(root: Path, app: str, variant: int) -> None:
    src = SOURCES[app].replace("BODY", f'"hello {variant}"')
    (root / app / "src" / "main.rs").write_text(src)


def create(root: Path) -> None:
    for app in APPS:
        crate = root / app
        # Everything but `target/`, which a later run may reuse.
        shutil.rmtree(crate / "src", ignore_errors=True)
        (crate / "src").mkdir(parents=True)
        name = "app-" + app
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            "[workspace]\n\n"
            "[dependencies]\n"
            'axum = "0.8.9"\n'
            'tokio = { version = "1", features = ["macros", "rt-multi-thread", "net"] }\n' + DEPS[app]
        )
        # Same versions as the repository's lock file wherever they overlap.
        shutil.copy(REPO / "Cargo.lock", crate / "Cargo.lock")
        write_app(root, app, 0)


def units(crate: Path) -> list[dict]:
    """The units of the last `cargo build --timings` in `crate`: name, target,
    start and duration in seconds."""
    html = (crate / "target" / "cargo-timings" / "cargo-timing.html").read_text()
    match = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
    return json.loads(match.group(1)) if match else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cors-compile-compare"))
    parser.add_argument("--report", type=Path)
    parser.add_argument("--profiles", default="debug,release", help="comma-separated: debug, release")
    parser.add_argument(
        "--own-runs",
        type=int,
        default=5,
        help="runs of the rebuild of only what each app adds (see OWN below); 0 skips it",
    )
    opts = parser.parse_args()
    root: Path = opts.dir
    report: Path = opts.report or root / "report.md"
    profiles = [p for p in opts.profiles.split(",") if p]
    create(root)
    # Fetch and resolve once (not measured), so that no run waits on the network.
    for app in APPS:
        cargo(root / app, "fetch")

    wall = {(a, p, k): [] for a in APPS for p in profiles for k in ("clean", "incr")}
    cpu = {key: [] for key in wall}
    variant = 0
    for run in range(1, opts.runs + 1):
        for profile in profiles:
            flags = ["--release"] if profile == "release" else []
            for app in APPS:
                crate = root / app
                cargo(crate, "clean")
                wall[app, profile, "clean"].append(cargo(crate, "build", "--offline", *flags))
                cpu[app, profile, "clean"].append(measure.last_cpu)
                variant += 1
                write_app(root, app, variant)
                wall[app, profile, "incr"].append(cargo(crate, "build", "--offline", *flags))
                cpu[app, profile, "incr"].append(measure.last_cpu)
                print(
                    f"run {run} {profile:7} {app:10} clean {wall[app, profile, 'clean'][-1]:6.2f} s"
                    f" (cpu {cpu[app, profile, 'clean'][-1]:6.2f})   incremental {wall[app, profile, 'incr'][-1]:5.2f} s",
                    flush=True,
                )

    # OWN: with every dependency built, rebuild only what each app adds over bare
    # axum (`cors-runtime`, `cors-macros`, `cors-fetch`; tower-http) and the app
    # itself. A clean build can overlap these crates with others, so this is an
    # upper bound on what they add to its wall time, and a far less noisy one
    # on a shared machine than whole clean builds.
    own_crates = {
        "bare": [],
        "tower-http": ["tower-http"],
        "ours": ["cors-runtime", "cors-macros", "cors-fetch"],
    }
    own = {(a, p): [] for a in APPS for p in profiles}
    if opts.own_runs:
        for profile in profiles:
            flags = ["--release"] if profile == "release" else []
            for app in APPS:
                cargo(root / app, "build", "--offline", *flags)
        for run in range(1, opts.own_runs + 1):
            for profile in profiles:
                flags = ["--release"] if profile == "release" else []
                for app in APPS:
                    packages = [f"app-{app}", *own_crates[app]]
                    cargo(root / app, "clean", "--offline", *flags, *(x for p in packages for x in ("-p", p)))
                    own[app, profile].append(cargo(root / app, "build", "--offline", *flags))
                    print(f"own run {run} {profile:7} {app:10} {own[app, profile][-1]:6.2f} s", flush=True)

    # One more clean debug build of each app with per-crate timings (not in the
    # medians): where the crates an app adds sit relative to its critical path.
    timed = {}
    for app in APPS:
        cargo(root / app, "clean")
        cargo(root / app, "build", "--offline", "--timings")
        timed[app] = units(root / app)

    med = statistics.median
    fmt = lambda xs: " / ".join(f"{x:.1f}" for x in xs)  # noqa: E731
    rustc = subprocess.run(["rustc", "--version"], cwd=root / "ours", capture_output=True, text=True).stdout.strip()
    lines = [
        "| profile | build | bare axum | tower-http `cors` | cors-runtime | tower-http adds | cors-runtime adds |",
        "|---|---|---|---|---|---|---|",
    ]
    def rows(times: dict, digits: int) -> list[str]:
        """One table row per profile and kind of build: medians and what each adds to bare."""
        out = []
        for profile in profiles if opts.runs else []:
            for kind, label in (("clean", "clean"), ("incr", "incremental")):
                m = {a: med(times[a, profile, kind]) for a in APPS}
                out.append(
                    f"| {profile} | {label} | {m['bare']:.{digits}f} s | {m['tower-http']:.{digits}f} s"
                    f" | {m['ours']:.{digits}f} s | {m['tower-http'] - m['bare']:+.{digits}f} s"
                    f" | {m['ours'] - m['bare']:+.{digits}f} s |"
                )
        return out

    lines += rows(wall, 2)
    lines += [
        "",
        "CPU time (user + system of cargo and rustc), medians:",
        "",
        "| profile | build | bare axum | tower-http `cors` | cors-runtime | tower-http adds | cors-runtime adds |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += rows(cpu, 1)
    if opts.own_runs:
        lines += [
            "",
            "Rebuild of only what each app adds, dependencies built (upper bound on the added clean-build wall time), medians:",
            "",
            "| profile | bare axum (app crate) | tower-http + app | cors-runtime, cors-macros, cors-fetch + app | tower-http adds | cors-runtime adds |",
            "|---|---|---|---|---|---|",
        ]
        for profile in profiles:
            m = {a: med(own[a, profile]) for a in APPS}
            lines.append(
                f"| {profile} | {m['bare']:.2f} s | {m['tower-http']:.2f} s | {m['ours']:.2f} s"
                f" | {m['tower-http'] - m['bare']:+.2f} s | {m['ours'] - m['bare']:+.2f} s |"
            )
    lines += ["", "Every run (wall seconds):", ""] if opts.runs or opts.own_runs else []
    for profile in profiles if opts.runs else []:
        for kind in ("clean", "incr"):
            lines.append(
                f"- {profile} {kind}: " + "; ".join(f"{a} {fmt(wall[a, profile, kind])}" for a in APPS)
            )
    for profile in profiles if opts.own_runs else []:
        lines.append(f"- {profile} own crates: " + "; ".join(f"{a} {fmt(own[a, profile])}" for a in APPS))
    end = lambda u: u["start"] + u["duration"]  # noqa: E731
    lines += [
        "",
        "One clean debug build of each app with `cargo build --timings` (a single run, as noisy as any): "
        "the whole build, the app crate itself, and when axum (the last dependency all three share) is done:",
        "",
        "| app | whole build (s) | app crate (s) | axum done at (s) |",
        "|---|---|---|---|",
    ]
    for app in APPS:
        us = timed[app]
        if not us:
            continue
        app_unit = max((u for u in us if u["name"] == f"app-{app}"), key=end)
        axum = max((u for u in us if u["name"] == "axum"), key=end)
        lines.append(f"| {app} | {max(map(end, us)):.2f} | {app_unit['duration']:.2f} | {end(axum):.2f} |")
    lines += [
        "",
        "The crates `ours` adds and the ones it shares with bare axum (syn, quote, proc-macro2 come with "
        "`tokio-macros`), in that build:",
        "",
        "| crate | starts at (s) | takes (s) | done at (s) |",
        "|---|---|---|---|",
    ]
    for name in ("proc-macro2", "quote", "syn", "tokio-macros", "axum", "cors-fetch", "cors-macros", "cors-runtime", "app-ours"):
        for u in timed.get("ours", []):
            if u["name"] == name and "build-script" not in u.get("target", ""):
                lines.append(f"| {name} | {u['start']:.2f} | {u['duration']:.2f} | {end(u):.2f} |")
    lines += [
        "",
        f"`python3 compile-cost/compare.py --runs {opts.runs} --own-runs {opts.own_runs}` on {datetime.date.today().isoformat()} "
        f"({rustc}; {os.cpu_count()} CPUs shared with other builds; apps interleaved run by run; medians).",
        "",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text)
    print(f"wrote {report}")


if __name__ == "__main__":
    main()
