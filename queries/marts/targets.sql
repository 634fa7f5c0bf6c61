-- purpose: the export contract: every statement aligned to the registry, columns in the order of data/reference/columns.yaml
-- grain: one row per document × statement (ordered by document and extraction order)
-- inputs: aligned_statements
-- parameters: none
-- incremental: doc_id (a document's rows depend on its own stage rows and the reference tables only)
-- used by: every report query, analysis/align/marts.py export_targets (targets.csv / targets.parquet)
SELECT doc_id::VARCHAR AS doc_id,
       city::VARCHAR AS city,
       indicator_id::VARCHAR AS indicator_id,
       indicator_zh::VARCHAR AS indicator_zh,
       raw_name::VARCHAR AS raw_name,
       scope::VARCHAR AS scope,
       baseline_year::INTEGER AS baseline_year,
       baseline_value::DOUBLE AS baseline_value,
       target_year::INTEGER AS target_year,
       target_value::DOUBLE AS target_value,
       comparator::VARCHAR AS comparator,
       target_text::VARCHAR AS target_text,
       unit::VARCHAR AS unit,
       attribute::VARCHAR AS attribute,
       source_kind::VARCHAR AS source_kind,
       quote::VARCHAR AS quote,
       page::INTEGER AS page,
       page_label::VARCHAR AS page_label,
       curated::BOOLEAN AS curated,
       city_label::VARCHAR AS city_label,
       province::VARCHAR AS province,
       admin_level::VARCHAR AS admin_level,
       indicator_en::VARCHAR AS indicator_en,
       domain::VARCHAR AS domain,
       scope_zh::VARCHAR AS scope_zh,
       target_value_high::DOUBLE AS target_value_high,
       value_kind::VARCHAR AS value_kind,
       unit_raw::VARCHAR AS unit_raw,
       target_value_raw::DOUBLE AS target_value_raw,
       baseline_value_raw::DOUBLE AS baseline_value_raw,
       start::INTEGER AS start,
       "end"::INTEGER AS "end",
       raw_start::INTEGER AS raw_start,
       raw_end::INTEGER AS raw_end,
       preferred::BOOLEAN AS preferred,
       flags::VARCHAR AS flags
FROM aligned_statements
ORDER BY doc_id, target_no
