-- purpose: the extracted statements, typed; the unit and values as the document wrote them
-- grain: one row per statement as extracted (document × target_no)
-- inputs: raw_targets
-- parameters: none
-- used by: queries/intermediate/matched_statements.sql
SELECT doc_id, target_no::INTEGER AS target_no, raw_name,
       baseline_year::INTEGER AS baseline_year, baseline_value::DOUBLE AS baseline_value,
       target_year::INTEGER AS target_year, target_value::DOUBLE AS target_value,
       target_value_high::DOUBLE AS target_value_high, comparator, target_text,
       unit AS unit_raw, attribute, source_kind, quote,
       start::INTEGER AS start, "end"::INTEGER AS "end", raw_start::INTEGER AS raw_start, raw_end::INTEGER AS raw_end,
       page::INTEGER AS page, page_label, coalesce(value_kind, 'level') AS value_kind
FROM raw_targets
