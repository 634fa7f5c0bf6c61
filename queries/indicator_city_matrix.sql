-- purpose: the aligned matrix: each indicator's preferred target per document for one target year
-- grain: one row per indicator × document × scope (the preferred statement: table before prose)
-- inputs: targets
-- parameters: target_year (INTEGER, default 2025)
-- used by: notebooks/05-all-indicators.ipynb, plans query indicator_city_matrix
SELECT indicator_id, indicator_zh, indicator_en, domain, doc_id, city_label, scope, scope_zh, comparator,
       target_value, target_value_high, target_text, unit, attribute, source_kind, quote, curated, start, "end"
FROM targets
WHERE preferred AND target_year = $target_year AND indicator_id IS NOT NULL
ORDER BY domain, indicator_id, doc_id, scope NULLS FIRST
