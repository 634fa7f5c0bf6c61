-- purpose: the parent plans each document says it is based on (依据《…》/根据《…》), with the corpus document when it is there
-- grain: one row per document × parent plan named
-- inputs: plan_lineage, documents
-- parameters: none
-- used by: plans query plan_lineage; notebooks/06-data-quality.ipynb (versions and lineage)
SELECT l.doc_id, d.city_label, d.title, l.relation, l.parent_title, l.parent_level, l.parent_doc_id,
       p.city_label AS parent_city_label, l.quote
FROM plan_lineage l
JOIN documents d USING (doc_id)
LEFT JOIN documents p ON p.doc_id = l.parent_doc_id
ORDER BY l.doc_id, l.lineage_no
