"""Per-document fragments cached by content: a rebuild costs what changed.

A fragment holds everything the per-document stages (ingest → clean → segment → extract) produced
for one raw file: its Arrow tables (whatever their names), the few metadata the build needs across
documents, and the status line. It is stored under a key that changes when any input changes:

    key = sha256(code version, file name, sha256(raw bytes), sha256(sidecar bytes))

where the code version hashes the source of the per-document stages and the vocabulary they read
(`code_version`). One fragment per document, written atomically (temporary file + rename), with a
sha256 of its body in its footer: a truncated or corrupted fragment fails the check and is rebuilt,
never loaded. Nothing here knows what the tables mean.

File layout: MAGIC | u64 header length | header JSON | table blobs (Arrow IPC streams) | sha256 | MAGIC.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pyarrow as pa

from analysis import config

FORMAT = 1
MAGIC = b"PLANSFRG"
SUFFIX = ".frag"
_LEN = struct.Struct("<Q")
_FOOT = len(MAGIC) + 32
_IPC = pa.ipc.IpcWriteOptions(compression="lz4") if pa.Codec.is_available("lz4") else pa.ipc.IpcWriteOptions()

# What the per-document result depends on, relative to the repository root: the stage packages (every
# file, so vocabularies kept beside the code count too), the shared bases, the schema the Arrow tables
# are built with, and the extraction vocabulary. (`process_document` itself lives in analysis/build.py
# beside the build's orchestration: the build adds the source of its per-document functions, so editing
# the orchestration does not throw the cache away.)
VERSION_SOURCES = ("analysis/ingest", "analysis/clean", "analysis/segment", "analysis/extract", "analysis/flags.py",
                   "analysis/config.py", "analysis/warehouse/db.py", "data/reference/phrases.yaml",
                   "data/reference/spam_words.yaml")
VERSION_PACKAGES = ("pyarrow", "opencc", "pyyaml")


class FragmentError(ValueError):
    """A fragment that cannot be trusted (truncated, corrupted, another format)."""


@dataclass
class Fragment:
    doc_id: str
    file_name: str
    summary: str
    meta: dict
    rows: dict  # table name → pa.Table


def code_version(root: Path, sources=VERSION_SOURCES, packages=VERSION_PACKAGES) -> str:
    """sha256 over the per-document stages' files (path and bytes, in a fixed order) and library versions."""
    root = Path(root)
    h = hashlib.sha256(f"fragment format {FORMAT}\n".encode())
    for src in sources:
        p = root / src
        files = sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts
                       and f.suffix not in (".pyc", ".pyo")) if p.is_dir() else [p] if p.is_file() else []
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    for name in packages:
        try:
            h.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} missing\n".encode())
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or a marker when it does not exist (a missing sidecar is an input too)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


# ---------------------------------------------------------------- sha256 of inputs, remembered by stat
# Hashing every raw file is the largest fixed cost of a rebuild (132 MB at 3,300 documents). A file whose
# size, modification time (ns) and inode are those recorded with its sha256 at the last build is not read
# again (as git's index does); any change to the file changes its mtime, and it is hashed anew.
DIGESTS = "digests.json"


def _stat_key(st) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def load_digests(cache_dir: Path) -> dict[str, list]:
    try:
        data = json.loads((Path(cache_dir) / DIGESTS).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (FileNotFoundError, ValueError):
        return {}


def remembered_digest(path: Path, memo: dict[str, list], seen: dict[str, list] | None = None) -> str:
    """sha256 of a file (or "missing"), taken from `memo` when the file's stat is unchanged; the entry used
    is put in `seen` (what the next build remembers)."""
    key = os.path.abspath(path)  # (not resolve(): its symlink walk costs more than the stat)
    try:
        st = os.stat(key)
    except FileNotFoundError:
        return "missing"
    old = memo.get(key)
    if isinstance(old, list) and len(old) == 4 and old[:3] == _stat_key(st):
        digest = old[3]
    else:
        digest = file_digest(path)
    if seen is not None:
        seen[key] = _stat_key(st) + [digest]
    return digest


def save_digests(cache_dir: Path, seen: dict[str, list]) -> None:
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{DIGESTS}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(seen, sort_keys=True), encoding="utf-8")
    os.replace(tmp, cache_dir / DIGESTS)


