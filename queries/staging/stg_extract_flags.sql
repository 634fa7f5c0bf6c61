-- purpose: extraction flags that point at a span of the text (attached to the statements they overlap)
-- grain: one row per extraction flag with offsets
-- inputs: quality_flags
-- parameters: none
-- used by: queries/intermediate/matched_statements.sql
SELECT doc_id, flag_no, kind, start::INTEGER AS start, "end"::INTEGER AS "end"
FROM quality_flags
WHERE stage = 'extract' AND start IS NOT NULL
