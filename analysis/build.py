"""`plans build`: every raw document → cleaned text, passages, flags, targets → DuckDB + exports.

Documents are independent, so they are processed in a pool of worker processes and streamed
back in name order; rows are inserted in batches so memory stays flat as the corpus grows. The
database is written to a temporary file and renamed over the old one at the end: an interrupted
build leaves the previous database intact. One unreadable document is reported and skipped.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.clean import DocumentError, clean_document
from analysis.warehouse.db import atomic_database, create_tables, insert_rows, to_arrow
from analysis.extract import Flag, extract_targets
from analysis.extract.lineage import lineage_rows
from analysis.ingest import SidecarError, list_documents, load_sidecar, sha256_file, sidecar_path, sidecar_warnings
from analysis.segment import split_passages

MAX_BYTES = 50 * 1024 * 1024  # a plan document is at most a few MB; larger input is refused unread
BATCH_DOCS = 64


@dataclass
class DocResult:
    doc_id: str
    file_name: str
    ok: bool
    reason: str = ""
    rows: dict = field(default_factory=dict)  # table name → Arrow table
    meta: dict = field(default_factory=dict)
    summary: str = ""


@dataclass
class BuildReport:
    db_path: Path
    results: list[tuple[str, str, str]] = field(default_factory=list)  # (file, status, detail)
    n_ok: int = 0
    n_failed: int = 0
    n_targets: int = 0
    align: object = None

    @property
    def failed(self) -> list[tuple[str, str, str]]:
        return [r for r in self.results if r[1] == "FAILED"]


def city_label(meta: dict, doc_id: str) -> str:
    return meta.get("city") or f"未署名城市 unnamed ({doc_id[:3]})"


def _flag_row(doc_id: str, no: int, stage: str, f, text: str, mapped) -> dict:
    raw_start, raw_end = f.raw_start, f.raw_end
    if f.start is not None and raw_start is None:
        raw_start, raw_end = mapped.raw_span(f.start, f.end or f.start)
    excerpt = f.detail if f.detail else (text[f.start:f.end][:200] if f.start is not None else None)
    return {"doc_id": doc_id, "flag_no": no, "stage": stage, "kind": f.kind, "severity": f.severity,
            "message": f.message, "start": f.start, "end": f.end, "raw_start": raw_start,
            "raw_end": raw_end, "excerpt": excerpt}


def process_document(path: Path) -> DocResult:
    """Read, clean, split and extract one document. Never raises: failures come back as data."""
    path = Path(path)
    doc_id = path.stem
    res = DocResult(doc_id, path.name, ok=False)
    try:
        meta = load_sidecar(sidecar_path(path))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{size / 1e6:.0f} MB is over the {MAX_BYTES // 2**20} MB limit for one document; "
                                "split it or check it is the right file / 文件过大")
        data = path.read_bytes()
        sha = sha256_file(path)
        cleaned = clean_document(data, name=path.name)
        text = cleaned.text
        doc_id = meta.get("doc_id") or doc_id
        res.doc_id = doc_id
        passages = split_passages(text)
        extracted = extract_targets(text, passages)
    except (DocumentError, SidecarError) as exc:
        res.reason = str(exc) if path.name in str(exc) else f"{path.name}: {exc}"
        return res
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the others
        res.reason = f"{path.name}: unexpected {type(exc).__name__}: {exc}"
        return res

    flags = []
    for w in sidecar_warnings(meta, path, sha):
        flags.append(("clean", Flag("sidecar", "warning", w)))
    flags += [("clean", f) for f in cleaned.flags] + [("extract", f) for f in extracted.flags]
    if not extracted.targets:
        flags.append(("extract", Flag("no_targets", "info",
                                              "未发现指标表或量化目标 / no indicator table and no quantitative target found")))
    mapped = cleaned.mapped
    flag_rows = [_flag_row(doc_id, i, stage, f, text, mapped) for i, (stage, f) in enumerate(flags)]
    target_rows = []
    for i, t in enumerate(extracted.targets):
        row = dict(vars(t))
        row.update(doc_id=doc_id, target_no=i)
        row["raw_start"], row["raw_end"] = mapped.raw_span(t.start, t.end)
        row["page"], row["page_label"] = cleaned.page_at(t.start)
        target_rows.append(row)
    number_rows = []
    for i, n in enumerate(extracted.numbers):
        rs, re_ = mapped.raw_span(n.start, n.end)
        number_rows.append({"doc_id": doc_id, "number_no": i, "start": n.start, "end": n.end, "raw_start": rs,
                            "raw_end": re_, "page": n.page, "number_text": n.text, "value": n.value,
                            "decision": n.decision, "reason": n.reason, "target_no": n.target_no})
    passage_rows = []
    for p in passages:
        rs, re_ = mapped.raw_span(p.start, p.end)
        passage_rows.append({"doc_id": doc_id, "passage_no": p.index, "kind": p.kind, "heading_path": p.heading_path,
                             "start": p.start, "end": p.end, "raw_start": rs, "raw_end": re_, "text": p.text,
                             **dict(zip(("page", "page_label"), cleaned.page_at(p.start)))})
    doc_row = {k: (str(v) if v is not None and k != "city_unnamed" else v) for k, v in meta.items()}
    doc_row.update(
        doc_id=doc_id, file_name=path.name, city=meta.get("city"), city_label=city_label(meta, doc_id),
        language_variant=meta.get("language_variant") or cleaned.variant, encoding=cleaned.encoding,
        sha256=sha, n_raw_chars=len(cleaned.raw_text), n_chars=len(text), n_flags=len(flag_rows),
        n_targets=len(target_rows), text=text,
    )
    res.ok = True
    # Arrow tables are built here, in the worker: the main process only concatenates and inserts
    res.rows = {"documents": to_arrow("documents", [doc_row]), "passages": to_arrow("passages", passage_rows),
                "quality_flags": to_arrow("quality_flags", flag_rows), "raw_targets": to_arrow("raw_targets", target_rows),
                "numbers": to_arrow("numbers", number_rows),
                "plan_lineage": to_arrow("plan_lineage", lineage_rows(doc_id, text))}
    res.meta = {"doc_id": doc_id, "city": meta.get("city"), "period": meta.get("period"), "n_flags": len(flag_rows)}
    res.summary = f"{len(text):>7,} chars  {len(target_rows):>4} targets  {len(flag_rows):>3} flags  {cleaned.encoding}"
    return res


def _duplicate_flags(docs: list[dict]) -> list[dict]:
    """Two documents for the same city and period: both are kept, the conflict is reported.

    Each flag is numbered after the document's own flags (`n_flags` of its metadata)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    next_no: dict[str, int] = {}
    for d in docs:
        if d.get("city"):
            groups[(d["city"], d.get("period") or "")].append(d)
    rows = []
    for (city, period), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        ids = ", ".join(d["doc_id"] for d in group)
        for d in group:
            no = next_no.setdefault(d["doc_id"], d.get("n_flags", 0))
            next_no[d["doc_id"]] = no + 1
            rows.append({"doc_id": d["doc_id"], "flag_no": no, "stage": "build",
                         "kind": "duplicate_city_period", "severity": "warning",
                         "message": f"同一城市同一时期有多份文件 / {len(group)} documents for {city} {period}: {ids}",
                         "excerpt": ids})
    return rows