def document_key(version: str, file_name: str, raw_sha: str, sidecar_sha: str) -> str:
    return hashlib.sha256("\0".join((version, file_name, raw_sha, sidecar_sha)).encode()).hexdigest()


def fragment_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"{key}{SUFFIX}"


def encode_fragment(frag: Fragment) -> bytes:
    blobs, tables = [], []
    offset = 0
    for name, table in frag.rows.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema, options=_IPC) as writer:
            writer.write_table(table)
        blob = sink.getvalue().to_pybytes()
        tables.append([name, offset, len(blob)])
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps({"format": FORMAT, "doc_id": frag.doc_id, "file_name": frag.file_name, "summary": frag.summary,
                         "meta": frag.meta, "tables": tables}, ensure_ascii=False, sort_keys=True).encode()
    body = b"".join([MAGIC, _LEN.pack(len(header)), header, *blobs])
    return body + hashlib.sha256(body).digest() + MAGIC


def decode_fragment(data: bytes, name: str = "fragment") -> Fragment:
    """Check the footer and checksum, then read the tables. Raises FragmentError, never returns garbage."""
    if len(data) < len(MAGIC) + _LEN.size + _FOOT or not data.startswith(MAGIC) or not data.endswith(MAGIC):
        raise FragmentError(f"{name}: truncated or not a fragment")
    body, digest = data[:-_FOOT], data[-_FOOT:-len(MAGIC)]
    if hashlib.sha256(body).digest() != digest:
        raise FragmentError(f"{name}: checksum mismatch (corrupted)")
    (n,) = _LEN.unpack_from(body, len(MAGIC))
    start = len(MAGIC) + _LEN.size
    try:
        header = json.loads(body[start:start + n])
        if header.get("format") != FORMAT:
            raise FragmentError(f"{name}: fragment format {header.get('format')}, expected {FORMAT}")
        base = start + n
        view = memoryview(body)
        rows = {t: pa.ipc.open_stream(pa.py_buffer(view[base + off: base + off + ln])).read_all()
                for t, off, ln in header["tables"]}
    except (ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        raise FragmentError(f"{name}: unreadable ({exc})") from exc
    return Fragment(header["doc_id"], header["file_name"], header["summary"], header["meta"], rows)


def normalise_meta(meta: dict) -> dict:
    """The metadata as a fragment stores it (JSON values), so a fresh and a cached result are the same."""
    return json.loads(json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str))


def write_fragment(cache_dir: Path, key: str, frag: Fragment) -> Path:
    """Write atomically: a reader sees the old fragment, no fragment, or the whole new one."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    dest = fragment_path(cache_dir, key)
    tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
    tmp.write_bytes(encode_fragment(frag))
    os.replace(tmp, dest)
    return dest


def read_fragment(cache_dir: Path, key: str) -> Fragment | None:
    """The fragment for a key, or None when there is none or it fails its check (the bad file is removed)."""
    path = fragment_path(cache_dir, key)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return decode_fragment(data, path.name)
    except FragmentError:
        path.unlink(missing_ok=True)
        return None


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Remove fragments no longer used and temporary files of writers that are gone; return how many."""
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return 0
    n = 0
    for p in cache_dir.iterdir():
        if p.suffix == SUFFIX and p.stem not in keep:
            p.unlink(missing_ok=True)
            n += 1
        elif p.name.startswith(".") and p.name.endswith(".tmp"):
            pid = p.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                p.unlink(missing_ok=True)
    return n


