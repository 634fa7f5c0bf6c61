"""Passage search over every document (`plans search`, and `search("护理型床位")` in a notebook).

The query is normalised the way documents are cleaned (traditional → simplified with OpenCC t2s,
full-width → ASCII), split on spaces into terms, and every term must occur in a passage (plain
substring search: partial words match). When no passage holds a term exactly, a second pass accepts
passages holding the term's characters in order with at most two others between each pair
(护理床位 finds 护理型床位). Matching runs in
DuckDB with the terms bound as parameters — never formatted into the SQL — and needs no extension:
the build writes `search_text` (each distinct passage text once) and `search_passages` (every
passage → its text), so text repeated across documents is scanned once; a database without them is
searched through `passages` directly.

Ranking: occurrences of the terms (a term in the heading path counts double), damped by passage
length, then document and passage order (deterministic). Each hit comes back with its city,
document, section (heading path), page (when the build recorded pages) and a snippet with every
hit marked **like this**.

Speed (3,300 generated documents, 243,506 passages, 30,874 distinct texts of 2.9 M characters): the
scan of the distinct texts is the floor (~12–25 ms CPU); the passages are ranked and cut to `limit`
before the documents are joined (unless a city filter needs them). An n-gram index table was measured
and dropped: DuckDB's pushed-down `contains` over the deduplicated texts beat the posting-list lookup
plus the check of its candidates. `search_records` needs no pandas (the CLI imports neither pandas nor
pyarrow: most of a `plans search` is the interpreter and its imports); `search` wraps it in a DataFrame.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from analysis import config
from analysis.clean.document import t2s_converter

MARK = ("**", "**")
SNIPPET = 60  # characters of context on each side of the first hit
LIMIT = 50
COLUMNS = ["rank", "score", "city", "doc_id", "title", "section", "page", "kind", "passage_no", "start", "end",
           "match", "text"]
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class SearchError(ValueError):
    pass


def normalise_query(query: str) -> list[str]:
    """Terms of a query as the cleaned text spells them (simplified, ASCII punctuation), longest first kept unique."""
    text = t2s_converter().convert(str(query or "")).translate(_WIDTH)
    terms = []
    for t in text.split():
        if t and t not in terms:
            terms.append(t)
    return terms


def loose_pattern(term: str) -> str:
    """A regular expression for a term's characters in order, with up to two characters between each."""
    return ".{0,2}?".join(re.escape(c) for c in term)


def _columns(con, table: str) -> set[str] | None:
    """The columns of a table, or None when it does not exist (one cheap query, no catalog scan)."""
    import duckdb

    try:
        return {d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description}
    except duckdb.CatalogException:
        return None


def _sql(n_terms: int, *, city: bool, indicator: bool, section: bool, page: bool, limit: int, loose: bool,
         indexed: bool) -> str:
    """Matching texts are found and scored once per distinct text (`hit`), then joined to their passages."""
    if loose:  # bound regular expressions (loose_pattern)
        hit = " AND ".join(f"regexp_matches(text, $t{i})" for i in range(n_terms))
        count = " + ".join(f"len(regexp_extract_all(text, $t{i}))" for i in range(n_terms))
        bonus = " + ".join(f"2 * len(regexp_extract_all(coalesce(p.heading_path, ''), $t{i}))" for i in range(n_terms))
    else:
        hit = " AND ".join(f"contains(text, $t{i})" for i in range(n_terms))
        count = " + ".join(f"(length(text) - length(replace(text, $t{i}, ''))) / length($t{i})" for i in range(n_terms))
        bonus = " + ".join(f"2 * (length(coalesce(p.heading_path, '')) - length(replace(coalesce(p.heading_path, ''), $t{i}, '')))"
                           f" / length($t{i})" for i in range(n_terms))
    where = ["p.kind <> 'toc'"]
    if city:
        where.append("(contains(d.city, $city) OR contains(d.city_label, $city) OR d.doc_id = $city)")
    if section:
        where.append("contains(coalesce(p.heading_path, ''), $section)")
    if indicator:
        where.append("EXISTS (SELECT 1 FROM targets t WHERE t.doc_id = p.doc_id AND t.indicator_id = $indicator "
                     "AND t.start >= p.start AND t.start < p.\"end\")")
    page_col = "p.page" if page else "CAST(NULL AS INTEGER)"
    docs_first = city  # a city filter needs the documents before the cut; otherwise join them to `limit` rows
    if indexed:
        hits = f"SELECT text_id, text, {count} AS n_hits, length(text) AS n_chars FROM search_text WHERE {hit}"
        source = "hit h JOIN search_passages p ON p.text_id = h.text_id"
    else:
        hits = (f"SELECT doc_id, passage_no, text, {count} AS n_hits, length(text) AS n_chars FROM passages "
                f"WHERE {hit}")
        source = "hit h JOIN passages p ON p.doc_id = h.doc_id AND p.passage_no = h.passage_no"
    return f"""
        WITH hit AS ({hits}),
        top AS (
            SELECT (h.n_hits + {bonus}) / ln(h.n_chars + 10) * 3 AS score, p.doc_id,
                   nullif(p.heading_path, '') AS section, {page_col} AS page, p.kind, p.passage_no, p.start,
                   p."end", h.text
            FROM {source}{" JOIN documents d ON d.doc_id = p.doc_id" if docs_first else ""}
            WHERE {' AND '.join(where)}
            ORDER BY score DESC, p.doc_id, p.passage_no
            LIMIT {int(limit)})
        SELECT t.score, d.city_label AS city, t.doc_id, d.title, t.section, t.page, t.kind, t.passage_no, t.start,
               t."end", t.text
        FROM top t JOIN documents d ON d.doc_id = t.doc_id
        ORDER BY t.score DESC, t.doc_id, t.passage_no"""


