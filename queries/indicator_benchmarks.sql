-- purpose: benchmarks to draw on one indicator page: national targets (table benchmarks, with their source) and the targets of province-level plans in the corpus
-- grain: one row per benchmark (national: per benchmark row; provincial: per province-level document × scope)
-- inputs: benchmarks, targets, documents
-- parameters: indicator_id (VARCHAR, default null); target_year (INTEGER, default 2025)
-- used by: notebooks/08-indicator.ipynb (analysis/publish/grapher.py)
SELECT 'national' AS level, NULL AS province, b.scope, b.value, b.comparator, b.unit, b.source, b.note
FROM benchmarks b
WHERE b.indicator_id = $indicator_id AND b.year = $target_year AND b.value IS NOT NULL
UNION ALL
SELECT 'province' AS level, d.province, t.scope, t.target_value AS value, t.comparator, t.unit,
       coalesce(d.title, d.city_label) AS source, NULL AS note
FROM targets t JOIN documents d USING (doc_id)
WHERE t.indicator_id = $indicator_id AND t.target_year = $target_year AND t.preferred
  AND t.target_value IS NOT NULL AND d.admin_level = 'province'
ORDER BY level, province NULLS FIRST, scope NULLS FIRST, value
