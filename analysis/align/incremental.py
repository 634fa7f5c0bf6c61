"""Incremental alignment: re-run the document-partitioned marts only for the documents they change.

Models whose header says `-- incremental: doc_id` (matched_statements, statement_corrections,
aligned_statements, targets) produce the rows of one document from that document's rows of the stage
tables and from the reference tables only. When the build starts from the previous database, those
models keep every row of the documents that are unchanged and recompute the rows of the *dirty*
documents: the documents added, changed or removed, plus those an edit of the curated files reaches:

- a name whose registry match changed (`name_matches` before and after, row by row);
- a correction added, changed or removed (`corrections` before and after, row by row);
- a document whose `superseded` status changed (another document's `supersedes` points at it or not).

Everything else alignment reads decides for all documents at once; when it changed (indicators,
cities, unit conversions, any `drop: true` correction) or when most documents are dirty, the marts are
rebuilt in full (`dirty_documents` returns None). The models that are not partitioned (flags, logs,
unmatched names, unused aliases, regions) always run in full: they are small.
"""

from __future__ import annotations

from pathlib import Path

# Reference tables whose change reaches every document, with the columns the partitioned models read (None:
# all). An edit elsewhere in a row (an indicator's aliases or definition) does not realign anything by itself:
# the name matches it changes do. tests/test_incremental.py checks the models read no other column.
GLOBAL_REFERENCE = {"indicators": ("indicator_id", "indicator_zh", "indicator_en", "domain", "unit"),
                    "cities": None, "unit_conversions": None}
PARTITIONED = ("matched_statements", "statement_corrections", "aligned_statements", "targets")
DIRTY_TABLE = "_dirty_documents"
MAX_DIRTY_SHARE = 0.5  # above this share of the documents a full rebuild of the marts is cheaper


def _exists(con, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND NOT temporary",
                       {"t": table}).fetchall()[0][0] > 0


def _digest(con, table: str, cols: tuple[str, ...] | None = None) -> str | None:
    """A digest of a table's content (those columns; order-independent); None when the table does not exist."""
    if not _exists(con, table):
        return None
    sel = ", ".join(f'"{c}"' for c in cols) if cols else "*"
    return str(con.execute(f'SELECT count(*), sum(hash(t)::HUGEINT) FROM (SELECT {sel} FROM "{table}") t')
               .fetchall()[0])


def remember(con) -> dict | None:
    """Before the reference tables are rewritten: their digests and copies of `name_matches` and
    `corrections` (temporary tables). None when the database holds no complete earlier alignment."""
    if not all(_exists(con, t) for t in (*PARTITIONED, "name_matches", "corrections", *GLOBAL_REFERENCE)):
        return None
    con.execute("CREATE OR REPLACE TEMP TABLE _old_name_matches AS SELECT * FROM name_matches")
    con.execute("CREATE OR REPLACE TEMP TABLE _old_corrections AS SELECT * FROM corrections")
    return {t: _digest(con, t, cols) for t, cols in GLOBAL_REFERENCE.items()}


def _has_drops(curation_dir: Path) -> bool:
    from analysis.align.registry import load_yaml_list

    path = Path(curation_dir) / "corrections.yaml"
    return path.exists() and any(c.get("drop") for c in load_yaml_list(path, "corrections"))


def dirty_documents(con, old: dict | None, changed: set[str], curation_dir: Path) -> int | None:
    """After the reference tables and `name_matches` are rewritten: write the dirty documents to
    `_dirty_documents` and return how many; None when the marts must be rebuilt in full."""
    try:
        if old is None or any(_digest(con, t, c) != old[t] for t, c in GLOBAL_REFERENCE.items()) or _has_drops(curation_dir):
            return None
        con.execute(f"CREATE OR REPLACE TEMP TABLE {DIRTY_TABLE} (doc_id VARCHAR)")
        if changed:
            con.executemany(f"INSERT INTO {DIRTY_TABLE} VALUES (?)", [[d] for d in sorted(changed)])
        con.execute(f"""
            INSERT INTO {DIRTY_TABLE}
            SELECT DISTINCT r.doc_id FROM raw_targets r
            JOIN ((SELECT * FROM _old_name_matches EXCEPT SELECT * FROM name_matches)
                  UNION ALL (SELECT * FROM name_matches EXCEPT SELECT * FROM _old_name_matches)) n
              ON n.raw_name = r.raw_name AND n.unit_raw IS NOT DISTINCT FROM r.unit
            UNION
            SELECT doc_id FROM ((SELECT * FROM _old_corrections EXCEPT SELECT * FROM corrections)
                                UNION ALL (SELECT * FROM corrections EXCEPT SELECT * FROM _old_corrections))
            UNION
            SELECT DISTINCT doc_id FROM targets
            WHERE superseded IS DISTINCT FROM
                  coalesce(doc_id IN (SELECT supersedes FROM documents WHERE supersedes IS NOT NULL), false)""")
        n_dirty, n_docs = con.execute(f"SELECT count(DISTINCT doc_id), (SELECT count(*) FROM documents) "
                                      f"FROM {DIRTY_TABLE}").fetchall()[0]
        if n_docs and n_dirty > MAX_DIRTY_SHARE * n_docs:
            return None
        return n_dirty
    finally:
        con.execute("DROP TABLE IF EXISTS _old_name_matches")
        con.execute("DROP TABLE IF EXISTS _old_corrections")


def replace_partition(con, name: str, body: str, hook=None) -> None:
    """Recompute model `name` for the dirty documents: its rows for them are computed into a temporary
    table (then passed to `hook(con, table)`, e.g. the citation columns), deleted and inserted again."""
    rows = f"_rows_{name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rows} AS SELECT * FROM (\n{body}\n) "
                f"WHERE doc_id IN (SELECT doc_id FROM {DIRTY_TABLE})")
    try:
        if hook is not None:
            hook(con, rows)
        if _types(con, rows) != _types(con, name):  # e.g. a column typed NULL when the last build had no rows
            con.execute(f"CREATE OR REPLACE TABLE {name} AS\n{body}")  # this model in full (its rows are all right)
            if hook is not None:
                hook(con)
            return
        con.execute(f"DELETE FROM {name} WHERE doc_id IN (SELECT doc_id FROM {DIRTY_TABLE})")
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {rows}")
    finally:
        con.execute(f"DROP TABLE IF EXISTS {rows}")


def _types(con, table: str) -> dict[str, str]:
    return {c: t for c, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()}


def finish(con) -> None:
    con.execute(f"DROP TABLE IF EXISTS {DIRTY_TABLE}")
