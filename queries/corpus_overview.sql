-- purpose: the corpus at a glance: each document with its city, kind, size, flags and how many values came from tables, prose, series and curation
-- grain: one row per document
-- inputs: documents, targets
-- parameters: none
-- used by: notebooks 01–07 (source lines), plans query corpus_overview
SELECT d.doc_id, d.city_label, d.province, d.admin_level, d.kind, d.title, d.n_chars, d.n_flags, d.n_targets,
       count(t.doc_id) FILTER (WHERE t.source_kind = 'table')::INTEGER AS n_table,
       count(t.doc_id) FILTER (WHERE t.source_kind = 'prose')::INTEGER AS n_prose,
       count(t.doc_id) FILTER (WHERE t.source_kind = 'series')::INTEGER AS n_series,
       count(t.doc_id) FILTER (WHERE t.curated)::INTEGER AS n_curated
FROM documents d
LEFT JOIN targets t USING (doc_id)
GROUP BY ALL
ORDER BY d.doc_id
