"""SQL files in `queries/`, run through one function with named, always-bound parameters.

Each file starts with a header of `-- key: value` lines:

    -- purpose: what question it answers
    -- grain: one row per …
    -- inputs: tables it reads
    -- parameters: name (TYPE, default VALUE); …   (or `none`)
    -- used by: notebooks / CLI

Parameters are DuckDB named parameters (`$target_year`); values are bound, never formatted into
the SQL text, and names the header does not declare are refused.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.align.models import sql_header

HEADER_KEYS = ("purpose", "grain", "inputs", "parameters", "used by")
_PARAM = re.compile(r"(\w+)\s*\((\w+)(?:\s*,\s*default\s+([^)]*))?\)")
_TYPES = {"INTEGER": int, "DOUBLE": float, "VARCHAR": str, "BOOLEAN": lambda v: str(v).lower() in ("1", "true", "yes")}


MODEL_LAYERS = ("staging", "intermediate", "marts")  # built by alignment (analysis/align/models.py), not run here


def list_queries(queries_dir: Path = config.QUERIES_DIR) -> list[str]:
    """Report queries: the files directly in `queries/` (the model layers live in subfolders)."""
    return sorted(p.stem for p in Path(queries_dir).glob("*.sql"))


def list_models(queries_dir: Path = config.QUERIES_DIR) -> list[str]:
    """Model files as `layer/stem`, layer by layer (staging → intermediate → marts)."""
    return [f"{layer}/{p.stem}" for layer in MODEL_LAYERS for p in sorted((Path(queries_dir) / layer).glob("*.sql"))]


def read_model_header(model: str, queries_dir: Path = config.QUERIES_DIR) -> dict[str, str]:
    """Header of a model file named `layer/stem`."""
    layer, _, stem = model.partition("/")
    if layer not in MODEL_LAYERS or not re.fullmatch(r"[a-z0-9_]+", stem):
        raise ValueError(f"models are named layer/stem with layer in {', '.join(MODEL_LAYERS)}: {model!r}")
    return _read(Path(queries_dir) / layer / f"{stem}.sql")[1]


@cache
def _read(path: Path) -> tuple[str, dict[str, str]]:
    sql = path.read_text(encoding="utf-8")
    return sql, {k: v for k, v in sql_header(sql).items() if k in HEADER_KEYS}


def read_header(name: str, queries_dir: Path = config.QUERIES_DIR) -> dict[str, str]:
    return _read(_path(name, queries_dir))[1]


def parameters(name: str, queries_dir: Path = config.QUERIES_DIR) -> dict[str, tuple[str, object]]:
    """Declared parameters: name → (type, default)."""
    spec = read_header(name, queries_dir).get("parameters", "none")
    out: dict[str, tuple[str, object]] = {}
    for pname, ptype, default in _PARAM.findall(spec):
        ptype = ptype.upper()
        out[pname] = (ptype, _coerce(ptype, default.strip()) if default else None)
    return out


def _required(name: str, queries_dir: Path) -> set[str]:
    """Parameters declared without a default (`indicator_id (VARCHAR)`): the caller names the indicator or year."""
    spec = read_header(name, queries_dir).get("parameters", "none")
    return {pname for pname, _, default in _PARAM.findall(spec) if not default}


def _coerce(ptype: str, value):
    if value is None or isinstance(value, str) and value.strip().lower() in ("", "null", "none"):
        return None
    return _TYPES.get(ptype, str)(value)


def _path(name: str, queries_dir: Path) -> Path:
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise ValueError(f"query names are lower-case letters, digits and _: {name!r}")
    path = Path(queries_dir) / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no query {name!r} in {queries_dir}; available: {', '.join(list_queries(queries_dir))}")
    return path


def run_query(con, name: str, queries_dir: Path = config.QUERIES_DIR, **params) -> pd.DataFrame:
    """Run `queries/<name>.sql` on `con` with named parameters (defaults from the header)."""
    sql, _ = _read(_path(name, queries_dir))
    declared = parameters(name, queries_dir)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ValueError(f"{name}: unknown parameter(s) {', '.join(unknown)}; declared: {', '.join(declared) or 'none'}")
    missing = sorted(k for k in declared if k not in params and k in _required(name, queries_dir))
    if missing:
        raise ValueError(f"{name}: parameter(s) {', '.join(missing)} must be given (no default in the header)")
    values = {k: _coerce(t, params[k]) if k in params else d for k, (t, d) in declared.items()}
    used = {k: v for k, v in values.items() if re.search(rf"\${k}\b", sql)}
    # Arrow → pandas is about twice as fast as .df() on large results, and drains the result
    table = con.sql(sql, params=used).to_arrow_table()
    if os.environ.get(QUERY_LOG_ENV):
        log_query(Path(os.environ[QUERY_LOG_ENV]), name, used, table)
    return table.to_pandas()


# What a report notebook read: with PLANS_QUERY_LOG set (the report sets it for each notebook it runs), every
# query appends {query, parameters, digest of its result} to that file; the report re-runs exactly those
# queries next time to decide whether the notebook's inputs changed (analysis/publish/freshness.py).
QUERY_LOG_ENV = "PLANS_QUERY_LOG"


def result_digest(table) -> str:
    """sha256 of an Arrow table's schema and values, written as CSV (JSON for nested types). Not its IPC
    bytes: those carry the batch layout and whatever sits under null slots, which vary between equal results."""
    import hashlib
    import json

    import pyarrow as pa
    import pyarrow.csv as pacsv

    h = hashlib.sha256(str(table.schema).encode())
    sink = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, sink)
        h.update(sink.getvalue().to_pybytes())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        h.update(json.dumps(table.to_pylist(), ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def query_digest(con, name: str, params: dict, queries_dir: Path = config.QUERIES_DIR) -> str:
    """The digest `run_query` would log for this query and these (bound) parameters."""
    sql, _ = _read(_path(name, queries_dir))
    return result_digest(con.sql(sql, params=params).to_arrow_table())


def log_query(path: Path, name: str, params: dict, table) -> None:
    import json

    line = json.dumps({"query": name, "parameters": params, "digest": result_digest(table)}, ensure_ascii=False,
                      sort_keys=True, default=str)
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
