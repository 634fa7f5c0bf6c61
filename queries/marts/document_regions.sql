-- purpose: each document's region (from data/reference/cities.yaml); documents themselves are never updated by alignment
-- grain: one row per document
-- inputs: stg_documents
-- parameters: none
-- used by: notebooks (regional grouping)
SELECT doc_id, city, city_label, region, region_zh
FROM stg_documents
ORDER BY doc_id
