"""`plans build`: every raw document → cleaned text, passages, flags, targets → DuckDB + exports.

Documents are independent, so they are processed in a pool of worker processes and streamed
back in name order. Each document's result is cached as one fragment keyed by its content and the
code version (`analysis.warehouse.cache`): a rebuild processes only what changed, then aligns
everything from the stage tables. Rows are inserted in batches so memory stays flat as the corpus
grows. The database is written to a temporary file and renamed over the old one at the end: an interrupted
build leaves the previous database intact. One unreadable document is reported and skipped.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from analysis import config
from analysis.clean import DocumentError, clean_document
from analysis.extract import Flag, extract_targets
from analysis.extract.lineage import lineage_rows
from analysis.ingest import (
    SidecarError,
    list_documents,
    load_sidecar,
    sha256_file,
    sidecar_path,
    sidecar_warnings,
    stem_clashes,
)
from analysis.segment import split_passages
from analysis.warehouse import cache
from analysis.warehouse.db import SCHEMA, atomic_database, create_tables, insert_rows, remove_stale, to_arrow

MAX_BYTES = 50 * 1024 * 1024  # a plan document is at most a few MB; larger input is refused unread
BATCH_DOCS = 64
CODE_ROOT = Path(__file__).resolve().parent.parent  # the repository whose code is running


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
    n_cached: int = 0  # documents loaded from their cached fragment
    n_processed: int = 0  # documents read, cleaned and extracted in this build
    up_to_date: bool = False  # nothing changed: the existing database and exports were kept
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


def _build_error_row(doc_id: str, file_name: str, reason: str) -> dict:
    """A document that failed to build, as a flag: `plans check` and the data-quality report list it
    at every build, not only in the build's own output."""
    return {"doc_id": doc_id, "flag_no": 0, "stage": "build", "kind": "build_error", "severity": "error",
            "message": f"文件未能读取 / document not built: {reason}", "excerpt": file_name}


def _process_and_store(job: tuple[Path, str | None, Path | None]) -> DocResult:
    """`process_document`, then (in the worker) its fragment written to the cache under the document's key."""
    path, key, cache_dir = job
    res = process_document(path)
    if res.ok:
        res.meta = cache.normalise_meta(res.meta)  # what a cached result carries, so both paths agree
        if key and cache_dir is not None:
            cache.write_fragment(cache_dir, key, cache.Fragment(res.doc_id, res.file_name, res.summary, res.meta,
                                                                res.rows))
    return res


def _cached_result(frag: cache.Fragment) -> DocResult:
    return DocResult(frag.doc_id, frag.file_name, ok=True, rows=frag.rows, meta=frag.meta, summary=frag.summary)


