"""Benchmark of rebuilds (issue 14): what a rebuild costs after a full build of the same corpus.

For a corpus already built once (its cache and database in `work`): a no-op rebuild, adding one
document, and editing the registry, each a `plans build` subprocess measured like the full build
(wall time, peak memory of the process tree sampled with psutil). Also the floor of the corpus's own
file types (read + decode text; pypdfium2 plain text of the PDFs; the XML text of the Word files) and
the shares of each file type. Used by bench/run.py; nothing here asserts a target.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
# issue 14: a no-op rebuild ≤ 10 % of the full build, one document or a registry edit < 5 s, the full
# build ≤ 10 × its floor, peak memory of the process tree < 1 GB
LIMITS = {"noop_ratio": 0.10, "add_one_s": 5.0, "registry_edit_s": 5.0, "build_over_floor": 10.0, "peak_rss_mb": 1024.0}


def tree_rss_mb(proc) -> float:
    """Resident memory of a psutil process and all its descendants, in MB."""
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def run_sampled(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak MB of the process tree (workers included), sampled every 20 ms with psutil.
    The CPU seconds of the tree (user + system) are in `proc.cpu_s`: on a shared machine wall time
    depends on the others' load, CPU time much less."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            env={**os.environ, **(env or {})})
    ps = psutil.Process(proc.pid)
    peak, stop = 0.0, threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, tree_rss_mb(ps))
            except psutil.NoSuchProcess:
                return
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    done.cpu_s = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, peak, done


def documents(raw: Path) -> list[Path]:
    return sorted(p for p in Path(raw).iterdir() if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)


def format_shares(raw: Path) -> dict[str, float]:
    """File type → share of the corpus's documents."""
    docs = documents(raw)
    counts: dict[str, int] = {}
    for p in docs:
        counts[p.suffix.lower().lstrip(".")] = counts.get(p.suffix.lower().lstrip("."), 0) + 1
    return {k: round(v / len(docs), 4) for k, v in sorted(counts.items())} if docs else {}


def file_floor(raw: Path) -> dict:
    """The floor by file type, in this process: read every file; decode text files; pypdfium2 plain text
    of every PDF page; the text runs of every Word file. Returns seconds, bytes and PDF pages."""
    from analysis.ingest.encoding import decode_bytes

    out = {"read_decode_s": 0.0, "pdf_text_s": 0.0, "docx_text_s": 0.0, "bytes": 0, "pdf_pages": 0}
    for p in documents(raw):
        t0 = time.perf_counter()
        data = p.read_bytes()
        out["bytes"] += len(data)
        suffix = p.suffix.lower()
        if suffix == ".pdf":
            out["pdf_pages"] += _pdf_text(data)
            out["pdf_text_s"] += time.perf_counter() - t0
        elif suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", z.read("word/document.xml").decode("utf-8")))
            out["docx_text_s"] += time.perf_counter() - t0
        else:
            decode_bytes(data)
            out["read_decode_s"] += time.perf_counter() - t0
    out["floor_files_s"] = out["read_decode_s"] + out["pdf_text_s"] + out["docx_text_s"]
    out["pdf_floor_pages_per_s"] = out["pdf_pages"] / out["pdf_text_s"] if out["pdf_pages"] else None
    return out