def has_search_index(con) -> bool:
    return _columns(con, "search_text") is not None and _columns(con, "search_passages") is not None


def build_search_index(con) -> tuple[int, int]:
    """Index tables written at build time: each distinct passage text once (`search_text`), and every
    passage pointing at its text (`search_passages`). A repeated paragraph (boilerplate shared by many
    documents) is then searched once. Returns (passages, distinct texts)."""
    page = ", page" if "page" in (_columns(con, "passages") or ()) else ""
    con.execute("""CREATE OR REPLACE TABLE search_text AS
                   SELECT row_number() OVER (ORDER BY text) :: INTEGER AS text_id, text
                   FROM (SELECT DISTINCT text FROM passages WHERE kind <> 'toc' AND text IS NOT NULL)""")
    con.execute(f"""CREATE OR REPLACE TABLE search_passages AS
                    SELECT p.doc_id, p.passage_no, p.kind, p.heading_path, p.start, p."end"{page}, s.text_id
                    FROM passages p JOIN search_text s ON s.text = p.text
                    WHERE p.kind <> 'toc' ORDER BY s.text_id, p.doc_id, p.passage_no""")
    return (con.execute("SELECT count(*) FROM search_passages").fetchone()[0],
            con.execute("SELECT count(*) FROM search_text").fetchone()[0])


def _rx(terms: list[str], loose: bool = False) -> re.Pattern:
    parts = [loose_pattern(t) if loose else re.escape(t) for t in sorted(terms, key=len, reverse=True)]
    return re.compile("|".join(parts))


def mark(text: str, terms: list[str], loose: bool = False) -> str:
    """The text with every occurrence of a term wrapped in ** **."""
    if not terms:
        return text
    return _rx(terms, loose).sub(lambda m: f"{MARK[0]}{m.group(0)}{MARK[1]}", text)


def snippet(text: str, terms: list[str], width: int = SNIPPET, loose: bool = False) -> str:
    """One line around the first hit, hits marked, newlines shown as ' / '."""
    m = _rx(terms, loose).search(text) if terms else None
    first, size = (m.start(), len(m.group(0))) if m else (0, 0)
    lo, hi = max(0, first - width), min(len(text), first + width + size)
    piece = mark(text[lo:hi], terms, loose)
    piece = re.sub(r"\s*\n+\s*", " / ", piece).strip()
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")


def search(query: str, city: str | None = None, indicator: str | None = None, section: str | None = None,
           con=None, *, limit: int = LIMIT, db_path: Path | None = None):
    """Ranked passages holding every term of `query` (see the module docstring) as a DataFrame
    (columns `COLUMNS`); an empty frame when none."""
    import pandas as pd

    rows = search_records(query, city, indicator, section, con, limit=limit, db_path=db_path)
    df = pd.DataFrame(rows, columns=COLUMNS)
    if rows:
        df["page"] = df["page"].astype("Int32")
    return df


