-- purpose: which manual correction applies to which statement (matched on the extracted doc_id, raw_name, and optionally source_kind and target_year), with the value it replaces
-- grain: one row per statement × correction that matches it
-- inputs: matched_statements, stg_corrections
-- parameters: none
-- incremental: doc_id (a document's rows depend on its own stage rows and the reference tables only)
-- used by: queries/intermediate/aligned_statements.sql, queries/marts/curation_log.sql, queries/marts/align_flags.sql
SELECT m.doc_id, m.target_no, c.correction_no, c.field, c.value, c.reason, c.curator, c.curated_on,
       CASE c.field
           WHEN 'indicator_id' THEN m.indicator_id
           WHEN 'scope' THEN m.scope
           WHEN 'baseline_year' THEN m.baseline_year::VARCHAR
           WHEN 'baseline_value' THEN m.baseline_value::VARCHAR
           WHEN 'target_year' THEN m.target_year::VARCHAR
           WHEN 'target_value' THEN m.target_value::VARCHAR
           WHEN 'comparator' THEN m.comparator
           WHEN 'target_text' THEN m.target_text
           WHEN 'unit' THEN m.unit
           WHEN 'attribute' THEN m.attribute
       END AS old_value
FROM matched_statements m
JOIN stg_corrections c
  ON c.doc_id = m.doc_id AND c.raw_name = m.raw_name
 AND (c.source_kind IS NULL OR c.source_kind = m.source_kind)
 AND (c.target_year IS NULL OR c.target_year = m.target_year)
