-- purpose: actual growth of the 低保 standards over the historical series: compound annual growth rate (CAGR) per series
-- grain: one row per document × series (urban / rural)
-- inputs: targets (source_kind = 'series')
-- parameters: urban_id (VARCHAR); rural_id (VARCHAR)
-- used by: notebooks/03-social-assistance-dibao.ipynb
WITH s AS (
    SELECT doc_id, city_label,
           CASE indicator_id WHEN $urban_id THEN 'urban' ELSE 'rural' END AS series,
           baseline_year AS y, baseline_value AS v
    FROM targets
    WHERE source_kind = 'series' AND indicator_id IN ($urban_id, $rural_id)
)
SELECT doc_id, city_label, series, min(y) AS first_year, max(y) AS last_year,
       arg_min(v, y) AS first_value, arg_max(v, y) AS last_value,
       100 * (pow(arg_max(v, y) / arg_min(v, y), 1.0 / (max(y) - min(y))) - 1) AS cagr_pct
FROM s
GROUP BY ALL
HAVING max(y) > min(y)
ORDER BY doc_id, series
