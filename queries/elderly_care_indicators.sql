-- purpose: the other elderly-care (养老服务) indicators the cities state, side by side
-- grain: one row per elderly-care indicator × document × scope (preferred 2025 target)
-- inputs: targets
-- parameters: domain (VARCHAR); target_year (INTEGER)
-- used by: notebooks/02-elderly-care-nursing-beds.ipynb
SELECT indicator_id, indicator_zh, indicator_en, doc_id, city_label, scope_zh, baseline_value, target_value,
       comparator, target_text, unit, attribute, quote, start, "end",
       count(*) OVER (PARTITION BY indicator_id)::INTEGER AS n_docs
FROM targets
WHERE domain = $domain AND preferred AND target_year = $target_year
ORDER BY n_docs DESC, indicator_id, doc_id
