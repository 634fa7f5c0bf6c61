-- purpose: which registry indicators each document states (coverage heatmap); missing is FALSE, never zero
-- grain: one row per registry indicator (stated by at least one document) × document
-- inputs: indicators, documents, targets
-- parameters: none
-- used by: notebooks/01-overview.ipynb
WITH c AS (
    SELECT i.indicator_id, i.indicator_zh, i.indicator_en, i.domain, d.doc_id, d.city_label,
           count(t.doc_id)::INTEGER AS n_statements
    FROM indicators i
    CROSS JOIN documents d
    LEFT JOIN targets t ON t.indicator_id = i.indicator_id AND t.doc_id = d.doc_id AND t.source_kind <> 'series'
    GROUP BY ALL
)
SELECT indicator_id, indicator_zh, indicator_en, domain, doc_id, city_label, n_statements > 0 AS stated, n_statements
FROM c
WHERE indicator_id IN (SELECT indicator_id FROM c WHERE n_statements > 0)
ORDER BY domain, indicator_id, doc_id
