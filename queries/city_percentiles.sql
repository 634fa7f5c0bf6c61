-- purpose: for the city explorer, every document's numeric target for $target_year with its percentile among the documents stating the same indicator and scope (direction-aware: 100 = most ambitious; ties share the mid-rank)
-- grain: one row per document × indicator × scope (preferred target for $target_year)
-- inputs: targets, indicators
-- parameters: target_year (INTEGER, default 2025)
-- used by: notebooks/09-city-explorer.ipynb (analysis/publish/explorer.py)
WITH t AS (
    SELECT t.doc_id, t.indicator_id, coalesce(t.scope, '') AS scope, any_value(t.scope_zh) AS scope_zh,
           max(t.baseline_value) AS baseline_value, max(t.target_value) AS target_value,
           any_value(t.comparator) AS comparator, any_value(i.direction) AS direction,
           arg_max(t.start, t.target_value) AS start, arg_max(t."end", t.target_value) AS "end"
    FROM targets t JOIN indicators i USING (indicator_id)
    WHERE t.preferred AND t.target_year = $target_year AND t.target_value IS NOT NULL
      AND (t.unit IS NULL OR t.unit = i.unit)
    GROUP BY t.doc_id, t.indicator_id, coalesce(t.scope, '')
)
SELECT doc_id, indicator_id, scope, scope_zh, baseline_value, target_value, comparator, n_docs, start, "end",
       round(CASE WHEN direction = 'lower_is_better' THEN 100.0 - pct_up ELSE pct_up END, 6) AS percentile
FROM (
SELECT *, count(*) OVER w AS n_docs,
       -- mid-rank: documents tied at a value share the middle of their positions (all equal → 50)
       CASE WHEN count(*) OVER w < 2 THEN NULL
            ELSE 50.0 * (percent_rank() OVER (w ORDER BY target_value)
                         + (cume_dist() OVER (w ORDER BY target_value) * count(*) OVER w - 1) / (count(*) OVER w - 1))
       END AS pct_up
FROM t
WINDOW w AS (PARTITION BY indicator_id, scope)
)
ORDER BY doc_id, indicator_id, scope
