"""The `numbers` table's question for curators: which numbers of the text did nothing explain?

A number is explained when it became a row (target, milestone, baseline, observation), was read in
a table, or was rejected for a known reason (a date, a document number, a past achievement …).
What is left (`decision = 'unexplained'`) reads like a target but gave no row: a reader should
look at each (`plans check --numbers [DOC]`).
"""

from __future__ import annotations

import pandas as pd


def unexplained_numbers(con, doc_id: str | None = None) -> pd.DataFrame:
    """One row per unexplained number (all documents, or one `doc_id`, or a doc_id prefix), in text order,
    with the words around it."""
    return con.execute(
        """SELECT n.doc_id, d.city_label AS city, n.number_text AS number, n.start, n.raw_start,
                  regexp_replace(substr(d.text, greatest(n.start - 24, 1), n."end" - n.start + 44), '\\s+', ' ', 'g')
                      AS context,
                  n.reason
           FROM numbers n LEFT JOIN documents d USING (doc_id)
           WHERE n.decision = 'unexplained' AND ($doc IS NULL OR n.doc_id = $doc OR starts_with(n.doc_id, $doc))
           ORDER BY n.doc_id, n.start""", {"doc": doc_id}).df()


def number_decisions(con, doc_id: str | None = None) -> pd.DataFrame:
    """How many numbers got each decision and reason (all documents or one)."""
    return con.execute(
        """SELECT decision, coalesce(reason, '') AS reason, count(*) AS n
           FROM numbers WHERE ($doc IS NULL OR doc_id = $doc OR starts_with(doc_id, $doc))
           GROUP BY ALL ORDER BY n DESC, decision, reason""", {"doc": doc_id}).df()
