-- purpose: every document → the newest version of its plan (sidecar `supersedes` chains: 征求意见稿 → final → revision); the newest is the preferred version
-- grain: one row per document
-- inputs: documents
-- parameters: none
-- used by: queries/version_pairs.sql, queries/version_changes.sql
WITH RECURSIVE newest(doc_id, head, depth) AS (
    SELECT doc_id, doc_id, 0 FROM documents
    WHERE doc_id NOT IN (SELECT supersedes FROM documents WHERE supersedes IS NOT NULL)
    UNION ALL
    SELECT d.supersedes, v.head, v.depth + 1
    FROM newest v JOIN documents d ON d.doc_id = v.doc_id
    WHERE d.supersedes IN (SELECT doc_id FROM documents) AND v.depth < 50
)
SELECT doc_id, head AS preferred_doc_id, depth AS versions_newer
FROM newest
QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY depth) = 1
ORDER BY doc_id
