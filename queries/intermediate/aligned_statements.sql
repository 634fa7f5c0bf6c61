-- purpose: statements after manual corrections (the last correction of a field wins), with the registry names of the final indicator id and `preferred` (one row per document × indicator-or-raw-name × scope × year: table before prose)
-- grain: one row per statement (document × target_no)
-- inputs: matched_statements, statement_corrections, indicators
-- parameters: none
-- incremental: doc_id (a document's rows depend on its own stage rows and the reference tables only)
-- used by: queries/marts/targets.sql, queries/marts/curation_log.sql, queries/marts/unmatched_names.sql, queries/marts/align_flags.sql
WITH p AS (
    SELECT doc_id, target_no,
           max_by(value, correction_no) FILTER (WHERE field = 'indicator_id') AS indicator_id,
           max_by(value, correction_no) FILTER (WHERE field = 'scope') AS scope,
           max_by(value, correction_no) FILTER (WHERE field = 'baseline_year') AS baseline_year,
           max_by(value, correction_no) FILTER (WHERE field = 'baseline_value') AS baseline_value,
           max_by(value, correction_no) FILTER (WHERE field = 'target_year') AS target_year,
           max_by(value, correction_no) FILTER (WHERE field = 'target_value') AS target_value,
           max_by(value, correction_no) FILTER (WHERE field = 'comparator') AS comparator,
           max_by(value, correction_no) FILTER (WHERE field = 'target_text') AS target_text,
           max_by(value, correction_no) FILTER (WHERE field = 'unit') AS unit,
           max_by(value, correction_no) FILTER (WHERE field = 'attribute') AS attribute
    FROM statement_corrections
    GROUP BY doc_id, target_no
), a AS (
    SELECT m.doc_id, m.target_no, m.city, m.city_label, m.province, m.admin_level,
           coalesce(p.indicator_id, m.indicator_id) AS indicator_id, m.raw_name,
           coalesce(p.scope, m.scope) AS scope, m.scope_zh,
           coalesce(p.baseline_year::INTEGER, m.baseline_year) AS baseline_year,
           coalesce(p.baseline_value::DOUBLE, m.baseline_value) AS baseline_value,
           coalesce(p.target_year::INTEGER, m.target_year) AS target_year,
           coalesce(p.target_value::DOUBLE, m.target_value) AS target_value, m.target_value_high,
           coalesce(p.comparator, m.comparator) AS comparator, coalesce(p.target_text, m.target_text) AS target_text,
           coalesce(p.unit, m.unit) AS unit, m.unit_raw, m.target_value_raw, m.baseline_value_raw,
           coalesce(p.attribute, m.attribute) AS attribute, m.source_kind, m.quote, m.start, m."end", m.raw_start,
           m.raw_end, m.page, m.page_label, m.value_kind, m.flags, m.converted, p.doc_id IS NOT NULL AS curated
    FROM matched_statements m
    LEFT JOIN p ON p.doc_id = m.doc_id AND p.target_no = m.target_no
)
SELECT a.*, i.indicator_zh, i.indicator_en, i.domain,
       row_number() OVER (
           PARTITION BY a.doc_id, coalesce(a.indicator_id, 'raw:' || a.raw_name), coalesce(a.scope, ''),
                        a.source_kind = 'series', coalesce(a.target_year, a.baseline_year, -1)
           ORDER BY CASE a.source_kind WHEN 'table' THEN 0 WHEN 'series' THEN 0 WHEN 'prose' THEN 1 ELSE 2 END,
                    a.target_no) = 1 AS preferred
FROM a
LEFT JOIN indicators i ON i.indicator_id = a.indicator_id
