-- purpose: 养老机构护理型床位占比 by city: baseline, target, percentage points per year needed, gap to the national benchmark
-- grain: one row per document stating the indicator (its preferred 2025 target)
-- inputs: targets, benchmarks
-- parameters: indicator_id (VARCHAR); target_year (INTEGER)
-- used by: notebooks/02-elderly-care-nursing-beds.ipynb
WITH b AS (SELECT value, source FROM benchmarks WHERE indicator_id = $indicator_id AND year = $target_year)
SELECT t.doc_id, t.city_label, t.admin_level, t.baseline_year, t.baseline_value, t.target_year, t.target_value,
       t.comparator, t.attribute,
       (t.target_value - t.baseline_value) / (t.target_year - t.baseline_year) AS pp_per_year_needed,
       b.value AS benchmark_value, b.source AS benchmark_source,
       t.target_value - b.value AS gap_to_benchmark_pp, t.source_kind, t.quote, t.start, t."end"
FROM targets t
LEFT JOIN b ON TRUE
WHERE t.indicator_id = $indicator_id AND t.preferred AND t.target_year = $target_year
ORDER BY t.doc_id
