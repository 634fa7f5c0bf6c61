"""Execute the notebooks and publish self-contained HTML reports (``plans report``).

For each notebook in ``notebooks/`` (07-city-profile once per document): execute it with papermill
in a fresh ``python3`` kernel with a timeout, render it with nbconvert's lab template without code
cells and without any CDN script (analysis.publish.offline), and write ``figures/<name>.html``. Then:
``figures/index.html`` (links, build date, data version), ``figures/charts/*.png`` (static plotly
charts via kaleido when a Chromium is available) and ``figures/data/`` (the ``targets`` mart as CSV
and Parquet, with a README documenting every column).

A failing cell fails the build with the notebook and the cell named (:class:`ReportError`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis import columns, config

PROFILE_NOTEBOOK = "07-city-profile"
KERNEL = "python3"
DEFAULT_TIMEOUT = 600
CHROMIUM = "/usr/bin/chromium"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


class ReportError(RuntimeError):
    """A notebook failed: the message names the notebook and the cell."""


@dataclass
class Job:
    notebook: Path
    name: str  # output stem: figures/<name>.html
    parameters: dict
    title: str = ""


@dataclass
class Built:
    name: str
    title: str
    html_path: Path
    size: int
    seconds: float
    charts: list[Path] = field(default_factory=list)
    n_plotly: int = 0
    n_echarts: int = 0


# --------------------------------------------------------------------------- jobs


def notebook_title(path: Path) -> str:
    """The first ``# `` heading of the notebook's first Markdown cell (else the file stem)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
            break
    return Path(path).stem


def document_ids(db_path: Path) -> list[tuple[str, str]]:
    """(doc_id, city_label) of every document, in doc_id order."""
    from analysis.warehouse.db import connect

    con = connect(db_path)
    try:
        return [tuple(r) for r in con.execute(
            "SELECT doc_id, city_label FROM documents ORDER BY doc_id").fetchall()]
    finally:
        con.close()


