"""`plans report` at national scale: time, CPU, size, largest page and time to the first drawn chart.

Part of `make bench` (``bench/run.py`` calls :func:`bench_report_scale` for each generated corpus); run
alone on databases that already exist (no corpus generated, no build):

    .venv/bin/python bench/report_scale.py --db 3300=.cache/bench/scale-n3300.duckdb [--out DIR] [--json FILE]

Keys per size N: ``report_s_N`` (wall), ``report_cpu_s_N`` (user + system of the process tree: on a
shared machine wall time depends on the others' load), ``report_mb_N`` (the whole output folder),
``report_max_page_mb_N`` / ``report_max_page_N``, ``report_pages_N``, ``report_first_chart_s_N``
(headless Chromium, offline: from navigation to the first drawn chart, the slowest page) and
``report_first_chart_page_N``. Limits of issue 13 at N = 3,300: < 300 s, < 200 MB, no page > 20 MB,
first chart < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIMITS = {"report_s": 300.0, "report_mb": 200.0, "report_max_page_mb": 20.0, "report_first_chart_s": 3.0}
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHART_DRAWN = ("document.querySelector('.js-plotly-plot .main-svg, .plans-chart canvas, .chart-container canvas')"
               " ? performance.now() : false")


def first_chart_seconds(pages: list[Path], timeout_ms: int = 60_000) -> dict[str, float | None]:
    """{page name: seconds from navigation to its first drawn chart}; None for a page without a chart.

    Offline like a reader's copy: every request but file:/data:/blob: is refused. {} without Chromium
    or playwright (reported as missing, never guessed).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("first-chart times skipped: python playwright is not installed", file=sys.stderr)
        return {}
    if not Path(CHROMIUM).exists():
        print(f"first-chart times skipped: no Chromium at {CHROMIUM}", file=sys.stderr)
        return {}
    out: dict[str, float | None] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for path in pages:
                html = path.read_text(encoding="utf-8", errors="replace")
                has_chart = "Plotly.newPlot(" in html or "echarts.init(" in html or 'id="plans-app"' in html
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:", "about:"))
                           else r.abort())
                try:
                    page.goto(path.resolve().as_uri(), wait_until="commit")
                    if not has_chart:
                        out[path.name] = None
                        continue
                    ms = page.wait_for_function(CHART_DRAWN, timeout=timeout_ms, polling=20).json_value()
                    out[path.name] = float(ms) / 1000.0
                finally:
                    page.close()
        finally:
            browser.close()
    return out


def bench_report_scale(builds: list[dict], workdir: Path) -> dict:
    """`plans report` on each database of ``builds`` ([{"n": N, "db": path}]) into ``workdir/report-N``."""
    from bench.rebuilds import run_sampled
    from bench.run import _plans

    out: dict = {}
    for b in builds:
        n, dest = b["n"], Path(workdir) / f"report-{b['n']}"
        wall, peak, proc = run_sampled(_plans() + ["report", "--db", str(b["db"]), "--out", str(dest)], cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"plans report (N={n}) failed:\n{proc.stderr[-3000:]}")
        files = [f for f in dest.rglob("*") if f.is_file() and "executed" not in f.parts]
        pages = sorted(dest.glob("*.html"), key=lambda f: f.stat().st_size)
        first = first_chart_seconds(sorted(dest.glob("*.html")))
        timed = {k: v for k, v in first.items() if v is not None}
        slowest = max(timed, key=timed.get) if timed else None
        out.update({f"report_s_{n}": wall, f"report_cpu_s_{n}": getattr(proc, "cpu_s", None),
                    f"report_peak_rss_mb_{n}": peak,
                    f"report_mb_{n}": sum(f.stat().st_size for f in files) / 1e6,
                    f"report_max_page_mb_{n}": pages[-1].stat().st_size / 1e6 if pages else 0.0,
                    f"report_max_page_{n}": pages[-1].name if pages else None, f"report_pages_{n}": len(pages),
                    f"report_first_chart_s_{n}": timed[slowest] if slowest else None,
                    f"report_first_chart_page_{n}": slowest})
        cpu = out[f"report_cpu_s_{n}"]
        print(f"N={n}: report {wall:.1f} s wall" + (f", {cpu:.1f} s CPU" if cpu is not None else "")
              + f", {out[f'report_mb_{n}']:.1f} MB in {len(pages)} pages, largest {out[f'report_max_page_{n}']} "
              f"{out[f'report_max_page_mb_{n}']:.1f} MB" + (f", first chart ≤ {timed[slowest]:.2f} s ({slowest})"
                                                            if slowest else ""), file=sys.stderr)
        from bench.rebuilds import bench_report_add_one

        out.update(bench_report_add_one(_plans(), b, dest))  # one more document, rebuilt, then the report again
        if out.get(f"report_add_one_s_{n}") is not None:
            print(f"N={n}: report after adding one document {out[f'report_add_one_s_{n}']:.1f} s "
                  f"({out.get(f'report_add_one_executed_{n}')} pages executed)", file=sys.stderr)
    return out


def scale_targets(res: dict) -> dict:
    """{key_N: (value, limit)} for the largest N that was measured."""
    sizes = sorted(int(k.rsplit("_", 1)[1]) for k in res if k.startswith("report_s_") and k.rsplit("_", 1)[1].isdigit())
    if not sizes:
        return {}
    n = sizes[-1]
    return {f"{k}_{n}": (res[f"{k}_{n}"], lim) for k, lim in LIMITS.items() if res.get(f"{k}_{n}") is not None}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", action="append", required=True, metavar="N=PATH", help="a built database and its size")
    p.add_argument("--out", default=None, help="where the reports go (default: a temporary folder)")
    p.add_argument("--json", default=None, help="write the results here as JSON")
    args = p.parse_args(argv)
    builds = []
    for spec in args.db:
        n, _, path = spec.partition("=")
        if not n.isdigit() or not Path(path).exists():
            p.error(f"--db {spec!r}: expected N=PATH to an existing database")
        builds.append({"n": int(n), "db": Path(path).resolve()})
    with tempfile.TemporaryDirectory(prefix="plans-report-bench-") as tmp:
        res = bench_report_scale(builds, Path(args.out).resolve() if args.out else Path(tmp))
    res["targets"] = {k: {"value": v, "limit": lim, "pass": v <= lim} for k, (v, lim) in scale_targets(res).items()}
    text = json.dumps(res, indent=2, ensure_ascii=False)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
