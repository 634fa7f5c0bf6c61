-- purpose: historical urban and rural 低保 standards by year (statistical tables), with rural converted to a monthly figure (÷ 12) and the rural/urban ratio
-- grain: one row per document × year
-- inputs: targets (source_kind = 'series')
-- parameters: none
-- used by: notebooks/03-social-assistance-dibao.ipynb
SELECT doc_id, city_label, baseline_year AS year,
       max(baseline_value) FILTER (WHERE indicator_id = 'dibao_urban_standard') AS urban_monthly_yuan,
       max(baseline_value) FILTER (WHERE indicator_id = 'dibao_rural_standard') AS rural_annual_yuan,
       max(baseline_value) FILTER (WHERE indicator_id = 'dibao_rural_standard') / 12 AS rural_monthly_yuan,
       100 * (max(baseline_value) FILTER (WHERE indicator_id = 'dibao_rural_standard') / 12)
             / max(baseline_value) FILTER (WHERE indicator_id = 'dibao_urban_standard') AS rural_urban_ratio_pct,
       any_value(quote) AS quote
FROM targets
WHERE source_kind = 'series' AND indicator_id IN ('dibao_urban_standard', 'dibao_rural_standard')
GROUP BY ALL
ORDER BY doc_id, year