def _pdf_text(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            page.get_textpage().get_text_range()
        return len(pdf)
    finally:
        pdf.close()


def pdf_build_rate(raw: Path, k: int = 40) -> float | None:
    """PDF pages per second through `process_document` (one process) on up to k PDFs; None when the build
    does not read PDFs yet."""
    from analysis.build import process_document

    pdfs = [p for p in documents(raw) if p.suffix.lower() == ".pdf"][:k]
    if not pdfs:
        return None
    pages, t0 = 0, time.perf_counter()
    for p in pdfs:
        if not process_document(p).ok:
            return None
        import pypdfium2 as pdfium

        pages += len(pdfium.PdfDocument(p.read_bytes()))
    return pages / (time.perf_counter() - t0)


def _linked_copy(src: Path, dest: Path) -> Path:
    """A copy of the corpus folder made of hard links (the cached corpus is never modified)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for p in src.iterdir():
        if p.is_file():
            try:
                os.link(p, dest / p.name)
            except OSError:
                shutil.copy2(p, dest / p.name)
    return dest


def _edited_root(work: Path) -> Path:
    """A project root whose registry has one more alias (PLANS_ROOT points the build at it)."""
    root = work / "root-edited"
    shutil.rmtree(root, ignore_errors=True)
    (root / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    shutil.copytree(ROOT / "data" / "curation", root / "data" / "curation")
    shutil.copytree(ROOT / "queries", root / "queries")  # the SQL marts alignment runs
    reg = root / "data" / "reference" / "indicators.yaml"
    text = reg.read_text(encoding="utf-8")
    new = re.sub(r"(\n    aliases: \[)", r"\1基准测试别名, ", text, count=1)
    assert new != text, "no aliases list to edit in indicators.yaml"
    reg.write_text(new, encoding="utf-8")
    return root


def add_document(raw_dir: Path, i: int, seed: int = 1) -> str:
    """Write generated document number i (and its sidecar) into raw_dir, in the corpus's file types;
    returns its file name."""
    import yaml

    from bench.generate_corpus import city_names, make_document

    city, province, level = city_names(i + 1, seed)[i]
    formats = tuple(sorted({p.suffix.lstrip(".") for p in documents(raw_dir)} | {"txt", "html"}))
    name, data, meta, _ = make_document(i, seed, city, province, level, formats)
    (raw_dir / name).write_bytes(data)
    (raw_dir / f"{meta['doc_id']}.meta.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")
    return name


def bench_rebuilds(plans: list[str], raw: Path, db: Path, out: Path, work: Path, n: int, seed: int = 1) -> dict:
    """After a full build of `raw` into `db`/`out`: no-op rebuild, one more document, a registry edit.

    They run in a copy of the corpus folder made of hard links (the cached corpus is never modified), the
    no-op first: so the document is added to a folder the build has seen, as a researcher adds a file."""
    res = {}

    def timed(label: str, raw_dir: Path, env: dict | None = None) -> tuple[float, float, str]:
        wall, peak, proc = run_sampled(plans + ["build", "--raw", str(raw_dir), "--db", str(db), "--out", str(out)],
                                       env=env)
        if proc.returncode != 0:
            raise SystemExit(f"plans build ({label}) failed at N={n}:\n{proc.stderr[-3000:]}")
        res[f"{label}_cpu_s"] = proc.cpu_s
        summary = [ln for ln in proc.stdout.splitlines() if ln.startswith("built ") or "up to date" in ln]
        return wall, peak, summary[-1] if summary else ""

    grown = _linked_copy(raw, work / f"raw-grown-{n}")
    res["noop_rebuild_s"], res["noop_peak_rss_mb"], res["noop_line"] = timed("noop", grown)
    add_document(grown, n, seed)
    res["add_one_s"], res["add_one_peak_rss_mb"], res["add_one_line"] = timed("add_one", grown)
    env = {"PLANS_ROOT": str(_edited_root(work))}
    res["registry_edit_s"], res["registry_edit_peak_rss_mb"], res["registry_edit_line"] = timed("registry_edit", grown, env)
    res["grown_raw"], res["env"] = str(grown), env  # for the report after adding one document (not in the JSON)
    cache = db.parent / "cache"
    res["cache_mb"] = sum(p.stat().st_size for p in cache.iterdir()) / 2**20 if cache.is_dir() else None
    return res


def bench_report_add_one(plans: list[str], b: dict, report_dir: Path, seed: int = 1) -> dict:
    """After a full `plans report` of build `b` into report_dir: add one more document, rebuild, and run
    `plans report` again (it re-executes only the notebooks whose inputs changed). Wall and CPU seconds of
    the report, and how many pages it executed."""
    if not b.get("grown_raw"):
        return {}
    grown, env, n = Path(b["grown_raw"]), b.get("env") or {}, b["n"]
    add_document(grown, n + 1, seed)
    db, out = Path(b["db"]), Path(b["db"]).parent / "out-report-add-one"
    _, _, proc = run_sampled(plans + ["build", "--raw", str(grown), "--db", str(db), "--out", str(out)], env=env)
    if proc.returncode != 0:
        raise SystemExit(f"plans build (report add one) failed at N={n}:\n{proc.stderr[-3000:]}")
    wall, peak, proc = run_sampled(plans + ["report", "--db", str(db), "--out", str(report_dir)])  # as the full one
    if proc.returncode != 0:
        raise SystemExit(f"plans report (add one) failed at N={n}:\n{proc.stderr[-3000:]}")
    m = re.search(r"(\d+) pages reused \(inputs unchanged\), (\d+) to execute", proc.stderr)
    return {f"report_add_one_s_{n}": wall, f"report_add_one_cpu_s_{n}": proc.cpu_s,
            f"report_add_one_peak_rss_mb_{n}": peak,
            f"report_add_one_executed_{n}": int(m.group(2)) if m else None,
            f"report_add_one_reused_{n}": int(m.group(1)) if m else 0}


def rebuild_targets(res: dict) -> dict:
    """The issue's targets at the largest size: value, limit, pass (reported, never asserted)."""
    big = res["builds"][-1]
    n = big["n"]
    out = {}
    if big.get("noop_rebuild_s") is not None:
        out[f"noop_ratio_{n}"] = (big["noop_rebuild_s"] / big["build_s"], LIMITS["noop_ratio"])
        out[f"add_one_s_{n}"] = (big["add_one_s"], LIMITS["add_one_s"])
        out[f"registry_edit_s_{n}"] = (big["registry_edit_s"], LIMITS["registry_edit_s"])
    out[f"build_over_floor_{n}"] = (big["build_over_floor"], LIMITS["build_over_floor"])
    out[f"peak_rss_mb_{n}_issue14"] = (big["peak_rss_mb"], LIMITS["peak_rss_mb"])
    return {k: {"value": v, "limit": lim, "pass": v <= lim if "ratio" in k or "floor" in k else v < lim}
            for k, (v, lim) in out.items()}
