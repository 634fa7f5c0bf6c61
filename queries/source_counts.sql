-- purpose: how many statements came from indicator tables, prose, historical series and manual curation
-- grain: one row per document × source_kind × curated
-- inputs: targets
-- parameters: none
-- used by: notebooks/01-overview.ipynb
SELECT doc_id, city_label, source_kind, curated, count(*)::INTEGER AS n
FROM targets
GROUP BY ALL
ORDER BY doc_id, source_kind, curated
