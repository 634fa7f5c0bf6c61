-- purpose: everything one indicator page draws: each document's preferred baseline and target for $target_year, with the place it covers
-- grain: one row per document × scope stating a numeric target for $target_year (unit as the registry's, or not stated)
-- inputs: targets, documents, document_regions, indicators
-- parameters: indicator_id (VARCHAR, default null); target_year (INTEGER, default 2025)
-- used by: notebooks/08-indicator.ipynb (analysis/publish/grapher.py)
SELECT t.doc_id, d.city, d.city_label, d.province, d.admin_level, r.region, d.kind,
       t.scope, t.scope_zh, t.baseline_year, t.baseline_value, t.target_year, t.target_value, t.target_value_high,
       t.comparator, t.target_text, t.unit, t.attribute, t.source_kind, t.curated, t.quote, t.start, t."end", t.page, t.section,
       t.title, t.doc_number, t.issuer, t.issued_date, t.source_url,
       (t.unit IS NULL) AS unit_missing
FROM targets t
JOIN documents d USING (doc_id)
LEFT JOIN document_regions r USING (doc_id)
JOIN indicators i USING (indicator_id)
WHERE t.indicator_id = $indicator_id AND t.preferred AND t.target_year = $target_year
  AND t.target_value IS NOT NULL AND (t.unit IS NULL OR t.unit = i.unit)
ORDER BY t.scope NULLS FIRST, t.doc_id
