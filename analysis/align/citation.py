"""Citation columns of the `targets` mart: every row says where its value comes from.

`add_citation_columns(con)` runs at the end of the marts, in SQL, and fills the contract's citation
columns (data/reference/columns.yaml) from the tables the build already wrote:

- `title`, `doc_number`, `issuer`, `issued_date`, `source_url`: the document's sidecar (`documents`);
- `section`: the heading path of the passage that holds the quote (`passages`, an as-of join on the
  quote's start offset; table-of-contents lines are skipped); empty before the first heading;
- `page`: the PDF page of the quote when extraction recorded one (a `page` column of `raw_targets`),
  else empty;
- `quote`: readable. A table flattened one cell per line (`9\\n\\n养老机构护理型床位占比\\n\\n%\\n\\n42`) is
  printed as a row (`养老机构护理型床位占比 | % | 42`): cells joined by ` | `, a leading row number
  dropped. `start`/`end` still point at the exact text in the cleaned document, so the verbatim quote
  stays checkable (`documents.text[start:end]`).

Versions (sidecar `supersedes`): the rows of a document that a newer one in the corpus supersedes
are marked `superseded` and are never `preferred` (the newest version is what charts use). The
parent plans of `plan_lineage` are resolved to corpus documents by title (the newest version).

Nothing here changes a value; columns the contract does not know are kept after the contract's own.
"""

from __future__ import annotations

from analysis import columns

CITATION_FROM_DOCUMENT = ("title", "doc_number", "issuer", "issued_date", "source_url")

# One cell per line → cells joined by ' | '; rows with at least four cells lose a leading row number.
_CELLS = "list_filter(list_transform(string_split(t.quote, chr(10)), lambda c: trim(c)), lambda c: c <> '')"
_JOINED = f"CASE WHEN contains(t.quote, chr(10)) THEN array_to_string({_CELLS}, ' | ') ELSE t.quote END"
READABLE_QUOTE = (
    f"CASE WHEN t.source_kind = 'table' AND len(string_split({_JOINED}, ' | ')) >= 4 "
    f"THEN regexp_replace({_JOINED}, '^[0-9]{{1,3}} \\| ([^0-9 ])', '\\1') ELSE {_JOINED} END")


SUPERSEDED = "coalesce(t.doc_id IN (SELECT supersedes FROM documents WHERE supersedes IS NOT NULL), false)"
# titles compare without quotes, brackets and spaces (“十四五” vs "十四五")
_TITLE_KEY = "regexp_replace({}, '[\\s“”\"《》〈〉()（）]', '', 'g')"


def _columns_of(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $t AND table_schema = 'main' "
        "ORDER BY ordinal_position", {"t": table}).fetchall()]


def citation_select(con, table: str = "targets") -> str:
    """The SELECT that rebuilds `targets` (or rows of it held in `table`) with its citation columns."""
    have = _columns_of(con, table)
    doc_cols = set(_columns_of(con, "documents"))
    page_known = "page" in _columns_of(con, "raw_targets")
    computed = {
        **{c: (f"nullif(trim(CAST(d.{c} AS VARCHAR)), '')" if c in doc_cols else "CAST(NULL AS VARCHAR)")
           for c in CITATION_FROM_DOCUMENT},
        "section": "nullif(s.heading_path, '')",
        "page": "CAST(pg.page AS INTEGER)" if page_known else "CAST(NULL AS INTEGER)",
        "quote": READABLE_QUOTE,
        "superseded": SUPERSEDED,
        "preferred": f"t.preferred AND NOT {SUPERSEDED}",
    }
    contract = columns.column_names("targets")
    extra = [c for c in have if c not in contract and not c.startswith("_")]
    select = [f'{computed[c]} AS "{c}"' if c in computed else f't."{c}"' for c in contract] + [f't."{c}"' for c in extra]
    missing = [c for c in contract if c not in computed and c not in have]
    if missing:
        raise ValueError(f"targets lacks contract columns {', '.join(missing)} (data/reference/columns.yaml)")
    page_join = ("LEFT JOIN (SELECT doc_id, start, \"end\", min(page) AS page FROM raw_targets GROUP BY ALL) pg "
                 "ON pg.doc_id = t.doc_id AND pg.start = t.start AND pg.\"end\" = t.\"end\"") if page_known else ""
    return f"""
        WITH t AS (SELECT rowid AS _row, * FROM {table}),
        p AS (SELECT doc_id, start, heading_path FROM passages WHERE kind <> 'toc'),
        s AS (SELECT t._row, p.heading_path FROM t ASOF LEFT JOIN p ON p.doc_id = t.doc_id AND p.start <= t.start)
        SELECT {", ".join(select)}
        FROM t
        LEFT JOIN documents d ON d.doc_id = t.doc_id
        LEFT JOIN s ON s._row = t._row
        {page_join}
        ORDER BY t._row"""


def add_citation_columns(con, table: str = "targets", temporary: bool = False) -> None:
    """Rebuild `targets` (or a temporary table of its rows) in place with title, doc_number, issuer,
    issued_date, source_url, page, section and a readable quote (row order and every other column
    unchanged); then resolve plan versions."""
    con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {table} AS {citation_select(con, table)}")
    resolve_versions(con)


def resolve_versions(con) -> None:
    """plan_lineage.parent_doc_id from titles; a `supersedes` naming no corpus document is flagged."""
    if _columns_of(con, "plan_lineage"):
        con.execute(f"""
            UPDATE plan_lineage SET parent_doc_id = m.doc_id
            FROM (SELECT {_TITLE_KEY.format('title')} AS k,
                         min(doc_id) FILTER (WHERE doc_id NOT IN (SELECT supersedes FROM documents WHERE supersedes IS NOT NULL))
                           AS doc_id
                  FROM documents WHERE title IS NOT NULL GROUP BY ALL) m
            WHERE m.k = {_TITLE_KEY.format('plan_lineage.parent_title')} AND m.doc_id <> plan_lineage.doc_id""")
    con.execute("""
        INSERT INTO quality_flags (doc_id, flag_no, stage, kind, severity, message, excerpt)
        SELECT d.doc_id, (coalesce((SELECT max(flag_no) FROM quality_flags q WHERE q.doc_id = d.doc_id), -1) + 1)::INTEGER,
               'align', 'sidecar', 'warning',
               '元数据 supersedes 指向的文件不在语料中 / supersedes names no document of the corpus: ' || d.supersedes,
               d.supersedes
        FROM documents d WHERE d.supersedes IS NOT NULL AND d.supersedes NOT IN (SELECT doc_id FROM documents)""")
