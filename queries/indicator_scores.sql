-- purpose: normalised ambition scores (0–1) per indicator across documents, direction-aware (lower-is-better indicators inverted); for radar profiles
-- grain: one row per indicator × document with a numeric 2025 target (indicators stated by at least two documents)
-- inputs: targets, indicators
-- parameters: target_year (INTEGER)
-- used by: analysis.publish.echart.radar_chart (kept for callers; the reports use indicator_percentiles)
WITH t AS (
    SELECT t.indicator_id, t.indicator_zh, t.indicator_en, t.doc_id, t.city_label, max(t.target_value) AS target_value,
           any_value(i.direction) AS direction
    FROM targets t JOIN indicators i USING (indicator_id)
    WHERE t.preferred AND t.target_year = $target_year AND t.target_value IS NOT NULL
    GROUP BY ALL
), w AS (
    SELECT *, min(target_value) OVER (PARTITION BY indicator_id) AS lo, max(target_value) OVER (PARTITION BY indicator_id) AS hi,
           count(*) OVER (PARTITION BY indicator_id) AS n
    FROM t
)
SELECT indicator_id, indicator_zh, indicator_en, doc_id, city_label, target_value,
       CASE WHEN hi = lo THEN 1.0
            WHEN direction = 'lower_is_better' THEN (hi - target_value) / (hi - lo)
            ELSE (target_value - lo) / (hi - lo) END AS score
FROM w
WHERE n >= 2
ORDER BY indicator_id, doc_id
