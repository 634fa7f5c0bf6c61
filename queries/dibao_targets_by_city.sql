-- purpose: how each city words its 低保 targets: growth (often qualitative), level as a share of consumption, rural/urban ratio
-- grain: one row per 低保 target statement (document × indicator × scope × source)
-- inputs: targets
-- parameters: growth_id (VARCHAR); ratio_id (VARCHAR); share_id (VARCHAR)
-- used by: notebooks/03-social-assistance-dibao.ipynb
SELECT doc_id, city_label, indicator_id, indicator_zh, indicator_en, scope, scope_zh, target_year, comparator,
       target_value, target_value_high, target_text, unit, attribute, source_kind, preferred, quote, start, "end"
FROM targets
WHERE indicator_id IN ($growth_id, $ratio_id, $share_id)
  AND target_year IS NOT NULL
ORDER BY doc_id, indicator_id, scope NULLS FIRST, source_kind DESC
