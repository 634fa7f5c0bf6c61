-- purpose: where a document's indicator table and its own prose give different values for the same indicator
-- grain: one row per conflict flag
-- inputs: quality_flags, documents, targets (the table statement the flag points at, by its span)
-- parameters: none
-- used by: notebooks/06-data-quality.ipynb
WITH t AS (
    SELECT doc_id, start, "end", arg_min(indicator_id, raw_name) AS indicator_id,
           arg_min(coalesce(indicator_zh, raw_name), raw_name) AS indicator_zh, min(raw_name) AS raw_name
    FROM targets
    WHERE source_kind = 'table'
    GROUP BY doc_id, start, "end"
)
SELECT f.doc_id, d.city_label, t.indicator_id, t.indicator_zh, t.raw_name, f.message, f.excerpt, f.start, f."end"
FROM quality_flags f
LEFT JOIN documents d USING (doc_id)
LEFT JOIN t ON t.doc_id = f.doc_id AND t.start = f.start AND t."end" = f."end"
WHERE f.kind = 'table_prose_conflict'
ORDER BY f.doc_id, f.flag_no
