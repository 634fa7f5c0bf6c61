-- purpose: values that came from manual curation (data/curation/) rather than extraction, with the reason
-- grain: one row per curated statement × field
-- inputs: curation_log, documents, indicators
-- parameters: none
-- used by: notebooks/06-data-quality.ipynb
SELECT c.doc_id, d.city_label, c.indicator_id, i.indicator_zh, c.raw_name, c.field, c.old_value, c.value,
       c.reason, c.curator, c.curated_on
FROM curation_log c
LEFT JOIN documents d USING (doc_id)
LEFT JOIN indicators i USING (indicator_id)
ORDER BY c.doc_id, c.raw_name, c.field