# ---------------------------------------------------------------- what a database was built from
def tree_digest(paths) -> str:
    """sha256 over every file under the given files or folders (relative names and bytes, fixed order)."""
    h = hashlib.sha256()
    for base in paths:
        base = Path(base)
        files = sorted(f for f in base.rglob("*") if f.is_file() and "__pycache__" not in f.parts
                       and f.suffix not in (".pyc", ".pyo")) if base.is_dir() else [base] if base.is_file() else []
        h.update(f"{base.name}\0{len(files)}\n".encode())
        for f in files:
            h.update(f.relative_to(base.parent).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def record_inputs(con, keys: dict[str, str], state: dict[str, str]) -> None:
    """Store, inside the database being built, the key of every input document and the build's other inputs."""
    con.execute("CREATE OR REPLACE TABLE build_inputs (file_name VARCHAR, key VARCHAR)")
    con.execute("CREATE OR REPLACE TABLE build_state (name VARCHAR, value VARCHAR)")
    con.register("_k", pa.table({"file_name": list(keys), "key": list(keys.values())}))
    con.register("_s", pa.table({"name": list(state), "value": list(state.values())}))
    try:
        con.execute("INSERT INTO build_inputs SELECT * FROM _k ORDER BY file_name")
        con.execute("INSERT INTO build_state SELECT * FROM _s ORDER BY name")
    finally:
        con.unregister("_k")
        con.unregister("_s")


def recorded_inputs(db_path: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    """(document keys, state) recorded in an existing database; None when there is none to compare with."""
    import duckdb

    db_path = Path(db_path)
    if not db_path.exists():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        keys = dict(con.execute("SELECT file_name, key FROM build_inputs").fetchall())
        state = dict(con.execute("SELECT name, value FROM build_state").fetchall())
    except duckdb.Error:
        return None
    finally:
        con.close()
    return keys, state


# ---------------------------------------------------------------- the stage snapshot: every fragment, merged
# The union of the fragments of the last build, as DuckDB tables (the stage tables before alignment, plus
# `stage_index`: file name → key, doc_id, status line, metadata). A rebuild starts from a copy of it and
# only deletes and inserts the documents that changed, instead of re-inserting every fragment. Its sha256
# is in its name (`stage.<sha256>.duckdb`) and checked before use; a bad snapshot is removed and ignored.
SNAPSHOT_GLOB = "stage.*.duckdb"
INDEX_TABLE = "stage_index"


def find_snapshot(cache_dir: Path) -> Path | None:
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return None
    found = sorted(cache_dir.glob(SNAPSHOT_GLOB), key=lambda p: p.stat().st_mtime, reverse=True)
    for p in found:
        if file_digest(p) == p.name.split(".")[1]:
            return p
        p.unlink(missing_ok=True)
    return None


def save_snapshot(cache_dir: Path, db_file: Path) -> Path:
    """Copy a checkpointed database file into the cache as the new snapshot (temp + rename), drop older ones."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".stage.{os.getpid()}.tmp"
    shutil.copyfile(db_file, tmp)
    dest = cache_dir / f"stage.{file_digest(tmp)}.duckdb"
    os.replace(tmp, dest)
    for old in cache_dir.glob(SNAPSHOT_GLOB):
        if old != dest:
            old.unlink(missing_ok=True)
    return dest


def create_index(con) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {INDEX_TABLE} (file_name VARCHAR, key VARCHAR, doc_id VARCHAR, "
                "summary VARCHAR, meta VARCHAR)")


def insert_index(con, rows: list[tuple[str, str, str, str, dict]]) -> None:
    if not rows:
        return
    cols = list(zip(*rows))
    con.register("_ix", pa.table({"file_name": cols[0], "key": cols[1], "doc_id": cols[2], "summary": cols[3],
                                  "meta": [json.dumps(m, ensure_ascii=False, sort_keys=True) for m in cols[4]]}))
    try:
        con.execute(f"INSERT INTO {INDEX_TABLE} SELECT * FROM _ix")
    finally:
        con.unregister("_ix")


def read_index(con) -> dict[str, tuple[str, str, str, dict]]:
    """file name → (key, doc_id, summary, metadata) of every document in the snapshot."""
    return {f: (k, d, s, json.loads(m)) for f, k, d, s, m in
            con.execute(f"SELECT file_name, key, doc_id, summary, meta FROM {INDEX_TABLE}").fetchall()}


def delete_documents(con, doc_ids: set[str], file_names: set[str]) -> None:
    """Remove documents from every table of the snapshot that has a doc_id column, and from the index."""
    if not doc_ids and not file_names:
        return
    con.register("_gone", pa.table({"doc_id": sorted(doc_ids)}))
    con.register("_gone_files", pa.table({"file_name": sorted(file_names)}))
    try:
        for (table,) in con.execute(
                "SELECT DISTINCT c.table_name FROM duckdb_columns() c JOIN duckdb_tables() t "
                "USING (database_name, schema_name, table_name) WHERE c.column_name = 'doc_id' "
                "AND c.database_name = current_database() AND c.schema_name = 'main' ORDER BY 1").fetchall():
            con.execute(f'DELETE FROM "{table}" WHERE doc_id IN (SELECT doc_id FROM _gone)')
        con.execute(f"DELETE FROM {INDEX_TABLE} WHERE file_name IN (SELECT file_name FROM _gone_files)")
    finally:
        con.unregister("_gone")
        con.unregister("_gone_files")


# --------------------------------------------------------------------------- what a rebuild can reuse


def is_up_to_date(db_path: Path, out_dir: Path, keys: dict, state: dict) -> bool:
    """Nothing changed since the database was built: same documents, same keys, same alignment inputs, and
    the exports are the ones that build wrote."""
    recorded = recorded_inputs(db_path)
    if recorded is None:
        return False
    old_keys, old_state = recorded
    if old_keys != {k: v or "" for k, v in keys.items()} or any(old_state.get(k) != v for k, v in state.items()):
        return False
    return all(file_digest(out_dir / name) == old_state.get(f"export:{name}")
               for name in ("targets.csv", "targets.parquet"))


def reusable_snapshot(cache_dir: Path, keys: dict[str, str | None]):
    """The stage snapshot to start from, the documents in it whose key is unchanged, and (doc_ids, file
    names) of those to delete from it; (None, {}, …) when there is no snapshot or it is not worth copying."""
    snapshot = find_snapshot(cache_dir)
    if snapshot is None:
        return (None, {}, (set(), set()))
    return _reusable(snapshot, keys)


def reusable_database(db_path: Path, keys: dict[str, str | None], state: dict[str, str], same: tuple[str, ...]):
    """Like `reusable_snapshot`, for the previous database itself (stage tables and marts): usable when the
    state entries named in `same` (e.g. the version of the alignment code) are those it was built with, so
    the marts of its unchanged documents are still right. (None, {}, …) otherwise."""
    recorded = recorded_inputs(db_path)
    if recorded is None or any(recorded[1].get(k) != state.get(k) for k in same):
        return (None, {}, (set(), set()))
    return _reusable(Path(db_path), keys)


def _reusable(snapshot: Path, keys: dict[str, str | None]):
    none = (None, {}, (set(), set()))
    import duckdb

    try:
        con = duckdb.connect(str(snapshot), read_only=True)
        try:
            index = read_index(con)
        finally:
            con.close()
    except duckdb.Error:
        return none
    kept = {f: v for f, v in index.items() if keys.get(f) and keys[f] == v[0]}
    gone = {f: v for f, v in index.items() if f not in kept}
    gone_ids = {v[1] for v in gone.values()}
    if len(kept) < len(index) / 2 or gone_ids & {v[1] for v in kept.values()}:
        return none  # mostly new (e.g. the code changed), or two files share a doc_id: start from nothing
    return snapshot, kept, (gone_ids, set(gone))


def database_file(con) -> Path:
    return Path(con.execute("SELECT file FROM pragma_database_list WHERE name = current_database()").fetchall()[0][0])


def align_version(code_root: Path, reference_dir: Path | None, curation_dir: Path | None) -> str:
    """Everything alignment and the exports depend on besides the stage tables: all code, the SQL models,
    registry, curation."""
    return tree_digest([Path(code_root) / "analysis", config.QUERIES_DIR, Path(reference_dir or config.REFERENCE_DIR),
                        Path(curation_dir or config.CURATION_DIR)])


def align_code_version(code_root: Path) -> str:
    """The code and SQL models of alignment (not the curated files): while it is unchanged, the marts of an
    unchanged document in the previous database are still right (analysis/align/incremental.py)."""
    return tree_digest([Path(code_root) / "analysis", config.QUERIES_DIR])
