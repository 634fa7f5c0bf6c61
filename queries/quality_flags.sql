-- purpose: every quality flag (cleaning, extraction, alignment, build) a researcher should know before citing a number
-- grain: one row per flag
-- inputs: quality_flags, documents
-- parameters: kind (VARCHAR, default null)
-- used by: notebooks/01-overview.ipynb, notebooks/06-data-quality.ipynb, plans check
-- a document that failed to build has no documents row: it is labelled by its id (build_error flags)
SELECT f.doc_id, coalesce(d.city_label, '未读取 not built (' || f.doc_id || ')') AS city_label, f.stage, f.kind, f.severity, f.message, f.excerpt, f.raw_start, f.raw_end
FROM quality_flags f
LEFT JOIN documents d USING (doc_id)
WHERE $kind IS NULL OR f.kind = $kind
ORDER BY f.doc_id, f.stage, f.flag_no