def search_records(query: str, city: str | None = None, indicator: str | None = None, section: str | None = None,
                   con=None, *, limit: int = LIMIT, db_path: Path | None = None) -> list[dict]:
    """`search` without pandas: one dict per hit (keys `COLUMNS`), best first."""
    terms = normalise_query(query)
    if not terms:
        raise SearchError("empty query / 请输入检索词")
    own = con is None
    if own:
        import duckdb

        path = Path(db_path or config.DB_PATH)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no database yet; run `plans build` (or `make report`) first")
        con = duckdb.connect(str(path), read_only=True)
    try:
        cols = _columns(con, "search_passages")
        indexed = cols is not None and _columns(con, "search_text") is not None
        page = "page" in (cols if indexed else _columns(con, "passages") or ())
        filters = {k: v for k, v in (("city", t2s_converter().convert(city) if city else None), ("indicator", indicator),
                                     ("section", t2s_converter().convert(section) if section else None)) if v}
        flags = {"city": "city" in filters, "indicator": "indicator" in filters, "section": "section" in filters}
        loose = False
        rows = _run(con, terms, filters, flags, page, limit, loose, indexed)
        if not rows and any(len(t) > 2 for t in terms):
            loose = True
            rows = _run(con, [loose_pattern(t) for t in terms], filters, flags, page, limit, loose, indexed)
    finally:
        if own:
            con.close()
    for i, r in enumerate(rows, start=1):
        r["rank"], r["score"] = i, round(float(r["score"]), 3)
        r["match"] = snippet(r["text"], terms, loose=loose)
    return [{c: r[c] for c in COLUMNS} for r in rows]


def _run(con, terms, filters, flags, page, limit, loose, indexed) -> list[dict]:
    params = {f"t{i}": t for i, t in enumerate(terms)} | filters
    cur = con.execute(_sql(len(terms), page=page, limit=limit, loose=loose, indexed=indexed, **flags), params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _blank(v) -> bool:
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>"


def format_hits(hits, query: str) -> str:
    """The terminal view: one block per hit (rank, city, document, section, page, marked text);
    `hits` is `search_records`' list or `search`'s DataFrame."""
    rows = hits.to_dict("records") if hasattr(hits, "to_dict") else list(hits)
    if not rows:
        return f"未找到匹配段落 / no passage matches {query!r}"
    out = []
    for r in rows:
        where = " · ".join(str(x) for x in (r["city"], r["title"] if not _blank(r["title"]) else r["doc_id"])
                           if not _blank(x))
        sec = r["section"] if isinstance(r["section"], str) and r["section"] else "—"
        pg = "" if _blank(r["page"]) else f" · 第{int(r['page'])}页 p. {int(r['page'])}"
        out.append(f"{r['rank']:>3}. {where}\n     {sec}{pg} [{r['doc_id']} #{r['passage_no']}]\n     {r['match']}")
    return "\n".join(out) + f"\n\n{len(rows)} passages"


def write_csv(hits: list[dict], out) -> None:
    """The hits as CSV (every column but the full `text`; the `city` column names each hit's city)."""
    import csv

    cols = [c for c in COLUMNS if c != "text"]
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for r in hits:
        w.writerow(["" if _blank(r[c]) else r[c] for c in cols])


BENCH_QUERIES = (("护理型床位", {}), ("護理型床位", {}), ("殡葬 火化", {}), ("护理床位", {}), ("量子计算机", {}),
                 ("护理型床位", {"city": "市"}), ("火化率", {"indicator": "cremation_rate"}), ("养老", {"section": "任务"}))


def benchmark(db_path: Path, repeat: int = 7, cpu: bool = False) -> dict:
    """Median milliseconds of `search` per benchmark query (simplified, traditional, several terms,
    characters in order, no hits, each filter) on a built database, warm (after one unmeasured run);
    `cpu=True`: {query: {"wall_ms", "cpu_ms"}} (CPU of this process, every thread). Used by `make bench`."""
    import statistics
    import time

    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    out: dict = {}
    try:
        for q, kw in BENCH_QUERIES:
            search_records(q, con=con, **kw)  # warm: the first run reads the tables from disk
            wall, used = [], []
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                search_records(q, con=con, **kw)
                wall.append((time.perf_counter() - t0) * 1000)
                used.append((time.process_time() - c0) * 1000)
            name = " ".join([q, *(f"--{k} {v}" for k, v in kw.items())])
            out[name] = ({"wall_ms": statistics.median(wall), "cpu_ms": statistics.median(used)} if cpu
                         else statistics.median(wall))
    finally:
        con.close()
    return out


def benchmark_cli(db_path: Path, query: str = "护理型床位", repeat: int = 3) -> dict[str, float]:
    """`plans search QUERY --db PATH` as a reader runs it: median wall and CPU (user + sys) ms of the process."""
    import os
    import statistics
    import subprocess
    import sys
    import time

    exe = Path(sys.executable).with_name("plans")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis"]
    wall, used = [], []
    for _ in range(repeat):
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run([*cmd, "search", query, "--db", str(db_path)], check=True, capture_output=True)
        wall.append((time.perf_counter() - t0) * 1000)
        after = os.times()
        used.append((after.children_user - before.children_user + after.children_system - before.children_system) * 1000)
    return {"wall_ms": statistics.median(wall), "cpu_ms": statistics.median(used)}
