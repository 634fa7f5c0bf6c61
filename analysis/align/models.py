"""Run the SQL models in `queries/staging/`, `queries/intermediate/` and `queries/marts/`, dbt-style.

Each model file is one SELECT whose file stem is the name of the view or table it creates. Its header
comment states purpose, grain and inputs (like every query file); `-- materialized: view|table`
overrides the layer's default (staging: view, the others: table). Within a layer, a model runs after
the models of that layer it names in `inputs`.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis import config

LAYERS = {"staging": "view", "intermediate": "table", "marts": "table"}


class ModelError(RuntimeError):
    """A SQL model failed; the message names the file."""


def sql_header(sql: str) -> dict[str, str]:
    """The `-- key: value` lines a SQL file starts with (keys lower-cased); the first other line ends it.
    Models and report queries share this header format (analysis/warehouse/queries.py)."""
    out = {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        key, sep, value = line[2:].partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def model_files(queries_dir: Path = config.QUERIES_DIR) -> list[Path]:
    """Every model file in run order: layer by layer, each after the models it reads."""
    ordered: list[Path] = []
    for layer in LAYERS:
        files = {p.stem: p for p in sorted((Path(queries_dir) / layer).glob("*.sql"))}
        deps = {stem: {w for w in re.findall(r"\w+", sql_header(p.read_text(encoding="utf-8")).get("inputs", ""))
                       if w in files and w != stem} for stem, p in files.items()}
        done: list[str] = []
        while len(done) < len(files):
            ready = [s for s in files if s not in done and deps[s] <= set(done)]
            if not ready:
                raise ModelError(f"queries/{layer}: models read each other in a cycle: "
                                 f"{', '.join(s for s in files if s not in done)}")
            done.append(ready[0])
        ordered += [files[s] for s in done]
    return ordered


def run_models(con, queries_dir: Path = config.QUERIES_DIR, after: dict | None = None,
               partitioned: bool = False) -> list[str]:
    """Create every model; `after[name](con)` runs right after model `name`. Returns the names created.

    `partitioned=True` (analysis/align/incremental.py): a table model whose header says
    `-- incremental: doc_id` is not rebuilt but updated for the dirty documents only, and its hook is
    called as `after[name](con, rows_table)` on the recomputed rows before they are inserted."""
    from analysis.align.incremental import replace_partition

    created = []
    for path in model_files(queries_dir):
        sql = path.read_text(encoding="utf-8")
        header = sql_header(sql)
        kind = header.get("materialized") or LAYERS[path.parent.name]
        if kind not in ("view", "table"):
            raise ModelError(f"{path.parent.name}/{path.name}: materialized must be view or table, not {kind!r}")
        body = sql.strip().rstrip(";")
        hook = (after or {}).get(path.stem)
        by_document = partitioned and kind == "table" and (header.get("incremental") or "").split()[:1] == ["doc_id"]
        try:
            if by_document:
                replace_partition(con, path.stem, body, hook)
            else:
                con.execute(f"CREATE OR REPLACE {kind.upper()} {path.stem} AS\n{body}")
        except Exception as exc:  # duckdb raises several error classes; name the file in any case
            raise ModelError(f"{path.parent.name}/{path.name}: {exc}") from exc
        created.append(path.stem)
        if hook is not None and not by_document:
            hook(con)
    return created
