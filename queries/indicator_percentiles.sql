-- purpose: where each document's target sits among the documents stating the same indicator at the same scope: a within-indicator percentile (0 = least, 100 = most ambitious, direction-aware; ties share the mid-rank), for relative indicators only (shares, rates, ratios, growth; counts and amounts grow with a city's size and are left out)
-- grain: one row per indicator × scope × document with a numeric preferred target for $target_year (indicator × scope stated by at least $min_docs documents)
-- inputs: targets, indicators
-- parameters: target_year (INTEGER, default 2025); min_docs (INTEGER, default 2); kinds (VARCHAR, default share,rate,ratio,growth)
-- used by: notebooks/05-all-indicators.ipynb, notebooks/07-city-profile.ipynb
WITH t AS (
    SELECT t.indicator_id, t.indicator_zh, t.indicator_en, i.kind, i.direction, t.unit, t.scope, t.scope_zh,
           t.doc_id, t.city_label, t.target_value, t.comparator, t.quote, t.start, t."end"
    FROM targets t JOIN indicators i USING (indicator_id)
    WHERE t.preferred AND t.target_year = $target_year AND t.target_value IS NOT NULL
      AND i.direction IN ('higher_is_better', 'lower_is_better')
      AND list_contains(string_split($kinds, ','), i.kind)
    QUALIFY row_number() OVER (PARTITION BY t.indicator_id, t.scope, t.doc_id ORDER BY t.target_value DESC) = 1
), r AS (
    SELECT a.*, count(*) OVER w AS n_docs,
           (SELECT count(*) FROM t b WHERE b.indicator_id = a.indicator_id AND b.scope IS NOT DISTINCT FROM a.scope
                AND CASE a.direction WHEN 'lower_is_better' THEN b.target_value > a.target_value
                                     ELSE b.target_value < a.target_value END) AS n_less_ambitious,
           (SELECT count(*) FROM t b WHERE b.indicator_id = a.indicator_id AND b.scope IS NOT DISTINCT FROM a.scope
                AND b.target_value = a.target_value) AS n_tied
    FROM t a
    WINDOW w AS (PARTITION BY a.indicator_id, a.scope)
)
SELECT indicator_id, indicator_zh, indicator_en, kind, direction, unit, scope, scope_zh, doc_id, city_label,
       target_value, comparator, n_docs::INTEGER AS n_docs, n_less_ambitious::INTEGER AS n_less_ambitious,
       n_tied::INTEGER AS n_tied,
       (n_docs - n_less_ambitious - n_tied + 1)::INTEGER AS rank,
       100.0 * (n_less_ambitious + (n_tied - 1) / 2.0) / (n_docs - 1) AS percentile, quote, start, "end"
FROM r
WHERE n_docs >= $min_docs AND n_docs >= 2
ORDER BY indicator_id, scope NULLS FIRST, percentile DESC, doc_id
