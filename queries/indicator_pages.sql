-- purpose: the indicators that get a page of their own: stated (numeric target for $target_year) by at least $min_docs documents
-- grain: one row per indicator
-- inputs: targets, indicators, documents
-- parameters: target_year (INTEGER, default 2025); min_docs (INTEGER, default 2)
-- used by: analysis/publish/report.py (one notebooks/08-indicator.ipynb page per row), analysis/publish/explorer.py
WITH stated AS (
    SELECT indicator_id, count(DISTINCT doc_id) AS n_docs
    FROM targets
    WHERE preferred AND indicator_id IS NOT NULL AND target_year = $target_year AND target_value IS NOT NULL
    GROUP BY indicator_id
)
SELECT s.indicator_id, i.indicator_zh, i.indicator_en, i.domain, i.domain_en, i.unit, i.direction, s.n_docs,
       (SELECT count(*) FROM documents) AS n_documents,
       100.0 * s.n_docs / (SELECT count(*) FROM documents) AS share_pct
FROM stated s JOIN indicators i USING (indicator_id)
WHERE s.n_docs >= $min_docs
ORDER BY i.domain, s.n_docs DESC, s.indicator_id
