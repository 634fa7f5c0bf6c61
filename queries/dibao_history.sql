-- purpose: historical urban and rural 低保 standards by year (statistical tables), with rural converted to a monthly figure (÷ 12) and the rural/urban ratio
-- grain: one row per document × year
-- inputs: targets (source_kind = 'series')
-- parameters: urban_id (VARCHAR); rural_id (VARCHAR)
-- used by: notebooks/03-social-assistance-dibao.ipynb
SELECT doc_id, city_label, baseline_year AS year,
       max(baseline_value) FILTER (WHERE indicator_id = $urban_id) AS urban_monthly_yuan,
       max(baseline_value) FILTER (WHERE indicator_id = $rural_id) AS rural_annual_yuan,
       max(baseline_value) FILTER (WHERE indicator_id = $rural_id) / 12 AS rural_monthly_yuan,
       100 * (max(baseline_value) FILTER (WHERE indicator_id = $rural_id) / 12)
             / max(baseline_value) FILTER (WHERE indicator_id = $urban_id) AS rural_urban_ratio_pct,
       any_value(quote) AS quote
FROM targets
WHERE source_kind = 'series' AND indicator_id IN ($urban_id, $rural_id)
GROUP BY ALL
ORDER BY doc_id, year
