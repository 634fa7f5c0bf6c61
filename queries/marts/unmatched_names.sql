-- purpose: statements whose name no registry entry matches (candidates for new aliases: `plans align --suggest`)
-- grain: one row per unmatched statement
-- inputs: aligned_statements
-- parameters: none
-- used by: queries/unmatched_names.sql, plans build summary
SELECT doc_id, city_label, raw_name, source_kind, quote
FROM aligned_statements
WHERE indicator_id IS NULL
ORDER BY doc_id, raw_name, source_kind, target_no
