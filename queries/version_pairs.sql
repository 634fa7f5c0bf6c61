-- purpose: the plans the corpus holds in more than one version (sidecar `supersedes`), each older → newer pair with both documents' citation and the preferred (newest) version
-- grain: one row per (older, newer) document pair
-- inputs: documents, targets, plan_versions
-- parameters: none
-- used by: notebooks/10-versions.ipynb; analysis/publish/report.py (the versions page is built only when this returns rows)
WITH counts AS (SELECT doc_id, count(*)::INTEGER AS n FROM targets WHERE source_kind <> 'series' GROUP BY doc_id)
SELECT n.city_label, o.doc_id AS old_doc_id, o.title AS old_title, o.issued_date AS old_issued_date,
       n.doc_id AS new_doc_id, n.title AS new_title, n.issued_date AS new_issued_date,
       v.preferred_doc_id AS preferred_doc_id, p.title AS preferred_title,
       coalesce(co.n, 0) AS old_n_targets, coalesce(cn.n, 0) AS new_n_targets
FROM documents n
JOIN documents o ON o.doc_id = n.supersedes
LEFT JOIN plan_versions v ON v.doc_id = n.doc_id
LEFT JOIN documents p ON p.doc_id = v.preferred_doc_id
LEFT JOIN counts co ON co.doc_id = o.doc_id
LEFT JOIN counts cn ON cn.doc_id = n.doc_id
ORDER BY n.city_label, o.doc_id, n.doc_id
