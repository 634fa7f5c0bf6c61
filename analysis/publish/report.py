"""Execute the notebooks and publish self-contained HTML reports (``plans report``).

Each notebook in ``notebooks/`` runs with papermill in a fresh ``python3`` kernel with a timeout,
two at a time, and is rendered with nbconvert's lab template without code cells and without any
CDN script (analysis.publish.offline) to ``figures/<name>.html``: the topic notebooks once,
``08-indicator`` once per indicator that two or more documents state (``indicator-<id>.html``),
``09-city-explorer`` once for every document, ``10-versions`` only when the corpus holds a plan in
more than one version (queries/version_pairs.sql), and ``07-city-profile`` only for the documents
asked for (``plans report --city DOC_OR_NAME``: ``city-<doc_id>.html``). Then ``figures/index.html``
(analysis.publish.pages), ``figures/charts/*.png`` (static plotly charts via kaleido when a Chromium
is available) and ``figures/data/`` (the ``targets`` mart as CSV and Parquet, with a README).

A failing cell fails the build with the notebook and the cell named (:class:`ReportError`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import logging
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.publish.pages import export_data, git_revision, write_index

PROFILE_NOTEBOOK = "07-city-profile"
INDICATOR_NOTEBOOK = "08-indicator"
EXPLORER_NOTEBOOK = "09-city-explorer"
VERSIONS_NOTEBOOK = "10-versions"  # only when the corpus holds a plan in two versions (sidecar `supersedes`)
MIN_DOCS = 2  # an indicator gets a page when at least this many documents state it
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
    group: str = "topic"  # topic | indicator | explorer | city (sections of the index page)
    domain: str = ""
    n_docs: int = 0
    share_pct: float = 0.0


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
    group: str = "topic"
    domain: str = ""
    n_docs: int = 0
    share_pct: float = 0.0
    reused: bool = False  # the page of an earlier report, kept because none of its inputs changed


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


def _query(db_path: Path, name: str, **params):
    from analysis.warehouse.db import connect
    from analysis.warehouse.queries import run_query

    con = connect(db_path)
    try:
        return run_query(con, name, **params)
    finally:
        con.close()


def document_ids(db_path: Path) -> list[tuple[str, str]]:
    """(doc_id, city_label) of every document, in doc_id order."""
    df = _query(db_path, "corpus_overview")
    return [(str(d), str(c)) for d, c in zip(df["doc_id"], df["city_label"])]


def match_cities(db_path: Path, wanted: list[str]) -> list[tuple[str, str]]:
    """Documents named by id, id prefix or city name (simplified or traditional); ValueError naming what is unknown."""
    from analysis.publish.picker import t2s_map

    docs = document_ids(db_path)
    t2s = t2s_map([c for _, c in docs])
    norm = lambda s: "".join(t2s.get(ch, ch) for ch in str(s).strip())  # noqa: E731
    out, unknown = [], []
    for w in wanted:
        hit = [d for d in docs if d[0] == w] or [d for d in docs if norm(d[1]) == norm(w)] or \
              [d for d in docs if d[0].startswith(w)]
        (out.extend(h for h in hit if h not in out) if hit else unknown.append(w))
    if unknown:
        raise ValueError(f"--city: no document with id or city {', '.join(map(repr, unknown))}")
    return out


def plan_jobs(db_path: Path, notebooks_dir: Path = config.NOTEBOOKS_DIR, only: list[str] | None = None,
              cities: list[str] | None = None, min_docs: int = MIN_DOCS) -> list[Job]:
    """The jobs of one report build; ``cities`` asks for 07-city-profile pages (none by default)."""
    jobs: list[Job] = []
    for nb in sorted(Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb")):
        if only and nb.stem not in only:
            continue
        title = notebook_title(nb)
        base = {"db_path": str(db_path)}
        if nb.stem == PROFILE_NOTEBOOK:
            for doc_id, label in match_cities(db_path, cities) if cities else []:
                jobs.append(Job(nb, f"city-{doc_id}", {**base, "doc_id": doc_id}, f"{title}: {label}", group="city"))
        elif nb.stem == INDICATOR_NOTEBOOK:
            pages = _query(db_path, "indicator_pages", min_docs=min_docs)
            for r in pages.itertuples(index=False):
                jobs.append(Job(nb, f"indicator-{r.indicator_id}", {**base, "indicator_id": r.indicator_id},
                                f"{r.indicator_zh} · {r.indicator_en}", group="indicator",
                                domain=f"{r.domain or ''} {r.domain_en or ''}".strip(), n_docs=int(r.n_docs),
                                share_pct=float(r.share_pct)))
        elif nb.stem == VERSIONS_NOTEBOOK:
            if len(_query(db_path, "version_pairs")):
                jobs.append(Job(nb, nb.stem, base, title))
        else:
            jobs.append(Job(nb, nb.stem, base, title, group="explorer" if nb.stem == EXPLORER_NOTEBOOK else "topic"))
    if cities and not any(j.group == "city" for j in jobs) and (not only or PROFILE_NOTEBOOK in only):
        raise ValueError(f"--city: {PROFILE_NOTEBOOK}.ipynb is not in {notebooks_dir}")
    return jobs


# --------------------------------------------------------------------------- execute + render


def ipc_kernel_manager():
    """A KernelManager whose kernel talks over IPC sockets (files in the Jupyter runtime folder).

    Over loopback TCP, ipykernel ≥ 7 warns once per kernel that the transport is unencrypted; a local
    report build has no network peer, so local sockets are both quieter and no less safe.
    """
    import tempfile
    import uuid

    from jupyter_client.manager import KernelManager
    from traitlets import default

    class IPCKernelManager(KernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):  # one socket prefix per kernel: kernels running side by side never share one
            return str(Path(tempfile.gettempdir()) / f"plans-kernel-{uuid.uuid4().hex}-ipc")

    return IPCKernelManager


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
            cwd=str(job.notebook.parent), request_save_on_cell_execute=False,
            kernel_manager_class=ipc_kernel_manager(),
            # the kernel logs "KeyboardInterrupt caught in kernel" when its shutdown interrupts it after the last
            # cell: noise a user did not cause (cell errors come back as PapermillExecutionError, not via this log)
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except PapermillExecutionError as exc:
        raise ReportError(
            f"{job.notebook.name} ({job.name}): cell {exc.cell_index} (execution count {exc.exec_count}) "
            f"failed: {exc.ename}: {exc.evalue}\n  executed notebook with the traceback: {out}") from None
    except Exception as exc:  # kernel died, timeout, missing kernel …
        raise ReportError(f"{job.notebook.name} ({job.name}): {type(exc).__name__}: {exc}") from exc


def render_html(nb, title: str, banner: str) -> str:
    from analysis.publish.offline import compress_page, html_exporter

    nb.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    nav = (f'<nav class="plans-source" style="margin:8px 0 0 0"><a href="index.html">← 全部报告 all reports</a>'
           f" · {html.escape(banner)}</nav>")
    return compress_page(body.replace("<main>", "<main>\n" + nav, 1))  # libraries and data, inflated in the page


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
    from analysis.publish.freshness import query_log_path
    from analysis.warehouse.queries import QUERY_LOG_ENV

    t0 = time.perf_counter()
    log = query_log_path(out_dir / "executed", job.name)  # what the notebook reads (analysis/publish/freshness.py)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    os.environ[QUERY_LOG_ENV] = str(log)  # inherited by the kernel
    try:
        nb = execute_notebook(job, out_dir / "executed", timeout)
    finally:
        os.environ.pop(QUERY_LOG_ENV, None)
    page = render_html(nb, job.title, banner)
    path = out_dir / f"{job.name}.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    figs = plotly_figures(nb)
    (out_dir / "executed" / f"{job.name}.plotly.json").write_text(json.dumps(figs), encoding="utf-8")
    if not os.environ.get("PLANS_KEEP_EXECUTED"):  # a failed notebook is kept (with its traceback); a good one
        (out_dir / "executed" / f"{job.name}.ipynb").unlink(missing_ok=True)  # is the page: no second copy
    return Built(job.name, job.title, path, path.stat().st_size, time.perf_counter() - t0,
                 n_plotly=len(figs), n_echarts=count_echarts(nb), group=job.group, domain=job.domain,
                 n_docs=job.n_docs, share_pct=job.share_pct)


# --------------------------------------------------------------------------- what to re-execute


def select_jobs(jobs: list[Job], db_path: Path, out_dir: Path, full: bool = False) -> tuple[list[Job], list[Built]]:
    """(the jobs to execute, the pages reused as they are): a page is reused when it exists and none of the
    inputs its notebook read last time changed (analysis/publish/freshness.py); `full` executes all."""
    from analysis.publish.freshness import plan_reruns
    from analysis.publish.offline import expand_page

    executed = out_dir / "executed"
    stale = set(plan_reruns([(j.name, j.notebook, j.parameters) for j in jobs], db_path, executed, full=full))
    run, reused = [], []
    for job in jobs:
        page, figs = out_dir / f"{job.name}.html", executed / f"{job.name}.plotly.json"
        if job.name in stale or not page.exists() or not figs.exists():
            run.append(job)
            continue
        text = expand_page(page.read_text(encoding="utf-8"))
        reused.append(Built(job.name, job.title, page, page.stat().st_size, 0.0,
                            charts=sorted((out_dir / "charts").glob(f"{job.name}-[0-9][0-9].png")),
                            n_plotly=len(json.loads(figs.read_text(encoding="utf-8"))),
                            n_echarts=text.count("echarts.init("), group=job.group, domain=job.domain,
                            n_docs=job.n_docs, share_pct=job.share_pct, reused=True))
    return run, reused


def record_jobs(jobs: list[Job], db_path: Path, out_dir: Path) -> None:
    from analysis.publish.freshness import record_runs

    record_runs([(j.name, j.notebook, j.parameters) for j in jobs], db_path, out_dir / "executed")


def write_side_files(db_path: Path, out_dir: Path, version: str) -> list[Path]:
    """What the pages link to but no notebook draws: the data bundle (README, licences, targets.xlsx) and the
    value → passage viewer pages (figures/passages/). Returns the data files for the index page."""
    from analysis.publish.pages import write_data_bundle
    from analysis.publish.passages import write_passage_pages

    files = write_data_bundle(db_path, out_dir, version)
    write_passage_pages(db_path, out_dir)
    return files


# --------------------------------------------------------------------------- static charts


def chromium_path() -> str | None:
    found = os.environ.get("BROWSER_PATH") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    return found or shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def quiet_browser_shutdown():
    """Hold back kaleido's browser manager (choreographer) below ERROR: on a busy machine Chromium takes more
    than its 3 s to exit and it logs "Resorting to unclean kill browser." although every PNG was written.
    Errors still print; a failed export raises and is reported by the caller."""
    log = logging.getLogger("choreographer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


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
            with quiet_browser_shutdown():
                pio.write_images(figs, paths, format="png", width=1100, scale=1.5, validate=False)
        except Exception as exc:  # kaleido/Chromium trouble must not hide the HTML reports
            print(f"static charts failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return []
    return paths


# --------------------------------------------------------------------------- entry points


def build_reports(db_path: Path = config.DB_PATH, out_dir: Path = config.FIGURES_DIR, *,
                  notebooks_dir: Path = config.NOTEBOOKS_DIR, only: list[str] | None = None,
                  timeout: int = DEFAULT_TIMEOUT, workers: int | None = None, static: bool = True,
                  verbose: bool = True, cities: list[str] | None = None, min_docs: int = MIN_DOCS,
                  full: bool = False) -> int:
    """Execute every notebook on ``db_path`` and write the reports to ``out_dir``; returns 0.

    With ``cities`` (doc ids, id prefixes or city names, simplified or traditional) only those
    documents' ``city-<doc_id>.html`` pages are written; the index and the other pages stay as they are.
    A notebook is executed only when the inputs it read last time changed (`select_jobs`); its earlier
    page is reused otherwise, and the index says which pages were rebuilt. ``full`` executes every notebook.
    Raises ReportError (notebook and cell named) when a notebook fails, FileNotFoundError when the
    database or the echarts cache is missing, ValueError when a city is unknown.
    """
    from analysis.publish.offline import echarts_source, fflate_source

    t0 = time.perf_counter()
    db_path, out_dir = Path(db_path).resolve(), Path(out_dir).resolve()
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no database yet; run `plans build` (or `make report`) first")
    echarts_source(), fflate_source()  # fail early, with the fix, when a cached library is missing
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = plan_jobs(db_path, notebooks_dir, [PROFILE_NOTEBOOK] if cities else only, cities, min_docs)
    data_files, version = export_data(db_path, out_dir, bundle=False)  # the rest runs beside the notebooks (write_side_files)
    built_at = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    banner = f"构建 built {built_at} · 数据版本 data version {version}"
    if not jobs:
        raise ReportError(f"no notebooks found in {notebooks_dir}")
    workers = workers or int(os.environ.get("PLANS_REPORT_WORKERS", 0)) or min(2, os.cpu_count() or 1)
    all_jobs = jobs
    jobs, reused = select_jobs(all_jobs, db_path, out_dir, full)
    if verbose:  # said every time, so a rebuild shows what it cost
        print(f"  {len(reused)} pages reused (inputs unchanged), {len(jobs)} to execute", file=sys.stderr)
    built: list[Built] = []
    if workers <= 1:
        data_files += write_side_files(db_path, out_dir, version)
        for job in jobs:
            built.append(run_job(job, out_dir, timeout, banner))
            if verbose:
                print(f"  {built[-1].name}.html  {built[-1].size:>10,} bytes  {built[-1].seconds:5.1f} s", file=sys.stderr)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            side = pool.submit(write_side_files, db_path, out_dir, version)  # one worker, while the other runs notebooks
            futures = [pool.submit(run_job, job, out_dir, timeout, banner) for job in jobs]
            for fut in futures:  # in job order; the first failure raises with its notebook named
                built.append(fut.result())
                if verbose:
                    print(f"  {built[-1].name}.html  {built[-1].size:>10,} bytes  {built[-1].seconds:5.1f} s",
                          file=sys.stderr)
            data_files += side.result()
    record_jobs(jobs, db_path, out_dir)
    executed_pages = built
    order = {j.name: i for i, j in enumerate(all_jobs)}
    built = sorted(built + reused, key=lambda b: order[b.name])
    if not cities and not only:  # pages of an earlier build that this one no longer makes
        names = {b.html_path.name for b in built}
        for old in [*out_dir.glob("city-*.html"), *out_dir.glob("indicator-*.html"),
                    *out_dir.glob(f"{VERSIONS_NOTEBOOK}.html")]:
            if old.name not in names:
                old.unlink()
    if static:
        paths = write_static_charts(executed_pages, out_dir)  # a reused page keeps its charts
        if verbose and paths:
            print(f"  {len(paths)} static charts in {out_dir / 'charts'}", file=sys.stderr)
    if cities:
        if verbose:
            print("wrote " + ", ".join(str(b.html_path) for b in built), file=sys.stderr)
        return 0
    index = write_index(built, out_dir, built_at=built_at, version=version, revision=git_revision(),
                        data_files=data_files)
    if verbose:
        print(f"wrote {len(built)} reports and {index} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0
