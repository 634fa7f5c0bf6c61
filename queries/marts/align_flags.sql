-- purpose: the flags alignment raises, numbered after each document's other flags: names not in the registry, corrections that match nothing
-- grain: one row per flag (unmatched name per document, or unmatched correction)
-- inputs: aligned_statements, stg_corrections, statement_corrections, quality_flags
-- parameters: none
-- used by: analysis/align/marts.py (appended to quality_flags)
WITH u AS (
    SELECT doc_id, raw_name, arg_min(quote, target_no) AS quote
    FROM aligned_statements
    WHERE indicator_id IS NULL
    GROUP BY doc_id, raw_name
), f AS (
    SELECT doc_id, 0 AS grp, raw_name AS k, 'unmatched_indicator' AS kind, 'info' AS severity,
           '未匹配指标 / name not in the registry: ' || raw_name AS message, left(quote, 200) AS excerpt
    FROM u
    UNION ALL
    SELECT doc_id, 1, lpad(correction_no::VARCHAR, 8, '0'), 'curation_unmatched', 'warning',
           '人工校订未匹配任何记录 / correction matches no statement: ' || label, label
    FROM stg_corrections
    WHERE correction_no NOT IN (SELECT correction_no FROM statement_corrections)
), base AS (
    SELECT doc_id, max(flag_no) AS last_no FROM quality_flags WHERE stage <> 'align' GROUP BY doc_id
)
SELECT f.doc_id,
       (coalesce(base.last_no, -1) + row_number() OVER (PARTITION BY f.doc_id ORDER BY f.grp, f.k))::INTEGER AS flag_no,
       'align' AS stage, f.kind, f.severity, f.message, NULL::INTEGER AS start, NULL::INTEGER AS "end",
       NULL::INTEGER AS raw_start, NULL::INTEGER AS raw_end, f.excerpt
FROM f
LEFT JOIN base ON base.doc_id = f.doc_id
ORDER BY f.doc_id, flag_no