def _build_error_row(res: DocResult) -> dict:
    """A document that failed to build, as a flag: `plans check` and the data-quality report list it
    at every build, not only in the build's own output."""
    return {"doc_id": res.doc_id, "flag_no": 0, "stage": "build", "kind": "build_error", "severity": "error",
            "message": f"文件未能读取 / document not built: {res.reason}", "excerpt": res.file_name}


def iter_results(paths: list[Path], workers: int):
    if workers <= 1 or len(paths) < 4:
        yield from map(process_document, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(process_document, paths, chunksize=max(1, min(16, len(paths) // (workers * 8))))


def build(raw_dir: Path = config.RAW_DIR, db_path: Path = config.DB_PATH, out_dir: Path = config.PROCESSED_DIR,
          *, workers: int | None = None, progress: bool | None = None, echo=print,
          reference_dir: Path | None = None, curation_dir: Path | None = None) -> BuildReport:
    """Build the database from a raw folder. Returns a report; raises only if nothing can be written."""
    raw_dir, db_path, out_dir = Path(raw_dir), Path(db_path), Path(out_dir)
    paths = list_documents(raw_dir)
    report = BuildReport(db_path)
    workers = workers or min(2, os.cpu_count() or 1)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and len(paths) > 20:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", desc="build", file=sys.stderr)
    with atomic_database(db_path) as con:
        create_tables(con)
        pending: dict[str, list] = defaultdict(list)  # table → Arrow tables (documents) or row dicts
        docs_meta: list[dict] = []
        n_batch = 0
        for res in iter_results(paths, workers):
            if res.ok:
                report.n_ok += 1
                report.n_targets += res.rows["raw_targets"].num_rows
                report.results.append((res.file_name, "ok", res.summary))
                docs_meta.append(res.meta)
                for table, rows in res.rows.items():
                    pending[table].append(rows)
                pending["build_log"].append({"doc_id": res.doc_id, "file_name": res.file_name, "status": "ok"})
                n_batch += 1
            else:
                report.n_failed += 1
                report.results.append((res.file_name, "FAILED", res.reason))
                pending["build_log"].append({"doc_id": res.doc_id, "file_name": res.file_name,
                                             "status": "failed", "reason": res.reason})
                pending["quality_flags"].append(to_arrow("quality_flags", [_build_error_row(res)]))
            line = f"{'ok    ' if res.ok else 'FAILED'} {res.file_name}  {res.summary if res.ok else res.reason}"
            if bar is not None:
                bar.update(1)
                if not res.ok:
                    bar.write(line)
            elif echo:
                echo(line)
            if n_batch >= BATCH_DOCS:
                _flush(con, pending)
                n_batch = 0
        pending["quality_flags"].append(to_arrow("quality_flags", _duplicate_flags(docs_meta)))
        _flush(con, pending)
        if bar is not None:
            bar.close()
        report.align = _align(con, out_dir, reference_dir, curation_dir)
    return report


def _flush(con, pending: dict[str, list[dict]]) -> None:
    for table in ("documents", "passages", "quality_flags", "raw_targets", "numbers", "plan_lineage", "build_log"):
        insert_rows(con, table, pending.pop(table, []))


def _align(con, out_dir: Path, reference_dir: Path | None, curation_dir: Path | None):
    from analysis.align import build_marts, export_targets
    from analysis.warehouse.search import build_search_index

    kwargs = {k: v for k, v in (("reference_dir", reference_dir), ("curation_dir", curation_dir)) if v is not None}
    report = build_marts(con, **kwargs)
    build_search_index(con)  # passage search tables (analysis/warehouse/search.py)
    out_dir.mkdir(parents=True, exist_ok=True)
    export_targets(con, out_dir)
    return report
