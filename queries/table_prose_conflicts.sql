-- purpose: where a document's indicator table and its own prose give different values for the same indicator
-- grain: one row per conflict flag
-- inputs: quality_flags, documents
-- parameters: none
-- used by: notebooks/06-data-quality.ipynb
SELECT f.doc_id, d.city_label, regexp_extract(f.message, '“([^”]+)”', 1) AS indicator_zh, f.message, f.excerpt
FROM quality_flags f
LEFT JOIN documents d USING (doc_id)
WHERE f.kind = 'table_prose_conflict'
ORDER BY f.doc_id, f.flag_no
