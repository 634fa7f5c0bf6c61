"""Stage 1, ingest: the raw folder, sidecars (provenance beside each raw file), file types and encodings.

Nothing here changes a raw file; everything downstream reads bytes through this stage.
"""

from analysis.ingest.encoding import DocumentError, decode_bytes
from analysis.ingest.sidecars import (
                                      KINDS,
                                      LEVELS,
                                      SIDECAR_FIELDS,
                                      AddResult,
                                      SidecarError,
                                      add_document,
                                      add_to_raw,
                                      list_documents,
                                      load_sidecar,
                                      remove_document,
                                      safe_name,
                                      sha256_file,
                                      sidecar_path,
                                      sidecar_warnings,
                                      stem_clashes,
)

__all__ = ["KINDS", "LEVELS", "SIDECAR_FIELDS", "AddResult", "DocumentError", "SidecarError", "add_document",
           "add_to_raw", "decode_bytes", "list_documents", "load_sidecar", "remove_document", "safe_name",
           "sha256_file", "sidecar_path", "sidecar_warnings", "stem_clashes"]
