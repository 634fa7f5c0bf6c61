-- purpose: for the city explorer, each document's milestone targets (years other than $target_year) and its quality flags by kind
-- grain: one row per document × indicator × scope × milestone year (kind = 'milestone'), or per document × flag kind (kind = 'flag')
-- inputs: targets, quality_flags
-- parameters: target_year (INTEGER, default 2025)
-- used by: notebooks/09-city-explorer.ipynb (analysis/publish/explorer.py)
SELECT 'milestone' AS kind, doc_id, indicator_id, scope_zh AS label, target_year AS year, max(target_value) AS value
FROM targets
WHERE preferred AND indicator_id IS NOT NULL AND target_year IS NOT NULL AND target_year <> $target_year
  AND target_value IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'flag' AS kind, doc_id, NULL AS indicator_id, kind AS label, NULL AS year, count(*) AS value
FROM quality_flags
GROUP BY ALL
ORDER BY kind, doc_id, indicator_id NULLS FIRST, label NULLS FIRST, year NULLS FIRST
