-- purpose: indicators that one city makes binding (约束性) and another only expected (预期性)
-- grain: one row per indicator stated with both attributes
-- inputs: targets
-- parameters: none
-- used by: notebooks/05-all-indicators.ipynb
SELECT indicator_id, any_value(indicator_zh) AS indicator_zh, any_value(indicator_en) AS indicator_en,
       string_agg(DISTINCT city_label, '、' ORDER BY city_label) FILTER (WHERE attribute = '约束性') AS binding_cities,
       string_agg(DISTINCT city_label, '、' ORDER BY city_label) FILTER (WHERE attribute = '预期性') AS expected_cities
FROM targets
WHERE preferred AND indicator_id IS NOT NULL AND attribute IS NOT NULL
GROUP BY indicator_id
HAVING count(DISTINCT attribute) > 1
ORDER BY indicator_id
