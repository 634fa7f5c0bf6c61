-- purpose: funeral-service targets (cremation, eco-burial, burial facilities, clean-up), including 2021 and 2022 milestones
-- grain: one row per funeral indicator statement (document × indicator × target year × source)
-- inputs: targets
-- parameters: none
-- used by: notebooks/04-funeral-services.ipynb
SELECT doc_id, city_label, indicator_id, indicator_zh, indicator_en, scope_zh, target_year, target_value, comparator,
       target_text, source_kind, preferred, quote, start, "end"
FROM targets
WHERE domain = '殡葬服务' AND target_year IS NOT NULL
ORDER BY indicator_id, doc_id, target_year, source_kind DESC
