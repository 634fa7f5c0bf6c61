-- purpose: which registry indicators each document states (coverage heatmap); missing is FALSE, never zero
-- grain: one row per registry indicator (stated by at least one document) × document
-- inputs: indicators, documents, targets
-- parameters: none
-- used by: notebooks/01-overview.ipynb
WITH n AS (
    SELECT indicator_id, doc_id, count(*)::INTEGER AS n
    FROM targets
    WHERE indicator_id IS NOT NULL AND source_kind <> 'series'
    GROUP BY ALL
)
SELECT i.indicator_id, i.indicator_zh, i.indicator_en, i.domain, d.doc_id, d.city_label,
       coalesce(n.n, 0) > 0 AS stated, coalesce(n.n, 0) AS n_statements
FROM indicators i
CROSS JOIN documents d
LEFT JOIN n ON n.indicator_id = i.indicator_id AND n.doc_id = d.doc_id
WHERE i.indicator_id IN (SELECT indicator_id FROM n)
ORDER BY i.domain, i.indicator_id, d.doc_id
