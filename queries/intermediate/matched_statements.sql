-- purpose: each statement with its registry match (name_matches), its document, the extraction flags on its span, and values in the registry's unit where the conversion is exact (unit_conversions); a value flagged suspect_unit is never rescaled
-- grain: one row per statement (document × target_no)
-- inputs: stg_raw_targets, stg_documents, stg_extract_flags, name_matches, indicators, unit_conversions
-- parameters: none
-- incremental: doc_id (a document's rows depend on its own stage rows and the reference tables only)
-- used by: queries/intermediate/statement_corrections.sql, queries/intermediate/aligned_statements.sql
WITH f AS MATERIALIZED (  -- small (statements with flags): built once, then hash-joined onto every statement
    SELECT r.doc_id, r.target_no, string_agg(DISTINCT f.kind, ',' ORDER BY f.kind) AS flags,
           bool_or(f.kind = 'suspect_unit') AS suspect_unit
    FROM stg_raw_targets r
    JOIN stg_extract_flags f ON f.doc_id = r.doc_id AND f.start < r."end" AND r.start < f."end"
    GROUP BY r.doc_id, r.target_no
), m AS (
    SELECT r.*, d.city, coalesce(d.city_label, r.doc_id) AS city_label, d.province, d.admin_level,
           nm.indicator_id, nm.scope, nm.scope_zh, i.unit AS indicator_unit, f.flags,
           CASE WHEN coalesce(f.suspect_unit, FALSE) THEN NULL ELSE c.factor END AS factor
    FROM stg_raw_targets r
    LEFT JOIN stg_documents d ON d.doc_id = r.doc_id
    LEFT JOIN name_matches nm ON nm.raw_name = r.raw_name AND nm.unit_raw IS NOT DISTINCT FROM r.unit_raw
    LEFT JOIN indicators i ON i.indicator_id = nm.indicator_id
    LEFT JOIN f ON f.doc_id = r.doc_id AND f.target_no = r.target_no
    LEFT JOIN unit_conversions c ON c.from_unit = r.unit_raw AND c.to_unit = i.unit AND r.unit_raw <> i.unit
)
SELECT doc_id, target_no, city, city_label, province, admin_level, indicator_id, raw_name, scope, scope_zh,
       baseline_year, target_year,
       CASE WHEN factor IS NULL THEN baseline_value ELSE baseline_value * factor END AS baseline_value,
       CASE WHEN factor IS NULL THEN target_value ELSE target_value * factor END AS target_value,
       CASE WHEN factor IS NULL THEN target_value_high ELSE target_value_high * factor END AS target_value_high,
       comparator, target_text, CASE WHEN factor IS NULL THEN unit_raw ELSE indicator_unit END AS unit, unit_raw,
       target_value AS target_value_raw, baseline_value AS baseline_value_raw, attribute, source_kind, quote,
       start, "end", raw_start, raw_end, page, page_label, value_kind, flags, factor IS NOT NULL AS converted
FROM m
