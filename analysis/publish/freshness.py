"""Which notebooks must be re-executed: those whose inputs changed since their last successful run.

A notebook's inputs are the query results it reads, its parameters, the notebook file itself and the
library code it imports. Each is reduced to a sha256 (`notebook_digest`); a state file remembers the
digest of every notebook's last successful execution (`record_fresh`), and `stale_notebooks` lists the
notebooks whose digest differs or that have none. Incremental like a build system, and still "the build
is the test": a notebook that did not run successfully is never recorded, so it stays stale.

How the report calls it (analysis/publish/report.py):

    inputs = {job.name: {"notebook": job.path, "parameters": job.parameters,
                         "query_results": {q: run_query(con, q, **job.parameters) for q in queries_read(job.path)},
                         "code": library_files()} for job in jobs}
    stale = set(stale_notebooks(inputs, state_file))
    ... execute the stale jobs, reuse the HTML of the others; the index says which pages were rebuilt ...
    record_fresh(state_file, {name: notebook_digest(**inputs[name]) for name in executed_successfully})
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

_QUERY_CALL = re.compile(r"""run_query\(\s*(?:[\w.]+\s*,\s*)?["']([\w-]+)["']""")  # run_query(con, "q") or report.run_query("q")
STATE_VERSION = 1


def queries_read(notebook: Path) -> list[str]:
    """The query names a notebook's code cells pass to `run_query(con, "name", …)`, sorted, once each."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = "".join(cell.get("source", []))
            names.update(_QUERY_CALL.findall(src))
    return sorted(names)


def library_files(root: Path | None = None) -> list[Path]:
    """The library's Python files and query files (what a notebook imports or reads through run_query)."""
    root = Path(root) if root else Path(__file__).resolve().parent.parent.parent
    files = [p for p in (root / "analysis").rglob("*.py") if "__pycache__" not in p.parts]
    files += list((root / "queries").glob("*.sql")) if (root / "queries").is_dir() else []
    return sorted(files)


def value_digest(value) -> str:
    """sha256 of a query result or parameter value: a DataFrame by its columns, dtypes and CSV text, an
    Arrow table by its IPC bytes, bytes as they are, anything else by its JSON (or repr)."""
    h = hashlib.sha256()
    if hasattr(value, "to_csv") and hasattr(value, "dtypes"):  # pandas DataFrame
        h.update(repr([(str(c), str(t)) for c, t in value.dtypes.items()]).encode())
        h.update(value.to_csv(index=False).encode("utf-8"))
    elif hasattr(value, "schema") and hasattr(value, "to_batches"):  # pyarrow Table
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, value.schema) as writer:
            writer.write_table(value)
        h.update(sink.getvalue().to_pybytes())
    elif isinstance(value, (bytes, bytearray)):
        h.update(bytes(value))
    else:
        try:
            h.update(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        except (TypeError, ValueError):
            h.update(repr(value).encode("utf-8"))
    return h.hexdigest()


def notebook_digest(notebook: Path, parameters: Mapping | None = None, query_results: Mapping | None = None,
                    code: Iterable[Path] = ()) -> str:
    """One sha256 over everything a notebook's output depends on."""
    h = hashlib.sha256(f"freshness {STATE_VERSION}\n".encode())
    h.update(b"notebook\0" + hashlib.sha256(Path(notebook).read_bytes()).digest())
    h.update(b"parameters\0" + value_digest(dict(parameters or {})).encode())
    for name in sorted(query_results or {}):
        h.update(f"query\0{name}\0".encode() + value_digest(query_results[name]).encode())
    for path in sorted(Path(p) for p in code):
        h.update(f"code\0{path.name}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def load_state(state_file: Path) -> dict[str, str]:
    """notebook → digest of its last successful execution; empty when the file is missing or unreadable."""
    try:
        state = json.loads(Path(state_file).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return {}
    return {str(k): str(v) for k, v in state.get("notebooks", {}).items()}


def stale_notebooks(inputs_by_notebook: Mapping[str, Mapping | str], state_file: Path) -> list[str]:
    """The notebooks to re-execute, sorted: those whose inputs' digest differs from the recorded one, or
    that have no record. Each value is a digest (str) or the keyword arguments of `notebook_digest`."""
    state = load_state(state_file)
    stale = []
    for name, inputs in inputs_by_notebook.items():
        digest = inputs if isinstance(inputs, str) else notebook_digest(**inputs)
        if state.get(name) != digest:
            stale.append(name)
    return sorted(stale)


def record_fresh(state_file: Path, digests: Mapping[str, str]) -> None:
    """Record notebooks that executed successfully (merged with the others' records), atomically."""
    state_file = Path(state_file)
    state = load_state(state_file)
    state.update(digests)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = state_file.with_name(f".{state_file.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"version": STATE_VERSION, "notebooks": dict(sorted(state.items()))}, indent=1,
                              ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, state_file)


# ---------------------------------------------------------------- what the report re-executes
# The queries a notebook reads are recorded while it runs (`run_query` logs each one with its bound parameters
# and a digest of its result, analysis/warehouse/queries.py), so the inputs are exactly what the notebook
# read, including queries run inside library functions. The next report re-runs the logged queries on the
# current database (milliseconds each, shared between notebooks) and re-executes a notebook only when a
# result, its parameters, the notebook or the library code changed. A notebook whose code reads the
# database without `run_query` (`.execute(`, `.sql(`, `search(`) is always re-executed.
_UNTRACKED = re.compile(r"\.execute\(|\.sql\(|\bsearch\(")
STATE_FILE = "freshness.json"


def query_log_path(state_dir: Path, name: str) -> Path:
    return Path(state_dir) / f"{name}.queries.jsonl"


def untracked_reads(notebook: Path) -> bool:
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return any(_UNTRACKED.search("".join(c.get("source", []))) for c in nb.get("cells", [])
               if c.get("cell_type") == "code")


def read_query_log(path: Path) -> list[dict] | None:
    """The (query, parameters) a notebook's last run read; None when there is no readable log."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (FileNotFoundError, ValueError):
        return None


def code_digest(root: Path | None = None) -> str:
    h = hashlib.sha256()
    for path in library_files(root):
        h.update(path.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _job_digest(con, notebook: Path, parameters: Mapping, code: str, reads: list[dict], memo: dict) -> str:
    from analysis.warehouse.queries import query_digest

    results = {}
    for r in reads:
        key = json.dumps([r["query"], r["parameters"]], sort_keys=True, ensure_ascii=False, default=str)
        if key not in memo:
            try:
                memo[key] = query_digest(con, r["query"], r["parameters"])
            except Exception as exc:  # noqa: BLE001 - a query that no longer runs is a changed input
                memo[key] = f"error: {type(exc).__name__}: {exc}"
        results[key] = memo[key]
    return notebook_digest(notebook, {**dict(parameters), "_code": code}, results)


def plan_reruns(jobs: Iterable[tuple[str, Path, Mapping]], db_path: Path, state_dir: Path,
                full: bool = False) -> list[str]:
    """The names of the jobs (name, notebook, parameters) to execute: all with `full`; else those never run
    successfully, with untracked reads, or whose recorded inputs changed."""
    jobs = list(jobs)
    if full:
        return [name for name, _, _ in jobs]
    import duckdb

    state = load_state(Path(state_dir) / STATE_FILE)
    code, memo, stale = code_digest(), {}, []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for name, notebook, parameters in jobs:
            reads = read_query_log(query_log_path(state_dir, name))
            if reads is None or name not in state or untracked_reads(notebook) or \
                    _job_digest(con, notebook, parameters, code, reads, memo) != state[name]:
                stale.append(name)
    finally:
        con.close()
    return stale


def record_runs(jobs: Iterable[tuple[str, Path, Mapping]], db_path: Path, state_dir: Path) -> None:
    """After jobs executed successfully: remember the digest of the inputs each one read."""
    import duckdb

    code, memo, digests = code_digest(), {}, {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for name, notebook, parameters in jobs:
            reads = read_query_log(query_log_path(state_dir, name))
            if reads is not None:
                digests[name] = _job_digest(con, notebook, parameters, code, reads, memo)
    finally:
        con.close()
    record_fresh(Path(state_dir) / STATE_FILE, digests)
