"""Names as written → registry ids: the one part of alignment SQL cannot do.

`name_matches` has one row per distinct (raw name, unit as written) of `raw_targets`: the
indicator id, the scope (id and words), the alias it matched, how it matched and a score.
The SQL marts join it; nothing else decides which indicator a statement belongs to.
"""

from __future__ import annotations

import pandas as pd

from analysis import columns
from analysis.align.curate import closest
from analysis.align.registry import SCOPE_ZH, Registry

COLUMNS = columns.column_names("name_matches")
CANDIDATE_MIN = 0.8  # an unmatched name this close to a registry entry is "stated, not aligned", not "not stated"


def match_rows(registry: Registry, names: list[tuple[str, str | None]]) -> list[dict]:
    rows = []
    for raw_name, unit in names:
        m = registry.match(raw_name, unit)
        if m is None or m.indicator is None:
            row = {"raw_name": raw_name, "unit_raw": unit, "method": m.method if m else "none",
                   "score": m.score if m else None, "note": m.note if m else None}
            blocked = registry.alias_owner(m.alias) if m is not None else None
            best = closest(registry, raw_name, unit, n=1)
            if blocked:
                row.update(candidate_id=blocked, candidate_score=1.0)
            elif best and best[0].score >= CANDIDATE_MIN:
                row.update(candidate_id=best[0].indicator_id, candidate_score=best[0].score)
            rows.append(row)
            continue
        rows.append({"raw_name": raw_name, "unit_raw": unit, "indicator_id": m.indicator.id, "scope": m.scope,
                     "scope_zh": m.scope_zh or (SCOPE_ZH.get(m.scope) if m.scope else None), "alias": m.alias,
                     "method": m.method, "score": m.score, "note": m.note})
    return rows


def write_name_matches(con, registry: Registry) -> int:
    """Match every distinct name (+ unit) of `raw_targets`; write `name_matches`; return its row count."""
    names = con.execute("SELECT DISTINCT raw_name, unit FROM raw_targets WHERE raw_name IS NOT NULL "
                        "ORDER BY raw_name, unit NULLS FIRST").fetchall()
    df = pd.DataFrame(match_rows(registry, names), columns=COLUMNS)
    types = columns.schema("name_matches")
    con.execute("CREATE OR REPLACE TABLE name_matches ("
                + ", ".join(f'"{c}" {t}' for c, t in types.items()) + ")")
    if len(df):
        con.register("_nm", df)
        try:
            con.execute("INSERT INTO name_matches SELECT " + ", ".join(f'CAST("{c}" AS {t})' for c, t in types.items())
                        + " FROM _nm")
        finally:
            con.unregister("_nm")
    return len(df)
