-- purpose: what changed between two versions of one plan (sidecar `supersedes`: 征求意见稿 → final, or a revised plan), target by target
-- grain: one row per (older, newer) document pair × indicator (or raw name) × scope × target year
-- inputs: documents, targets, plan_versions
-- parameters: none
-- used by: plans query version_changes; notebooks/10-versions.ipynb
WITH pairs AS (
    SELECT n.supersedes AS old_doc_id, n.doc_id AS new_doc_id, n.city_label, v.preferred_doc_id AS preferred_doc_id
    FROM documents n LEFT JOIN plan_versions v ON v.doc_id = n.doc_id
    WHERE n.supersedes IN (SELECT doc_id FROM documents)
),
one AS (  -- one statement per document × key: table before prose, then the earliest in the text
    SELECT doc_id, coalesce(indicator_id, 'raw:' || raw_name) AS k, coalesce(scope, '') AS sc,
           coalesce(target_year, -1) AS y, indicator_id, indicator_zh, raw_name, scope, target_year,
           comparator, target_value, target_text, unit, quote, start, "end"
    FROM targets
    WHERE source_kind <> 'series'
    QUALIFY row_number() OVER (PARTITION BY doc_id, k, sc, y
                               ORDER BY CASE source_kind WHEN 'table' THEN 0 ELSE 1 END, start) = 1
),
o AS (SELECT p.*, one.* EXCLUDE (doc_id) FROM pairs p JOIN one ON one.doc_id = p.old_doc_id),
n AS (SELECT p.*, one.* EXCLUDE (doc_id) FROM pairs p JOIN one ON one.doc_id = p.new_doc_id)
SELECT coalesce(o.city_label, n.city_label) AS city_label, coalesce(o.old_doc_id, n.old_doc_id) AS old_doc_id,
       coalesce(o.new_doc_id, n.new_doc_id) AS new_doc_id, coalesce(o.indicator_id, n.indicator_id) AS indicator_id,
       coalesce(o.indicator_zh, n.indicator_zh) AS indicator_zh, coalesce(o.raw_name, n.raw_name) AS raw_name,
       coalesce(o.scope, n.scope) AS scope, coalesce(o.target_year, n.target_year) AS target_year,
       o.comparator AS old_comparator, o.target_value AS old_target_value,
       n.comparator AS new_comparator, n.target_value AS new_target_value,
       o.unit AS old_unit, n.unit AS new_unit, coalesce(n.unit, o.unit) AS unit,
       o.k IS NOT NULL AS in_old, n.k IS NOT NULL AS in_new, o.target_text AS old_target_text, n.target_text AS new_target_text,
       CASE WHEN o.k IS NULL THEN 'added 新增' WHEN n.k IS NULL THEN 'removed 删除'
            WHEN o.target_value IS NOT DISTINCT FROM n.target_value AND o.comparator IS NOT DISTINCT FROM n.comparator
                 AND o.target_text IS NOT DISTINCT FROM n.target_text AND o.unit IS NOT DISTINCT FROM n.unit
            THEN 'unchanged 未变' ELSE 'changed 修改' END AS change,
       o.quote AS old_quote, n.quote AS new_quote,
       coalesce(o.preferred_doc_id, n.preferred_doc_id) AS preferred_doc_id,
       CASE WHEN coalesce(o.preferred_doc_id, n.preferred_doc_id) = coalesce(o.new_doc_id, n.new_doc_id) THEN '新版 newer'
            ELSE '更新的版本 a later version (' || coalesce(o.preferred_doc_id, n.preferred_doc_id, '?') || ')' END
         AS preferred_version,
       o.start AS old_start, o."end" AS old_end, n.start AS new_start, n."end" AS new_end
FROM o FULL JOIN n ON n.old_doc_id = o.old_doc_id AND n.new_doc_id = o.new_doc_id AND n.k = o.k AND n.sc = o.sc AND n.y = o.y
ORDER BY city_label, old_doc_id, new_doc_id, indicator_id NULLS LAST, raw_name, scope NULLS FIRST, target_year NULLS FIRST
