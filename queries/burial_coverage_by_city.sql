-- purpose: 公益性安葬(放)设施覆盖率 by city with the scope it is stated at (城乡 / 县级 / 旗市区级)
-- grain: one row per document × scope stating it (preferred target per target year)
-- inputs: targets
-- parameters: indicator_id (VARCHAR)
-- used by: notebooks/04-funeral-services.ipynb
SELECT doc_id, city_label, indicator_id, indicator_zh, scope, scope_zh, raw_name, baseline_value, target_year,
       target_value, comparator, attribute, source_kind, quote, start, "end"
FROM targets
WHERE indicator_id = $indicator_id AND preferred AND target_year IS NOT NULL
ORDER BY doc_id, target_year, scope NULLS FIRST
