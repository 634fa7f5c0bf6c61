"""National-scale benchmark (`make bench`): build time and memory at N = 300 and 3,300 generated
documents next to the floor (read + decode the same bytes; interpreter start with the project's
imports), every query on the large database, `plans report` next to executing empty notebooks,
and each report's bytes next to its embedded JavaScript. Prints a table and writes
`figures/bench/results.json`. Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
CACHE = ROOT / ".cache" / "bench"
OUT = ROOT / "figures" / "bench"


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak resident MB (summed over the process tree, sampled every 20 ms)."""
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    return wall, peak / 1024, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def corpus(n: int, seed: int = 1) -> Path:
    from bench.generate_corpus import generate

    d = CACHE / f"n{n}-s{seed}"
    if not (d / "truth.json").exists():
        print(f"generating {n} documents into {d} …", file=sys.stderr)
        generate(n, seed, d)
    return d


def floor_seconds(raw: Path) -> tuple[float, int]:
    """Read and decode every raw file once (no cleaning): the I/O + decoding floor."""
    from analysis.encoding import decode_bytes

    t0 = time.perf_counter()
    n = 0
    for p in sorted(raw.iterdir()):
        if p.suffix in (".txt", ".html"):
            data = p.read_bytes()
            n += len(data)
            decode_bytes(data)
    return time.perf_counter() - t0, n


def import_floor() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import analysis.build, analysis.align"], check=True)
    return time.perf_counter() - t0


def bench_build(n: int, workdir: Path) -> dict:
    raw = corpus(n)
    db = workdir / f"n{n}.duckdb"
    wall, peak, proc = run_measured([str(BIN / "plans"), "build", "--raw", str(raw), "--db", str(db),
                                     "--out", str(workdir / f"out{n}")])
    if proc.returncode != 0:
        raise SystemExit(f"plans build failed at N={n}:\n{proc.stderr[-2000:]}")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT count(*) FROM raw_targets").fetchall()[0][0]
    tables = con.execute("SELECT count(*) FROM raw_targets WHERE source_kind = 'table'").fetchall()[0][0]
    con.close()
    floor, nbytes = floor_seconds(raw)
    imp = import_floor()
    return {"n": n, "build_s": wall, "peak_rss_mb": peak, "bytes": nbytes, "mb_per_s": nbytes / 1e6 / wall,
            "rows": rows, "rows_per_s": rows / wall, "table_rows": tables, "floor_decode_s": floor,
            "floor_import_s": imp, "floor_s": floor + imp, "recall": table_recall(raw, db), "db": str(db)}


def table_recall(raw: Path, db: Path) -> dict:
    """Share of generated table rows found with the right target value (by document and name)."""
    import duckdb

    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(db), read_only=True)
    got = {}
    for doc, name, value, text in con.execute(
            "SELECT doc_id, raw_name, target_value, target_text FROM raw_targets WHERE source_kind = 'table' "
            "AND target_year = 2025").fetchall():
        got[(doc, name)] = (value, text)
    con.close()
    total = found = 0
    for doc, t in truth.items():
        for row in t["rows"]:
            total += 1
            hit = got.get((doc, row["name"]))
            if hit is None:
                continue
            if row["comparator"] == "qualitative":
                found += hit[1] == row["text"]
            else:
                found += hit[0] is not None and abs(hit[0] - row["target"]) < 1e-9
    return {"rows": total, "found": found, "recall": found / total if total else None}


def bench_queries(db: Path, repeat: int = 7) -> dict[str, float]:
    import duckdb

    from analysis.queries import list_queries, run_query

    con = duckdb.connect(str(db), read_only=True)
    doc = con.execute("SELECT min(doc_id) FROM documents").fetchall()[0][0]
    out = {}
    for name in list_queries():
        params = {"doc_id": doc} if name == "city_profile" else {}
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run_query(con, name, **params)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(times)
    return out


