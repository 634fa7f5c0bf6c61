-- purpose: indicator names that no registry entry matches (candidates for new aliases or indicators)
-- grain: one row per unmatched statement
-- inputs: unmatched_names
-- parameters: none
-- used by: notebooks/06-data-quality.ipynb
SELECT doc_id, city_label, raw_name, source_kind, quote
FROM unmatched_names
ORDER BY doc_id, raw_name, source_kind
