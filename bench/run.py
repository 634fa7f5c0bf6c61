"""National-scale benchmark (`make bench`): can a researcher rebuild everything in about a minute?

For each size N (default 300 and 3,300 generated documents, cached in `.cache/bench/`; PDF, Word, HTML
and text in the shares of bench/formats.py unless `--formats` says otherwise):
`plans build` in a subprocess (wall time, peak memory of the process tree, MB/s, rows/s), next to
the floor measured in the same run (read + decode the same bytes; interpreter start with the
project's imports), and extraction recall against the generator's truth. Then every query in
`queries/` on the largest database (median of repeated runs), `plans report` next to executing an
empty notebook as many times, and each report's bytes next to its embedded JavaScript and data.
Prints a table and writes `figures/bench/results.json`. Targets are reported, never asserted.

    .venv/bin/python bench/run.py [--sizes 300,3300] [--skip-report] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
CACHE = ROOT / ".cache" / "bench"
RESULTS = ROOT / "figures" / "bench" / "results.json"
QUICK_SIZES = (20, 60)
TARGETS = {"build_s": 60.0, "peak_rss_mb": 2048.0, "scaling_ratio": 12.0, "query_ms": 100.0, "report_ratio": 1.3,
           "search_ms": 200.0}


# ---------------------------------------------------------------- measuring a subprocess
def _plans() -> list[str]:
    exe = BIN / "plans"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis"]


def has_build_cli() -> bool:
    try:
        return subprocess.run(_plans() + ["build", "--help"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# ---------------------------------------------------------------- corpus
def corpus(n: int, seed: int = 1, formats: tuple[str, ...] = ("txt", "html")) -> tuple[Path, float | None]:
    """The generated corpus of n documents in the given file types (cached; named by the generator's fingerprint)."""
    from bench.generate_corpus import fingerprint, generate

    tag = "" if set(formats) == {"txt", "html"} else "-" + "+".join(sorted(formats))
    d = CACHE / f"n{n}-s{seed}{tag}-{fingerprint()}"
    if (d / "truth.json").exists():
        return d, None
    for stale in CACHE.glob(f"n{n}-s{seed}{tag}-*"):  # corpora of an older generator
        shutil.rmtree(stale, ignore_errors=True)
    print(f"generating {n} documents ({', '.join(formats)}) into {d} …", file=sys.stderr)
    t0 = time.perf_counter()
    tmp = d.with_name(d.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    generate(n, seed, tmp, formats)
    tmp.rename(d)
    return d, time.perf_counter() - t0


# ---------------------------------------------------------------- floors
def decode_floor(raw: Path) -> tuple[float, int]:
    """Read and decode every raw file once, in this process (no cleaning): the I/O + decoding floor."""
    from analysis.ingest import list_documents

    try:
        from analysis.ingest.encoding import decode_bytes
    except ImportError:  # pragma: no cover - the decoder moved
        decode_bytes = None
    t0 = time.perf_counter()
    n = 0
    for p in list_documents(raw):
        data = p.read_bytes()
        n += len(data)
        if p.suffix.lower() not in (".txt", ".md", ".html", ".htm"):
            continue  # PDF and Word files have no text encoding: their floor is file_floor's
        if decode_bytes is not None:
            decode_bytes(data)
        else:
            data.decode("utf-8", errors="replace")
    return time.perf_counter() - t0, n


def import_floor(repeat: int = 3) -> float:
    """Interpreter start with the project's build imports (median of a few runs)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import analysis.build, analysis.align"], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---------------------------------------------------------------- build
def bench_build(n: int, workdir: Path, seed: int = 1, formats: tuple[str, ...] = ("txt", "html", "pdf", "docx"),
                rebuilds: bool = True) -> dict:
    from bench.rebuilds import bench_rebuilds, file_floor, format_shares, pdf_build_rate, run_sampled

    raw, gen_s = corpus(n, seed, formats)
    db = workdir / f"n{n}" / "plans.duckdb"  # its cache is created beside it: the full build starts cold
    db.parent.mkdir(parents=True, exist_ok=True)
    out = workdir / f"out{n}"
    wall, peak, proc = run_sampled(_plans() + ["build", "--raw", str(raw), "--db", str(db), "--out", str(out)])
    if proc.returncode != 0:
        raise SystemExit(f"plans build failed at N={n}:\n{proc.stderr[-3000:]}")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows, tables, docs, failed = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE source_kind = 'table'), (SELECT count(*) FROM documents), "
        "(SELECT count(*) FROM build_log WHERE status <> 'ok') FROM raw_targets").fetchall()[0]
    con.close()
    floor_decode, _ = decode_floor(raw)
    files = file_floor(raw)
    floor_import = import_floor()
    floor = files["floor_files_s"] + floor_import
    res = {"n": n, "documents": docs, "failed": failed, "generate_s": gen_s, "build_s": wall, "peak_rss_mb": peak,
           "bytes": files["bytes"], "mb_per_s": files["bytes"] / 1e6 / wall, "rows": rows, "rows_per_s": rows / wall,
           "build_cpu_s": proc.cpu_s, "table_rows": tables, "floor_decode_s": floor_decode, "floor_import_s": floor_import, "floor_s": floor,
           "floor_files": files, "build_over_floor": wall / floor, "format_shares": format_shares(raw),
           "pdf_pages_per_s": pdf_build_rate(raw), "pdf_floor_pages_per_s": files["pdf_floor_pages_per_s"],
           "recall": recall(raw, db), "db": str(db)}
    if rebuilds:
        res.update(bench_rebuilds(_plans(), raw, db, out, workdir, n, seed))
        res["peak_rss_mb"] = max(peak, res["noop_peak_rss_mb"], res["add_one_peak_rss_mb"], res["registry_edit_peak_rss_mb"])
    return res


def record_rebuilds(res: dict, builds: list[dict]) -> None:
    """Top-level keys of issue 14 for every size: build, floor, no-op, add one, registry edit, peak memory;
    the file types and PDF rates of the largest corpus."""
    for b in builds:
        n = b["n"]
        res[f"build_s_{n}"], res[f"floor_s_{n}"], res[f"peak_rss_mb_{n}"] = b["build_s"], b["floor_s"], b["peak_rss_mb"]
        for key in ("noop_rebuild_s", "add_one_s", "registry_edit_s", "cache_mb", "noop_cpu_s", "add_one_cpu_s",
                    "registry_edit_cpu_s"):
            if b.get(key) is not None:
                res[f"{key}_{n}"] = b[key]
    large = builds[-1]
    res["format_shares"] = large["format_shares"]
    res["pdf_pages_per_s"], res["pdf_floor_pages_per_s"] = large["pdf_pages_per_s"], large["pdf_floor_pages_per_s"]


# ---------------------------------------------------------------- recall against the generator's truth
@cache
def _converter(cfg: str):
    import opencc

    return opencc.OpenCC(cfg)


@cache
def _name_variants(name: str) -> frozenset[str]:
    """The name as written, and after a simplified → traditional → simplified round trip."""
    out = {name} | {_converter("t2s").convert(_converter(cfg).convert(name)) for cfg in ("s2t", "s2tw")}
    return frozenset(re.sub(r"\s+", "", n) for n in out)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-6


def recall(raw: Path, db: Path) -> dict:
    """Table rows found (by document and name) with the right 2025 target; the share also right in
    baseline, unit and attribute; prose targets found (by document, year and value). Broken down by
    layout, encoding and damage so a weak spot shows where it is."""
    import duckdb

    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(db), read_only=True)
    table: dict[tuple[str, str], list[tuple]] = {}
    prose: dict[str, set[tuple[int, float]]] = {}
    for doc, kind, name, year, value, text, base, unit, attr in con.execute(
            "SELECT doc_id, source_kind, raw_name, target_year, target_value, target_text, baseline_value, unit, "
            "attribute FROM raw_targets WHERE source_kind IN ('table', 'prose')").fetchall():
        if kind == "table" and (year in (2025, None)):
            table.setdefault((doc, re.sub(r"\s+", "", name or "")), []).append((value, text, base, unit, attr))
        elif kind == "prose" and value is not None:
            prose.setdefault(doc, set()).add((year, round(value, 6)))
    con.close()
    counts: dict[str, list[int]] = {}  # group → [rows, found, exact, prose, prose_found]

    def add(groups, i, k=1):
        for g in groups:
            counts.setdefault(g, [0, 0, 0, 0, 0])[i] += k

    for doc, t in truth.items():
        groups = ["all", f"layout={t['layout']}", f"encoding={t['encoding']}"] + [f"damage={d}" for d in t.get("damage", [])]
        for row in t["rows"]:
            add(groups, 0)
            names = _name_variants(row["name"])
            hits = [h for nm in names for h in table.get((doc, nm), [])]
            if row["comparator"] == "qualitative":
                good = [h for h in hits if re.sub(r"\s+", "", h[1] or "") in _name_variants(row["text"])]
            else:
                good = [h for h in hits if _close(h[0], row["target"])]
            if good:
                add(groups, 1)
                if any(_close(h[2], row["baseline"]) and h[3] == row["unit"] and h[4] == row["attribute"] for h in good):
                    add(groups, 2)
        for p in t.get("prose", []):
            add(groups, 3)
            if (p["target_year"], round(p["value"], 6)) in prose.get(doc, set()):
                add(groups, 4)
    out = {}
    for g, (rows, found, exact, pn, pf) in sorted(counts.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        out[g] = {"table_rows": rows, "found": found, "table_recall": found / rows if rows else None,
                  "exact": exact / rows if rows else None, "prose_targets": pn,
                  "prose_recall": pf / pn if pn else None}
    return out


# ---------------------------------------------------------------- queries
REPORT_PARAMS = {"indicator_id": "nursing_bed_share", "target_year": 2025, "domain": "养老服务",
                 "growth_id": "dibao_growth", "ratio_id": "dibao_rural_urban_ratio", "share_id": "dibao_consumption_share",
                 "urban_id": "dibao_urban_standard", "rural_id": "dibao_rural_standard"}


def bench_queries(db: Path, repeat: int = 7) -> dict[str, dict] | None:
    """Each query on the database: first (cold) run and the median of `repeat` more, in ms."""
    try:
        from analysis.warehouse.queries import list_queries, parameters, run_query
    except ImportError:
        print("skipping queries: analysis.warehouse.queries is not there yet", file=sys.stderr)
        return None
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    doc = con.execute("SELECT min(doc_id) FROM documents").fetchall()[0][0]
    out = {}
    for name in list_queries():
        params = {p: doc for p, (_, default) in parameters(name).items() if p == "doc_id" and default is None}
        # the parameters a report names itself (indicator ids, the plan horizon), as the notebooks pass them
        params |= {p: v for p, v in REPORT_PARAMS.items() if p in parameters(name) and parameters(name)[p][1] is None}
        times = []
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            df = run_query(con, name, **params)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"cold_ms": times[0], "median_ms": statistics.median(times[1:]), "rows": len(df)}
    con.close()
    return out


# ---------------------------------------------------------------- reports
def bench_report(workdir: Path) -> dict:
    """`plans report` on the seed database (what `make report` runs) into a temporary folder."""
    from analysis import config
    from bench.rebuilds import run_sampled

    if not Path(config.DB_PATH).exists():
        subprocess.run(_plans() + ["build"], check=True, cwd=ROOT, capture_output=True)
    out = workdir / "figures"
    wall, peak, proc = run_sampled(_plans() + ["report", "--db", str(config.DB_PATH), "--out", str(out)], cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"plans report failed:\n{proc.stderr[-3000:]}")
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    floor = empty_notebook_floor(len(pages), workdir)
    libraries = embedded_libraries()
    sizes = {}
    from analysis.publish.offline import expand_page

    for p in pages:
        html = expand_page(p.read_text(encoding="utf-8"))  # the page as the browser runs it
        js = sum(n for marker, n in libraries if html.count(marker))
        data = data_bytes(html)
        size = len(html.encode("utf-8"))
        sizes[p.stem] = {"report_bytes": size, "stored_bytes": p.stat().st_size, "embedded_js_bytes": js,
                         "data_bytes": data, "ratio": size / (js + data) if js + data else None}
    return {"report_s": wall, "report_peak_rss_mb": peak, "report_floor_s": floor, "notebooks": len(pages),
            "pages": sizes}


def embedded_libraries() -> list[tuple[str, int]]:
    """(a distinctive slice of the library's source, its size in bytes) for plotly.js and echarts."""
    from plotly.offline import get_plotlyjs

    out = []
    sources = [get_plotlyjs()]
    echarts = ROOT / ".cache" / "echarts.min.js"
    if echarts.exists():
        sources.append(echarts.read_text(encoding="utf-8"))
    for src in sources:
        mid = len(src) // 2
        out.append((src[mid: mid + 400], len(src.encode("utf-8"))))
    return out


def data_bytes(html: str) -> int:
    """Bytes of the page's own data: HTML tables, plotly figure calls, echarts options, JSON data elements."""
    tables = sum(len(m.encode("utf-8")) for m in re.findall(r"<table\b.*?</table>", html, flags=re.S))
    calls = sum(len(m.encode("utf-8")) for m in re.findall(r"Plotly\.newPlot\(.*?\n|var option_\w+ = .*?\n", html))
    blobs = sum(len(m.encode("utf-8")) for m in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>',
                                                          html, flags=re.S))
    return tables + calls + blobs


_FLOOR_SCRIPT = """
import sys
from concurrent.futures import ProcessPoolExecutor
import papermill as pm
def run(i):
    pm.execute_notebook(sys.argv[1], f"{sys.argv[2]}/empty-{i}.ipynb", kernel_name="python3", progress_bar=False,
                        log_output=False)
with ProcessPoolExecutor(max_workers=int(sys.argv[4])) as pool:
    list(pool.map(run, range(int(sys.argv[3]))))
"""


def empty_notebook_floor(n: int, workdir: Path, workers: int | None = None) -> float:
    """Execute an empty notebook n times with papermill, as many at a time as the report does."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    path = workdir / "empty.ipynb"
    nbformat.write(nb, path)
    workers = workers or int(os.environ.get("PLANS_REPORT_WORKERS", 0)) or min(2, os.cpu_count() or 1)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _FLOOR_SCRIPT, str(path), str(workdir), str(n), str(workers)], check=True,
                   capture_output=True)
    return time.perf_counter() - t0


# ---------------------------------------------------------------- profile
def profile_documents(raw: Path, k: int = 20, top: int = 25) -> list[dict]:
    """cProfile of `process_document` over the k largest documents: the hot spots by own time."""
    import cProfile
    import pstats

    from analysis.build import process_document
    from analysis.ingest import list_documents

    paths = sorted(list_documents(raw), key=lambda p: p.stat().st_size, reverse=True)[:k]
    process_document(paths[-1])  # warm caches (registry, converters) out of the profile
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for p in paths:
        process_document(p)
    prof.disable()
    total = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _) in stats.stats.items():
        rows.append({"function": f"{Path(file).name}:{line}:{func}", "calls": nc, "own_s": tt, "cumulative_s": ct})
    rows.sort(key=lambda r: r["own_s"], reverse=True)
    print(f"\nprofile: {k} largest documents in {total:.2f} s (one process); top functions by own time")
    for r in rows[:top]:
        print(f"  {r['own_s']:7.3f} s own {r['cumulative_s']:7.3f} s cum {r['calls']:>9,}  {r['function']}")
    return [{"total_s": total, "documents": k}] + rows[:top]


# ---------------------------------------------------------------- main
def _machine() -> dict:
    mem = None
    try:
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {"cores": os.cpu_count(), "memory_gib": mem, "python": platform.python_version(),
            "platform": platform.platform(), "date": dt.datetime.now().isoformat(timespec="seconds")}


def targets(res: dict) -> dict:
    """Each target with its value, limit and pass/fail (reported, never asserted)."""
    large = res["builds"][-1]
    out = {
        f"build_s_{large['n']}": (large["build_s"], TARGETS["build_s"]),
        f"peak_rss_mb_{large['n']}": (large["peak_rss_mb"], TARGETS["peak_rss_mb"]),
    }
    if len(res["builds"]) > 1:
        out["scaling_ratio"] = (res["scaling_ratio"], TARGETS["scaling_ratio"])
    if res.get("query_ms"):
        out["query_ms_max"] = (max(res["query_ms"].values()), TARGETS["query_ms"])
    if res.get("search_ms"):
        out["search_ms_max"] = (max(res["search_ms"].values()), TARGETS["search_ms"])
    if res.get("report_ratio"):
        out["report_ratio_max"] = (max(v for v in res["report_ratio"].values() if v is not None), TARGETS["report_ratio"])
    from bench.report_scale import scale_targets  # issue 13: report time, folder and page size, first chart

    out.update(scale_targets(res))
    return {k: {"value": v, "limit": lim, "pass": v <= lim if k.startswith("scaling") or k.startswith("report")
                else v < lim} for k, (v, lim) in out.items()}


def main(argv=None) -> int:
    global CACHE
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="300,3300", help="corpus sizes, comma-separated (default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default: %(default)s)")
    p.add_argument("--skip-report", action="store_true", help="skip `plans report` and the report sizes")
    p.add_argument("--quick", action="store_true",
                   help=f"tiny sizes ({', '.join(map(str, QUICK_SIZES))}), a smoke test; results go to .cache/bench/")
    p.add_argument("--profile", action="store_true", help="also cProfile the largest documents of the largest corpus")
    p.add_argument("--formats", default="all",
                   help="file types of the generated corpora: txt,html,pdf,docx, or `all` this machine can make, in "
                        "the shares government sites publish (bench/formats.py SHARES; default: %(default)s)")
    p.add_argument("--skip-rebuilds", action="store_true", help="skip the no-op / add-one / registry-edit rebuilds")
    p.add_argument("--json", default=None, help=f"results file (default: {RESULTS.relative_to(ROOT)})")
    p.add_argument("--cache", default=None, help=f"where generated corpora are kept (default: {CACHE.relative_to(ROOT)})")
    args = p.parse_args(argv)
    if args.cache:
        CACHE = Path(args.cache).resolve()
    sizes = list(QUICK_SIZES) if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    out_json = Path(args.json) if args.json else (CACHE / "results-quick.json" if args.quick else RESULTS)
    if not has_build_cli():
        print("error: `plans build` is not available (install the project: make venv)", file=sys.stderr)
        return 2
    from bench.formats import parse_formats

    try:
        formats = parse_formats(args.formats)
    except ValueError as exc:
        p.error(str(exc))
    res: dict = {"machine": _machine(), "sizes": sizes, "seed": args.seed, "quick": args.quick, "formats": formats}
    with tempfile.TemporaryDirectory(prefix="plans-bench-") as tmp:
        work = Path(tmp)
        builds = []
        for n in sizes:
            builds.append(bench_build(n, work, args.seed, formats, rebuilds=not args.skip_rebuilds))
            b = builds[-1]
            print(f"N={n}: build {b['build_s']:.2f} s, peak {b['peak_rss_mb']:.0f} MB, "
                  f"table recall {b['recall']['all']['table_recall']:.3f}", file=sys.stderr)
        small, large = builds[0], builds[-1]
        res["builds"] = builds
        for b in builds:
            res[f"build_s_{b['n']}"] = b["build_s"]
        res[f"peak_rss_mb_{large['n']}"] = large["peak_rss_mb"]
        res["max_child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest single process
        res["scaling_ratio"] = large["build_s"] / small["build_s"] if len(builds) > 1 else None
        res["size_ratio"] = large["n"] / small["n"] if len(builds) > 1 else None
        res[f"floor_s_{large['n']}"] = large["floor_s"]
        res["build_over_floor"] = large["build_over_floor"]
        res["recall"] = large["recall"]
        record_rebuilds(res, builds)
        timings = bench_queries(Path(large["db"]), repeat=3 if args.quick else 7)
        if timings is not None:
            res["query_ms"] = {k: v["median_ms"] for k, v in timings.items()}
            res["query_cold_ms"] = {k: v["cold_ms"] for k, v in timings.items()}
            res["query_rows"] = {k: v["rows"] for k, v in timings.items()}
        from analysis.warehouse.search import benchmark as bench_search  # plans search, median ms per query
        from analysis.warehouse.search import benchmark_cli

        detail = bench_search(Path(large["db"]), repeat=3 if args.quick else 7, cpu=True)
        res["search_ms"] = {k: v["wall_ms"] for k, v in detail.items()}  # in-process, warm, wall
        res["search_cpu_ms"] = {k: v["cpu_ms"] for k, v in detail.items()}
        res[f"search_ms_{large['n']}"] = max(res["search_ms"].values())
        res[f"search_cpu_ms_{large['n']}"] = max(res["search_cpu_ms"].values())
        cli = benchmark_cli(Path(large["db"]))  # `plans search`: interpreter, imports, connect, query, print
        res[f"search_cli_wall_ms_{large['n']}"], res[f"search_cli_cpu_ms_{large['n']}"] = cli["wall_ms"], cli["cpu_ms"]
        if args.profile:
            res["profile"] = profile_documents(corpus(large["n"], args.seed, formats)[0])
        if not args.skip_report:
            rep = bench_report(work)
            res["report_s"], res["report_floor_s"] = rep["report_s"], rep["report_floor_s"]
            res["report_peak_rss_mb"], res["report_notebooks"] = rep["report_peak_rss_mb"], rep["notebooks"]
            res["report_bytes"] = {k: v["report_bytes"] for k, v in rep["pages"].items()}
            res["report_stored_bytes"] = {k: v["stored_bytes"] for k, v in rep["pages"].items()}
            res["embedded_js_bytes"] = {k: v["embedded_js_bytes"] for k, v in rep["pages"].items()}
            res["report_data_bytes"] = {k: v["data_bytes"] for k, v in rep["pages"].items()}
            res["report_ratio"] = {k: v["ratio"] for k, v in rep["pages"].items()}
            from bench.report_scale import bench_report_scale  # time, CPU, MB, largest page, first drawn chart

            res.update(bench_report_scale(builds, work))
    for b in res["builds"]:
        for key in ("db", "grown_raw", "env"):
            b.pop(key, None)
    res["targets"] = targets(res)
    from bench.rebuilds import rebuild_targets

    res["targets"].update(rebuild_targets(res))
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(res)
    print(f"\nwrote {out_json}")
    return 0


def print_rebuilds(res: dict) -> None:
    print(f"\n{'N':>6} {'full s':>8} {'no-op s':>8} {'add one s':>10} {'registry s':>11} {'cache MB':>9}  file types")
    for b in res["builds"]:
        if b.get("noop_rebuild_s") is None:
            continue
        shares = ", ".join(f"{k} {v:.0%}" for k, v in b["format_shares"].items())
        print(f"{b['n']:>6} {b['build_s']:>8.2f} {b['noop_rebuild_s']:>8.2f} {b['add_one_s']:>10.2f} "
              f"{b['registry_edit_s']:>11.2f} {b['cache_mb'] or 0:>9.0f}  {shares}")


def print_table(res: dict) -> None:
    print(f"\n{'N':>6} {'build s':>8} {'peak MB':>8} {'MB/s':>6} {'rows':>8} {'rows/s':>8} {'floor s':>8} "
          f"{'×floor':>7} {'recall':>7} {'exact':>6} {'prose':>6}")
    for b in res["builds"]:
        r = b["recall"]["all"]
        print(f"{b['n']:>6} {b['build_s']:>8.2f} {b['peak_rss_mb']:>8.0f} {b['mb_per_s']:>6.2f} {b['rows']:>8} "
              f"{b['rows_per_s']:>8.0f} {b['floor_s']:>8.2f} {b['build_over_floor']:>7.1f} {r['table_recall']:>7.3f} "
              f"{r['exact']:>6.3f} {r['prose_recall']:>6.3f}")
    print_rebuilds(res)
    if res.get("scaling_ratio"):
        print(f"scaling: {res['scaling_ratio']:.2f}× the time for {res['size_ratio']:.0f}× the documents")
    weak = {g: v for g, v in res["recall"].items() if g != "all" and v["table_recall"] is not None
            and v["table_recall"] < 0.95}
    if weak:
        print("table recall under 0.95: " + ", ".join(f"{g} {v['table_recall']:.2f}" for g, v in weak.items()))
    if res.get("query_ms"):
        q = res["query_ms"]
        slow = {k: v for k, v in q.items() if v >= TARGETS["query_ms"]}
        print(f"queries ({len(q)}): median {statistics.median(q.values()):.1f} ms, max {max(q.values()):.1f} ms "
              f"({max(q, key=q.get)}); over {TARGETS['query_ms']:.0f} ms: {', '.join(slow) or 'none'}")
    n = res["builds"][-1]["n"] if res.get("builds") else None
    if res.get(f"search_ms_{n}") is not None:
        print(f"search ({n} documents): slowest query {res[f'search_ms_{n}']:.0f} ms wall, "
              f"{res[f'search_cpu_ms_{n}']:.0f} ms CPU (in-process, warm); `plans search` "
              f"{res[f'search_cli_wall_ms_{n}']:.0f} ms wall, {res[f'search_cli_cpu_ms_{n}']:.0f} ms CPU")
    if "report_s" in res:
        print(f"report: {res['report_s']:.1f} s for {res['report_notebooks']} pages "
              f"(empty-notebook floor {res['report_floor_s']:.1f} s)")
        print(f"  {'page':<36} {'stored':>10} {'bytes':>10} {'js':>10} {'data':>9}  bytes ÷ (js + data)"
              "  (stored: on disk, compressed; bytes: the page as the browser runs it)")
        stored = res.get("report_stored_bytes", {})
        for k, v in res["report_bytes"].items():
            ratio = res["report_ratio"][k]
            print(f"  {k:<36} {stored.get(k, 0):>10,} {v:>10,} {res['embedded_js_bytes'][k]:>10,} "
                  f"{res['report_data_bytes'][k]:>9,}  ×{ratio:.2f}" if ratio else
                  f"  {k:<36} {stored.get(k, 0):>10,} {v:>10,}  (no embedded library or data found)")
    print("targets:")
    for k, t in res["targets"].items():
        print(f"  {'PASS' if t['pass'] else 'FAIL'}  {k} = {t['value']:.2f} (limit {t['limit']:g})")


if __name__ == "__main__":
    raise SystemExit(main())
