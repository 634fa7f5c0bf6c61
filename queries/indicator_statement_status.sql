-- purpose: for the reports: does each document state each indicator (stated), state something the registry did not align although it resembles the indicator (unaligned: the names as written), or not state it (not_stated)? A registry miss is never shown as 未提及
-- grain: one row per document × registry indicator stated (or nearly stated) by at least one document
-- inputs: documents, indicators, targets, name_matches
-- parameters: none
-- used by: notebooks (coverage and city profiles), plans query indicator_statement_status
WITH s AS (
    SELECT doc_id, indicator_id, count(*)::INTEGER AS n
    FROM targets
    WHERE indicator_id IS NOT NULL AND source_kind <> 'series'
    GROUP BY ALL
), u AS (
    SELECT t.doc_id, nm.candidate_id AS indicator_id, string_agg(DISTINCT t.raw_name, '；' ORDER BY t.raw_name) AS raw_names,
           count(*)::INTEGER AS n
    FROM targets t
    JOIN name_matches nm ON nm.raw_name = t.raw_name AND nm.unit_raw IS NOT DISTINCT FROM t.unit_raw
    WHERE t.indicator_id IS NULL AND nm.candidate_id IS NOT NULL
    GROUP BY ALL
), i AS (
    SELECT indicator_id FROM s UNION SELECT indicator_id FROM u
)
SELECT d.doc_id, d.city_label, ind.indicator_id, ind.indicator_zh, ind.indicator_en, ind.domain,
       CASE WHEN s.n IS NOT NULL THEN 'stated' WHEN u.n IS NOT NULL THEN 'unaligned' ELSE 'not_stated' END AS status,
       CASE WHEN s.n IS NOT NULL THEN '已提及 stated'
            WHEN u.n IS NOT NULL THEN '已提及但未对齐 stated, not aligned'
            ELSE '未提及 not stated' END AS status_label,
       coalesce(s.n, u.n, 0) AS n_statements, CASE WHEN s.n IS NULL THEN u.raw_names END AS raw_names
FROM documents d
CROSS JOIN indicators ind
JOIN i ON i.indicator_id = ind.indicator_id
LEFT JOIN s ON s.doc_id = d.doc_id AND s.indicator_id = ind.indicator_id
LEFT JOIN u ON u.doc_id = d.doc_id AND u.indicator_id = ind.indicator_id
ORDER BY ind.domain, ind.indicator_id, d.doc_id
