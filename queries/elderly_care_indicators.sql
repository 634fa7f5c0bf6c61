-- purpose: the other elderly-care (养老服务) indicators the cities state, side by side
-- grain: one row per elderly-care indicator × document × scope (preferred 2025 target)
-- inputs: targets
-- parameters: none
-- used by: notebooks/02-elderly-care-nursing-beds.ipynb
SELECT indicator_id, indicator_zh, indicator_en, doc_id, city_label, scope_zh, baseline_value, target_value,
       comparator, target_text, unit, attribute, quote,
       count(*) OVER (PARTITION BY indicator_id)::INTEGER AS n_docs
FROM targets
WHERE domain = '养老服务' AND preferred AND target_year = 2025
ORDER BY n_docs DESC, indicator_id, doc_id