def bench_report(workdir: Path) -> dict:
    from analysis import config

    out = workdir / "figures"
    wall, peak, proc = run_measured([str(BIN / "plans"), "report", "--db", str(config.DB_PATH), "--out", str(out)])
    if proc.returncode != 0:
        raise SystemExit(f"plans report failed:\n{proc.stderr[-2000:]}")
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    floor = empty_notebook_floor(len(pages), workdir)
    sizes = {}
    from plotly.offline import get_plotlyjs

    libraries = [get_plotlyjs(), (ROOT / ".cache" / "echarts.min.js").read_text(encoding="utf-8")]
    for p in pages:
        html = p.read_text(encoding="utf-8")
        # a library counts when a distinctive slice of its source is in the page (it is embedded whole, once)
        js = sum(len(src.encode("utf-8")) * html.count(src[len(src) // 2: len(src) // 2 + 400]) for src in libraries)
        data = data_bytes(html)
        sizes[p.stem] = {"report_bytes": p.stat().st_size, "embedded_js_bytes": js, "data_bytes": data,
                         "ratio": p.stat().st_size / (js + data) if js + data else None}
    return {"report_s": wall, "report_floor_s": floor, "pages": sizes}


def data_bytes(html: str) -> int:
    """Approximate bytes of the page's own data: HTML tables, plotly figure calls, echarts options."""
    tables = sum(len(m.encode("utf-8")) for m in re.findall(r"<table\b.*?</table>", html, flags=re.S))
    calls = sum(len(m.encode("utf-8")) for m in re.findall(r"Plotly\.newPlot\(.*?\n|var option_\w+ = .*?\n", html))
    return tables + calls


def empty_notebook_floor(n: int, workdir: Path) -> float:
    """Execute an empty notebook n times, two at a time (as the report does): kernel start-up floor."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    path = workdir / "empty.ipynb"
    nbformat.write(nb, path)
    t0 = time.perf_counter()
    procs: list[subprocess.Popen] = []
    for i in range(n):
        procs.append(subprocess.Popen([str(BIN / "papermill"), str(path), str(workdir / f"empty-{i}.ipynb"), "-k",
                                       "python3", "--log-level", "ERROR"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        if len(procs) >= 2:
            procs.pop(0).wait()
    for p in procs:
        p.wait()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="300,3300")
    p.add_argument("--skip-report", action="store_true")
    p.add_argument("--quick", action="store_true", help="tiny sizes, a smoke test")
    args = p.parse_args(argv)
    sizes = [20, 60] if args.quick else [int(s) for s in args.sizes.split(",")]
    res: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform(), "date": dt.datetime.now().isoformat(timespec="seconds")}}
    with tempfile.TemporaryDirectory(prefix="plans-bench-") as tmp:
        work = Path(tmp)
        builds = [bench_build(n, work) for n in sizes]
        small, large = builds[0], builds[-1]
        res["builds"] = builds
        res[f"build_s_{small['n']}"] = small["build_s"]
        res[f"build_s_{large['n']}"] = large["build_s"]
        res[f"peak_rss_mb_{large['n']}"] = large["peak_rss_mb"]
        res["scaling_ratio"] = large["build_s"] / small["build_s"]
        res[f"floor_s_{large['n']}"] = large["floor_s"]
        res["build_over_floor"] = large["build_s"] / large["floor_s"]
        res["query_ms"] = bench_queries(Path(large["db"]))
        if not args.skip_report:
            rep = bench_report(work)
            res["report_s"], res["report_floor_s"] = rep["report_s"], rep["report_floor_s"]
            res["report_bytes"] = {k: v["report_bytes"] for k, v in rep["pages"].items()}
            res["embedded_js_bytes"] = {k: v["embedded_js_bytes"] for k, v in rep["pages"].items()}
            res["report_data_bytes"] = {k: v["data_bytes"] for k, v in rep["pages"].items()}
            res["report_ratio"] = {k: v["ratio"] for k, v in rep["pages"].items()}
    for b in res["builds"]:
        b.pop("db", None)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(res)
    return 0


def print_table(res: dict) -> None:
    print(f"\n{'N':>6} {'build s':>8} {'peak MB':>8} {'MB/s':>6} {'rows':>8} {'rows/s':>8} {'floor s':>8} {'×floor':>7} {'recall':>7}")
    for b in res["builds"]:
        print(f"{b['n']:>6} {b['build_s']:>8.2f} {b['peak_rss_mb']:>8.0f} {b['mb_per_s']:>6.2f} {b['rows']:>8} "
              f"{b['rows_per_s']:>8.0f} {b['floor_s']:>8.2f} {b['build_s'] / b['floor_s']:>7.1f} {b['recall']['recall']:>7.3f}")
    print(f"scaling ratio {res['scaling_ratio']:.2f} (target ≤ 12); build under 60 s: "
          f"{'yes' if max(b['build_s'] for b in res['builds']) < 60 else 'NO'}; "
          f"peak under 2 GB: {'yes' if max(b['peak_rss_mb'] for b in res['builds']) < 2048 else 'NO'}")
    slow = {k: v for k, v in res["query_ms"].items() if v >= 100}
    print(f"queries: median {statistics.median(res['query_ms'].values()):.1f} ms, max "
          f"{max(res['query_ms'].values()):.1f} ms ({max(res['query_ms'], key=res['query_ms'].get)}); "
          f"over 100 ms: {', '.join(slow) or 'none'}")
    if "report_s" in res:
        print(f"report: {res['report_s']:.1f} s (empty-notebook floor {res['report_floor_s']:.1f} s)")
        print("  page (bytes: report, embedded js, data; report ÷ (js + data), target ≤ 1.3)")
        for k, v in res["report_bytes"].items():
            ratio = res["report_ratio"][k]
            print(f"  {k:<36} {v:>10,} {res['embedded_js_bytes'][k]:>10,} {res['report_data_bytes'][k]:>9,}  ×{ratio:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
