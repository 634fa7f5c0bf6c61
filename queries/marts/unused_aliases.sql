-- purpose: registry names and aliases that no document used (candidates for review)
-- grain: one row per registry indicator × alias no statement matched
-- inputs: indicator_aliases, name_matches
-- parameters: none
-- used by: plans build summary, notebooks/06-data-quality.ipynb
SELECT a.indicator_id, a.alias
FROM indicator_aliases a
ANTI JOIN (SELECT DISTINCT indicator_id, alias FROM name_matches WHERE alias IS NOT NULL) m
       ON m.indicator_id = a.indicator_id AND m.alias = a.alias
ORDER BY a.indicator_id, a.alias
