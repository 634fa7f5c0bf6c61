"""JSON Schemas of the curated files (registry, corrections), checked with jsonschema.

A bad entry is refused with one message naming the file, the entry (number and id) and the field.
Whether an entry is valid is decided by a small checker of the keywords these schemas use (`is_valid`),
and jsonschema is imported only to explain an entry that fails: importing jsonschema costs ~3 s of CPU
(its format checkers compile dozens of grammars), which a rebuild after a registry edit cannot afford.
tests/test_schemas.py checks that the two agree.
"""

from __future__ import annotations

from pathlib import Path

from analysis.ingest.validation import first_problem, is_valid  # noqa: F401 - is_valid is part of this module's API

DIRECTIONS = ["higher_is_better", "lower_is_better", "neutral"]
KINDS = ["rate", "share", "count", "level", "growth", "ratio", "area", "amount", "index"]
SCOPES = ["county", "urban_rural", "township", "subdistrict", "village", "urban", "rural", "city", "community"]
# (the scope ids of data/reference/scope_words.yaml; tests/test_registry.py checks the two agree)
CORRECTABLE = ["indicator_id", "scope", "baseline_year", "baseline_value", "target_year", "target_value",
               "comparator", "target_text", "unit", "attribute"]

_TEXT = {"type": "string", "minLength": 1}
_ALIAS = {"oneOf": [_TEXT, {"type": "object", "required": ["name"], "additionalProperties": False,
                            "properties": {"name": _TEXT, "scope": {"enum": SCOPES}, "unit": _TEXT}}]}

INDICATOR = {
    "type": "object",
    "required": ["id", "name_zh", "name_en", "domain", "unit", "direction"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "name_zh": _TEXT, "name_en": _TEXT, "domain": _TEXT, "domain_en": {"type": "string"},
        "unit": _TEXT, "direction": {"enum": DIRECTIONS}, "kind": {"enum": KINDS},
        "definition": {"type": "string"},
        "aliases": {"type": "array", "items": _ALIAS},
        "scopes": {"type": "array", "items": {"enum": SCOPES}},
        "units": {"type": "array", "items": _TEXT},
    },
}

CORRECTION = {
    "type": "object",
    "required": ["doc_id", "raw_name", "field", "value", "reason"],
    "additionalProperties": False,
    "properties": {
        "doc_id": _TEXT, "raw_name": _TEXT, "source_kind": {"enum": ["table", "prose", "series"]},
        "target_year": {"type": "integer", "minimum": 1949, "maximum": 2100},
        "field": {"enum": CORRECTABLE}, "value": {"type": ["string", "number"]},
        "reason": _TEXT, "curator": {"type": "string"}, "date": {"type": ["string", "null"]},
    },
}


class SchemaError(ValueError):
    """A curated file breaks its schema; the message names the file, the entry and the field."""


def check_entry(schema: dict, item, path: Path, n: int, error: type[Exception] = SchemaError) -> None:
    """Raise SchemaError for the first problem of entry `n` (1-based) of `path`."""
    problem = first_problem(schema, item)
    if problem is None:
        return
    label = (item.get("id") or item.get("raw_name") or "?") if isinstance(item, dict) else repr(item)
    raise error(f"{Path(path).name}: entry {n} ({label}): {problem}")
