-- purpose: every value that came from manual curation: the statement, the field, the value it replaced and why
-- grain: one row per statement × correction applied to it
-- inputs: statement_corrections, aligned_statements
-- parameters: none
-- used by: queries/curated_values.sql
SELECT a.doc_id, a.raw_name, a.indicator_id, a.source_kind, a.target_year, c.field, c.old_value, c.value,
       c.reason, c.curator, c.curated_on
FROM statement_corrections c
JOIN aligned_statements a ON a.doc_id = c.doc_id AND a.target_no = c.target_no
ORDER BY c.correction_no, a.doc_id, a.target_no
