-- purpose: each document with its city, level and region (region from the cities reference table)
-- grain: one row per document
-- inputs: documents, cities
-- parameters: none
-- used by: queries/intermediate/matched_statements.sql, queries/marts/document_regions.sql
SELECT d.doc_id, d.city, d.city_label, d.province, d.admin_level, c.region, c.region_zh
FROM documents d
LEFT JOIN (SELECT city, any_value(region) AS region, any_value(region_zh) AS region_zh FROM cities GROUP BY city) c
       ON c.city = d.city
