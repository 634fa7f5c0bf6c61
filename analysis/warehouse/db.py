"""DuckDB schema of the stage tables, batched inserts, and atomic replacement of the file."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from analysis import columns

# Stage tables, from the column contract (data/reference/columns.yaml)
SCHEMA: dict[str, dict[str, str]] = {t: columns.schema(t) for t in columns.stage_tables()}

_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table, cols in SCHEMA.items():
        body = ", ".join(f'"{c}" {t}' for c, t in cols.items())
        con.execute(f"CREATE TABLE {table} ({body})")


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    """Row dicts (missing keys are NULL) → an Arrow table with the table's schema, in column order."""
    cols = SCHEMA[table]
    schema = pa.schema([(c, _ARROW[t]) for c, t in cols.items()])
    return pa.Table.from_pydict({c: [r.get(c) for r in rows] for c in cols}, schema=schema)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | pa.Table | list[pa.Table]) -> None:
    """Insert a batch (row dicts, an Arrow table, or a list of Arrow tables) in column order."""
    if isinstance(rows, pa.Table):
        batch = rows
    elif rows and isinstance(rows[0], pa.Table):
        batch = pa.concat_tables(rows)
    else:
        batch = to_arrow(table, rows)
    if batch.num_rows == 0:
        return
    con.register("_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


@contextmanager
def atomic_database(path: Path, seed: Path | None = None):
    """Yield a connection to a fresh temporary database (or to a copy of `seed`); on success it replaces `path`.

    On any exception (or a kill) the temporary file is left behind or removed, and the previous
    database at `path` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove_stale(path)
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    if seed is not None:
        shutil.copyfile(seed, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def remove_stale(path: Path) -> None:
    """Remove temporary files beside `path` left by builds that were killed (also when a build has nothing to do)."""
    _remove_stale(Path(path))


def _remove_stale(path: Path) -> None:
    """Temporary files left by a build that was killed (its process is gone)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp*"):
        pid = stale.name[len(path.name) + 2:].split(".")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            stale.unlink(missing_ok=True)


def connect(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no database yet; run `plans build` (or `make report`) first")
    return duckdb.connect(str(path), read_only=read_only)