def iter_results(paths: list[Path], workers: int, keys: dict[str, str | None] | None = None,
                 cache_dir: Path | None = None, use_cache: bool = True, stats: dict | None = None):
    """Results in name order: a fragment whose key is unchanged is loaded, the rest are processed in parallel."""
    keys = keys or {}
    stats = stats if stats is not None else {}
    stats.setdefault("cached", 0)
    stats.setdefault("processed", 0)
    hits: set[Path] = set()
    if use_cache and cache_dir is not None:
        hits = {p for p in paths if keys.get(p.name) and cache.fragment_path(cache_dir, keys[p.name]).exists()}
    misses = [(p, keys.get(p.name), cache_dir) for p in paths if p not in hits]
    if workers <= 1 or len(misses) < 4:
        fresh = map(_process_and_store, misses)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        fresh = pool.map(_process_and_store, misses, chunksize=max(1, min(16, len(misses) // (workers * 8))))
    try:
        for p in paths:
            frag = cache.read_fragment(cache_dir, keys[p.name]) if p in hits else None
            if frag is not None:
                stats["cached"] += 1
                yield _cached_result(frag)
            elif p in hits:  # the fragment failed its checksum (and was removed): rebuild it here
                stats["processed"] += 1
                yield _process_and_store((p, keys.get(p.name), cache_dir))
            else:
                stats["processed"] += 1
                yield next(fresh)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def input_keys(paths: list[Path], version: str, memo: dict | None = None,
               seen: dict | None = None) -> dict[str, str | None]:
    """Each document's cache key (file name → key); None for a file over the size limit (refused unread).
    `memo`: sha256 remembered by file stat (`cache.remembered_digest`); `seen` collects what to remember."""
    keys = {}
    memo = memo if memo is not None else {}
    for p in paths:
        if p.stat().st_size > MAX_BYTES:
            keys[p.name] = None
            continue
        raw_sha = cache.remembered_digest(p, memo, seen)
        keys[p.name] = cache.document_key(version, p.name, raw_sha, cache.remembered_digest(sidecar_path(p), memo, seen))
    return keys


# the per-document part of this module: its source is part of the fragments' version
PER_DOCUMENT = ("DocResult", "city_label", "_flag_row", "process_document", "_process_and_store")


def document_version(reference_dir: Path | None = None) -> str:
    """Version of the code and vocabulary that produce a fragment (computed once per build): the stage
    packages and shared bases (`cache.VERSION_SOURCES`), the source of this module's per-document
    functions, the size limit, and the extraction vocabulary of the registry folder in use."""
    import inspect

    module = sys.modules[__name__]
    own = "\n".join(inspect.getsource(getattr(module, name)) for name in PER_DOCUMENT) + f"\nMAX_BYTES={MAX_BYTES}"
    version = cache.code_version(CODE_ROOT) + hashlib.sha256(own.encode()).hexdigest()
    extra = [config.REFERENCE_DIR / "phrases.yaml"] + ([Path(reference_dir) / "phrases.yaml"] if reference_dir else [])
    return hashlib.sha256((version + cache.tree_digest(extra)).encode()).hexdigest()


def _report_from_database(report: BuildReport, echo) -> BuildReport:
    from analysis.warehouse.db import connect

    con = connect(report.db_path)
    try:
        for file_name, status, reason in con.execute(
                "SELECT file_name, status, reason FROM build_log ORDER BY file_name").fetchall():
            if status == "ok":
                report.n_ok += 1
                report.results.append((file_name, "ok", "unchanged"))
            else:
                report.n_failed += 1
                report.results.append((file_name, "FAILED", reason))
                if echo:
                    echo(f"FAILED {file_name}  {reason}")
        report.n_targets = con.execute("SELECT count(*) FROM raw_targets").fetchall()[0][0]
    finally:
        con.close()
    return report


def build(raw_dir: Path = config.RAW_DIR, db_path: Path = config.DB_PATH, out_dir: Path = config.PROCESSED_DIR,
          *, workers: int | None = None, progress: bool | None = None, echo=print,
          reference_dir: Path | None = None, curation_dir: Path | None = None, full: bool = False,
          cache_dir: Path | None = None) -> BuildReport:
    """Build the database from a raw folder. Returns a report; raises only if nothing can be written.

    Each document's result is cached under `cache_dir` (default: `cache/` beside the database) as a
    fragment keyed by the sha256 of its bytes and sidecar and the version of the per-document code, and
    merged into a stage snapshot: a rebuild starts from the snapshot, replaces the documents that changed
    (processing them in parallel, or loading their fragment) and re-runs alignment and the exports. When
    nothing changed at all the existing database and exports are kept. `full=True` ignores the cache."""
    raw_dir, db_path, out_dir = Path(raw_dir), Path(db_path), Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else db_path.parent / "cache"
    paths = list_documents(raw_dir)
    report = BuildReport(db_path)
    clashes = stem_clashes(paths)  # refused unread: they would share one id and one sidecar
    digests: dict = {}
    keys = input_keys(paths, document_version(reference_dir), {} if full else cache.load_digests(cache_dir), digests)
    keys.update({name: None for name in clashes})
    state = {"align_version": cache.align_version(CODE_ROOT, reference_dir, curation_dir),
             "align_code": cache.align_code_version(CODE_ROOT)}
    if not full and cache.is_up_to_date(db_path, out_dir, keys, state):
        remove_stale(db_path)  # what a killed build left behind goes even when there is nothing to do
        cache.prune(cache_dir, {k for k in keys.values() if k})
        cache.save_digests(cache_dir, digests)
        report.up_to_date = True
        report.n_cached = len(paths)
        return _report_from_database(report, echo)
    workers = workers or min(2, os.cpu_count() or 1)
    # start from the previous database when its marts can be updated in place, else from the stage snapshot
    snapshot, kept, gone = (None, {}, (set(), set())) if full else cache.reusable_database(db_path, keys, state,
                                                                                            ("align_code",))
    realign = snapshot is not None
    if snapshot is None and not full:
        snapshot, kept, gone = cache.reusable_snapshot(cache_dir, keys)
    todo = [p for p in paths if p.name not in kept and p.name not in clashes]
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and len(todo) > 20:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="doc", desc="build", file=sys.stderr)
    stats: dict = {}
    outcome: dict[str, tuple] = {name: ("ok", summary, meta) for name, (_, _, summary, meta) in kept.items()}
    for name, reason in clashes.items():
        outcome[name] = ("FAILED", reason, {"doc_id": Path(name).stem})
        if echo:
            echo(f"FAILED {name}  {reason}")
    with atomic_database(db_path, seed=snapshot) as con:
        if snapshot is None:
            create_tables(con)
        cache.create_index(con)
        cache.delete_documents(con, *gone)
        con.execute("DELETE FROM build_log")
        con.execute("DELETE FROM quality_flags WHERE stage = 'build'")  # written again below, for every document
        changed = set(gone[0])  # doc_ids removed or (re)inserted: the marts to update when realigning
        pending: dict[str, list] = defaultdict(list)  # table → Arrow tables
        index_rows, n_batch = [], 0
        for res in iter_results(todo, workers, keys, cache_dir, use_cache=not full, stats=stats):
            if res.ok:
                changed.add(res.doc_id)
                outcome[res.file_name] = ("ok", res.summary, res.meta)
                for table, rows in res.rows.items():
                    pending[table].append(rows)
                if keys.get(res.file_name):
                    index_rows.append((res.file_name, keys[res.file_name], res.doc_id, res.summary, res.meta))
                n_batch += 1
            else:
                outcome[res.file_name] = ("FAILED", res.reason, {"doc_id": res.doc_id})
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
        _flush(con, pending)
        cache.insert_index(con, index_rows)
        if bar is not None:
            bar.close()
        from analysis.warehouse.search import build_search_index, has_search_index

        if snapshot is None or todo or gone[1]:  # the stage tables changed: keep them, before anything is aligned
            build_search_index(con)  # passage search reads only the stage tables: it is part of the snapshot
            con.execute("CHECKPOINT")
            cache.save_snapshot(cache_dir, cache.database_file(con))
        elif not has_search_index(con):  # a snapshot written before the index moved here
            build_search_index(con)
        docs_meta, log, failed = [], [], []
        for p in paths:
            status, detail, meta = outcome[p.name]
            report.results.append((p.name, status, detail))
            if status == "ok":
                report.n_ok += 1
                docs_meta.append(meta)
                log.append({"doc_id": meta["doc_id"], "file_name": p.name, "status": "ok"})
            else:
                report.n_failed += 1
                log.append({"doc_id": meta["doc_id"], "file_name": p.name, "status": "failed", "reason": detail})
                failed.append(_build_error_row(meta["doc_id"], p.name, detail))
        insert_rows(con, "build_log", log)
        insert_rows(con, "quality_flags", _duplicate_flags(docs_meta) + failed)
        report.n_targets = con.execute("SELECT count(*) FROM raw_targets").fetchall()[0][0]
        report.align = _align(con, out_dir, reference_dir, curation_dir, changed if realign else None)
        for name in ("targets.csv", "targets.parquet"):
            state[f"export:{name}"] = cache.file_digest(out_dir / name)
        cache.record_inputs(con, {k: v or "" for k, v in keys.items()}, state)
    report.n_cached = stats.get("cached", 0) + len(kept)
    report.n_processed = stats.get("processed", 0)
    cache.prune(cache_dir, {k for k in keys.values() if k})
    cache.save_digests(cache_dir, digests)
    return report


def _flush(con, pending: dict[str, list]) -> None:
    """Insert the pending Arrow tables, whatever their names (a table new to the schema is created from its
    first batch)."""
    for table in sorted(pending):
        batches = pending.pop(table)
        if table not in SCHEMA and batches:
            con.register("_first", batches[0])
            try:
                con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" AS SELECT * FROM _first LIMIT 0')
            finally:
                con.unregister("_first")
        if table in SCHEMA:
            insert_rows(con, table, batches)
        elif batches:
            batch = pa.concat_tables(batches)
            con.register("_batch", batch)
            try:
                con.execute(f'INSERT INTO "{table}" SELECT * FROM _batch')
            finally:
                con.unregister("_batch")


def _align(con, out_dir: Path, reference_dir: Path | None, curation_dir: Path | None, changed: set[str] | None):
    from analysis.align import build_marts, export_targets

    kwargs = {k: v for k, v in (("reference_dir", reference_dir), ("curation_dir", curation_dir)) if v is not None}
    report = build_marts(con, changed=changed, **kwargs)
    out_dir.mkdir(parents=True, exist_ok=True)
    export_targets(con, out_dir)
    return report
