-- purpose: the manual corrections of data/curation/corrections.yaml, typed (loaded and validated by analysis/align/reference.py)
-- grain: one row per correction
-- inputs: corrections
-- parameters: none
-- used by: queries/intermediate/statement_corrections.sql, queries/marts/align_flags.sql
SELECT correction_no::INTEGER AS correction_no, doc_id, raw_name, nullif(source_kind, '') AS source_kind,
       target_year::INTEGER AS target_year, field, value, reason, curator, curated_on, label
FROM corrections