def plan_jobs(db_path: Path, notebooks_dir: Path = config.NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Job]:
    jobs: list[Job] = []
    for nb in sorted(Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb")):
        if only and nb.stem not in only:
            continue
        title = notebook_title(nb)
        if nb.stem == PROFILE_NOTEBOOK:
            for doc_id, label in document_ids(db_path):
                jobs.append(Job(nb, f"city-{doc_id}", {"db_path": str(db_path), "doc_id": doc_id},
                                f"{title}: {label}"))
        else:
            jobs.append(Job(nb, nb.stem, {"db_path": str(db_path)}, title))
    return jobs


# --------------------------------------------------------------------------- execute + render


def execute_notebook(job: Job, executed_dir: Path, timeout: int = DEFAULT_TIMEOUT):
    """Run one notebook in a fresh kernel; raise ReportError naming the notebook and cell."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    executed_dir.mkdir(parents=True, exist_ok=True)
    out = executed_dir / f"{job.name}.ipynb"
    try:
        return pm.execute_notebook(
            str(job.notebook), str(out), parameters=job.parameters, kernel_name=KERNEL,
            execution_timeout=timeout, progress_bar=False, log_output=False,
            cwd=str(job.notebook.parent), request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        raise ReportError(
            f"{job.notebook.name} ({job.name}): cell {exc.cell_index} (execution count {exc.exec_count}) "
            f"failed: {exc.ename}: {exc.evalue}\n  executed notebook with the traceback: {out}") from None
    except Exception as exc:  # kernel died, timeout, missing kernel …
        raise ReportError(f"{job.notebook.name} ({job.name}): {type(exc).__name__}: {exc}") from exc


def render_html(nb, title: str, banner: str) -> str:
    from analysis.publish.offline import html_exporter

    nb.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    nav = (f'<nav class="plans-source" style="margin:8px 0 0 0"><a href="index.html">← 全部报告 all reports</a>'
           f" · {html.escape(banner)}</nav>")
    return body.replace("<main>", "<main>\n" + nav, 1)


def plotly_figures(nb) -> list[dict]:
    figs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                figs.append(data[PLOTLY_MIME])
    return figs


def count_echarts(nb) -> int:
    return sum(1 for cell in nb.cells for out in cell.get("outputs", [])
               if "echarts.init(" in str(out.get("data", {}).get("text/html", "")))


def run_job(job: Job, out_dir: Path, timeout: int, banner: str) -> Built:
    t0 = time.perf_counter()
    nb = execute_notebook(job, out_dir / "executed", timeout)
    page = render_html(nb, job.title, banner)
    path = out_dir / f"{job.name}.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    figs = plotly_figures(nb)
    (out_dir / "executed" / f"{job.name}.plotly.json").write_text(json.dumps(figs), encoding="utf-8")
    return Built(job.name, job.title, path, path.stat().st_size, time.perf_counter() - t0,
                 n_plotly=len(figs), n_echarts=count_echarts(nb))


# --------------------------------------------------------------------------- static charts


def chromium_path() -> str | None:
    found = os.environ.get("BROWSER_PATH") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    return found or shutil.which("chromium") or shutil.which("chromium-browser")


def write_static_charts(built: list[Built], out_dir: Path) -> list[Path]:
    """One PNG per plotly chart (kaleido + Chromium). Returns the files written ([] without Chromium)."""
    browser = chromium_path()
    if browser is None:
        print("static charts skipped: no Chromium (apt-get install chromium; or set BROWSER_PATH)", file=sys.stderr)
        return []
    os.environ.setdefault("BROWSER_PATH", browser)
    import plotly.io as pio

    charts_dir = out_dir / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    figs, paths = [], []
    for b in built:
        src = out_dir / "executed" / f"{b.name}.plotly.json"
        for k, fig in enumerate(json.loads(src.read_text(encoding="utf-8")), start=1):
            figs.append(fig)
            paths.append(charts_dir / f"{b.name}-{k:02d}.png")
            b.charts.append(paths[-1])
    if figs:
        try:
            pio.write_images(figs, paths, format="png", width=1100, scale=1.5, validate=False)
        except Exception as exc:  # kaleido/Chromium trouble must not hide the HTML reports
            print(f"static charts failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return []
    return paths


# --------------------------------------------------------------------------- data + index

TARGET_COLUMNS = columns.descriptions("targets")  # from the column contract


def export_data(db_path: Path, out_dir: Path) -> tuple[list[Path], str]:
    """figures/data/targets.{csv,parquet} + README.md; returns (files, data version)."""
    from analysis.warehouse.db import connect

    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    con = connect(db_path)
    try:
        from analysis.align import export_targets  # the one export of `targets` (columns and order from the contract)

        csv, parquet = export_targets(con, data_dir)
        cols = columns.column_names("targets")
        docs = con.execute("SELECT * FROM documents ORDER BY doc_id").df()
    finally:
        con.close()
    raw_sha = hashlib.sha256("\n".join(f"{d} {s}" for d, s in zip(docs["doc_id"], docs["sha256"])).encode()).hexdigest()
    targets_sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    version = f"raw {raw_sha[:12]} · targets {targets_sha[:12]}"
    from analysis.publish.bundle import write_bundle  # README with how-to-cite, LICENSE, TERMS.md, targets.xlsx

    return [csv, parquet, *write_bundle(db_path, data_dir, data_readme(cols, docs), version)], version


def data_readme(cols: list[str], docs) -> str:
    def cell(v) -> str:
        return "" if v is None or v != v else str(v).replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Data behind the reports · 报告所用数据",
        "",
        "`targets.csv` and `targets.parquet` hold the aligned `targets` mart of `data/processed/plans.duckdb`:",
        "one row per document × statement (a value stated in the indicator table and again in prose appears",
        "twice; `preferred` marks the row the charts use). Historical observations (e.g. each year of a 低保",
        "standards table) are rows with a baseline year and value and no target. Both files are regenerated",
        "by `make report` (`plans report`) and are not committed; this README is.",
        "",
        "Percentages are numbers of percent (60 means 60 %). Rural 低保 standards are often stated per year",
        "(元/人/年) and urban ones per month (元/人/月): the reports divide rural annual values by 12 to compare.",
        "",
        "## Columns",
        "",
        "| column | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{c}` | {TARGET_COLUMNS.get(c, 'see docs/architecture.md')} |" for c in cols]
    lines += ["", "## Sources", "", "| doc_id | city | kind | title | document number | issuer | issued |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for d in docs.itertuples(index=False):
        lines.append(f"| `{d.doc_id}` | {cell(d.city_label)} | {cell(d.kind)} | {cell(d.title)} | "
                     f"{cell(d.doc_number)} | {cell(d.issuer)} | {cell(d.issued_date)} |")
    lines += ["", "## How to cite", "",
              "Cite the original document (title, issuer, document number and date above) for any value, and",
              "this suite for the extraction and alignment, with the data version printed on `figures/index.html`:",
              "",
              "> 民政事业“十四五”规划比较 (minzheng-plans), targets extracted from the plan documents listed",
              "> above; data version <raw … · targets …>, built <date>.",
              "",
              "Every row carries the exact `quote` and its offsets (`raw_start`, `raw_end`) in the raw file, so a",
              "value can be checked against its source sentence or table row.", ""]
    return "\n".join(lines)


def git_revision() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=config.ROOT, capture_output=True,
                             text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_index(built: list[Built], out_dir: Path, *, built_at: str, version: str, revision: str,
                data_files: list[Path]) -> Path:
    rows = []
    for b in built:
        png = " ".join(f'<a href="charts/{html.escape(p.name)}">PNG {i}</a>' for i, p in enumerate(b.charts, 1))
        rows.append(f'<tr><td><a href="{html.escape(b.html_path.name)}">{html.escape(b.title)}</a></td>'
                    f"<td>{html.escape(b.html_path.name)}</td><td class=num>{b.size:,}</td>"
                    f"<td class=num>{b.n_plotly + b.n_echarts}</td><td>{png}</td></tr>")
    data = " · ".join(f'<a href="data/{html.escape(p.name)}">{html.escape(p.name)}</a>' for p in data_files)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>民政事业“十四五”规划比较 · Reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #ddd; padding: 6px; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }} .meta {{ color: #555; font-size: 14px; }}
</style></head>
<body>
<h1>民政事业“十四五”规划比较<br><small>Comparing cities' civil-affairs 14th Five-Year Plans</small></h1>
<p class="meta">构建时间 Built: {html.escape(built_at)} · 数据版本 Data version: {html.escape(version)}
 · 代码 Code: {html.escape(revision)}</p>
<p class="meta">数据 Data: {data}. 每个数值均附原文引文 Every value carries its source quote.</p>
<table><thead><tr><th>报告 Report</th><th>文件 File</th><th>字节 Bytes</th><th>图表 Charts</th><th>静态图 Static</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- entry points


def build_reports(db_path: Path = config.DB_PATH, out_dir: Path = config.FIGURES_DIR, *,
                  notebooks_dir: Path = config.NOTEBOOKS_DIR, only: list[str] | None = None,
                  timeout: int = DEFAULT_TIMEOUT, workers: int | None = None, static: bool = True,
                  verbose: bool = True) -> int:
    """Execute every notebook on ``db_path`` and write the reports to ``out_dir``; returns 0.

    Raises ReportError (notebook and cell named) when a notebook fails, FileNotFoundError when the
    database or the echarts cache is missing.
    """
    from analysis.publish.offline import echarts_source

    t0 = time.perf_counter()
    db_path, out_dir = Path(db_path).resolve(), Path(out_dir).resolve()
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no database yet; run `plans build` (or `make report`) first")
    echarts_source()  # fail early, with the fix, when the cache is missing
    out_dir.mkdir(parents=True, exist_ok=True)
    data_files, version = export_data(db_path, out_dir)
    from analysis.publish.passages import write_passage_pages  # value → passage viewer pages (figures/passages/)

    write_passage_pages(db_path, out_dir)
    built_at = dt.datetime.now(dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    banner = f"构建 built {built_at} · 数据版本 data version {version}"
    jobs = plan_jobs(db_path, notebooks_dir, only)
    if not jobs:
        raise ReportError(f"no notebooks found in {notebooks_dir}")
    workers = workers or int(os.environ.get("PLANS_REPORT_WORKERS", 0)) or min(2, os.cpu_count() or 1)
    built: list[Built] = []
    if workers <= 1:
        for job in jobs:
            built.append(run_job(job, out_dir, timeout, banner))
            if verbose:
                print(f"  {built[-1].name}.html  {built[-1].size:>10,} bytes  {built[-1].seconds:5.1f} s", file=sys.stderr)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_job, job, out_dir, timeout, banner) for job in jobs]
            for fut in futures:  # in job order; the first failure raises with its notebook named
                built.append(fut.result())
                if verbose:
                    print(f"  {built[-1].name}.html  {built[-1].size:>10,} bytes  {built[-1].seconds:5.1f} s",
                          file=sys.stderr)
    if static:
        paths = write_static_charts(built, out_dir)
        if verbose and paths:
            print(f"  {len(paths)} static charts in {out_dir / 'charts'}", file=sys.stderr)
    index = write_index(built, out_dir, built_at=built_at, version=version, revision=git_revision(),
                        data_files=data_files)
    if verbose:
        print(f"wrote {len(built)} reports and {index} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m analysis.publish.report", description=__doc__.splitlines()[0])
    p.add_argument("--db", default=str(config.DB_PATH))
    p.add_argument("--out", default=str(config.FIGURES_DIR))
    p.add_argument("--only", action="append", help="notebook stem to run (repeatable)")
    p.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell (default %(default)s)")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--no-static", action="store_true", help="skip the PNG charts")
    args = p.parse_args(argv)
    try:
        return build_reports(Path(args.db), Path(args.out), only=args.only, timeout=args.timeout,
                             workers=args.workers, static=not args.no_static)
    except (ReportError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
