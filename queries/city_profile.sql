-- purpose: one document's preferred targets, every indicator (the city profile)
-- grain: one row per indicator × scope × target year of the document
-- inputs: targets
-- parameters: doc_id (VARCHAR, default null)
-- used by: notebooks/07-city-profile.ipynb
SELECT coalesce(indicator_id, '—') AS indicator_id, coalesce(indicator_zh, raw_name) AS indicator_zh, indicator_en,
       domain, scope, scope_zh, baseline_year, baseline_value, target_year, target_value, comparator, target_text, unit, attribute,
       source_kind, quote, doc_id, start, "end"
FROM targets
WHERE doc_id = $doc_id AND preferred AND target_year IS NOT NULL
ORDER BY domain NULLS LAST, indicator_id NULLS LAST, target_year, raw_name
