-- purpose: which indicators each document omits although other documents state them (missing, not zero)
-- grain: one row per document × indicator stated elsewhere but not in this document
-- inputs: documents, targets
-- parameters: none
-- used by: notebooks/06-data-quality.ipynb, notebooks/07-city-profile.ipynb
WITH s AS (
    SELECT DISTINCT indicator_id, doc_id
    FROM targets
    WHERE indicator_id IS NOT NULL AND source_kind <> 'series'
), i AS (
    SELECT s.indicator_id, any_value(t.indicator_zh) AS indicator_zh, any_value(t.indicator_en) AS indicator_en,
           count(DISTINCT s.doc_id)::INTEGER AS n_docs
    FROM s JOIN (SELECT DISTINCT indicator_id, indicator_zh, indicator_en FROM targets) t USING (indicator_id)
    GROUP BY s.indicator_id
)
SELECT d.doc_id, d.city_label, i.indicator_id, i.indicator_zh, i.indicator_en, i.n_docs AS n_other_docs
FROM documents d
CROSS JOIN i
ANTI JOIN s ON s.doc_id = d.doc_id AND s.indicator_id = i.indicator_id
ORDER BY d.doc_id, i.n_docs DESC, i.indicator_id
