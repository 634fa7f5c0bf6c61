"""JSON Schemas of the curated files (registry, corrections), checked with jsonschema.

A bad entry is refused with one message naming the file, the entry (number and id) and the field.
Whether an entry is valid is decided by a small checker of the keywords these schemas use (`is_valid`),
and jsonschema is imported only to explain an entry that fails: importing jsonschema costs ~3 s of CPU
(its format checkers compile dozens of grammars), which a rebuild after a registry edit cannot afford.
tests/test_schemas.py checks that the two agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

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


_VALIDATORS: dict[int, object] = {}
SUPPORTED = frozenset({"type", "required", "additionalProperties", "properties", "pattern", "minLength", "enum",
                       "oneOf", "items", "minimum", "maximum"})
_TYPES = {"string": lambda v: isinstance(v, str), "object": lambda v: isinstance(v, dict),
          "array": lambda v: isinstance(v, list), "null": lambda v: v is None,
          "boolean": lambda v: isinstance(v, bool),
          "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
          "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
          or (isinstance(v, float) and v.is_integer())}


def _validator(key: int, schema: dict):
    import jsonschema  # only to explain an invalid entry (see the module docstring)

    if key not in _VALIDATORS:
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


@lru_cache(maxsize=256)
def _pattern(p: str) -> re.Pattern:
    return re.compile(p)


def _same(a, b) -> bool:
    """JSON equality: true and 1 differ (as jsonschema's `enum` treats them)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def is_valid(schema: dict, item) -> bool:
    """Whether `item` satisfies `schema` (Draft 2020-12 semantics for the keywords in SUPPORTED; a schema
    with any other keyword is refused with ValueError, so nothing is silently unchecked)."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(f"schema keyword(s) {', '.join(sorted(unknown))} not supported by is_valid")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](item) for t in types):
            return False
    if "enum" in schema and not any(_same(item, e) for e in schema["enum"]):
        return False
    if "oneOf" in schema and sum(is_valid(s, item) for s in schema["oneOf"]) != 1:
        return False
    if isinstance(item, str):
        if len(item) < schema.get("minLength", 0):
            return False
        if "pattern" in schema and not _pattern(schema["pattern"]).search(item):
            return False
    if _TYPES["number"](item):
        if "minimum" in schema and item < schema["minimum"]:
            return False
        if "maximum" in schema and item > schema["maximum"]:
            return False
    if isinstance(item, dict):
        props = schema.get("properties", {})
        if any(k not in item for k in schema.get("required", ())):
            return False
        extra = schema.get("additionalProperties", True)
        if extra is False and any(k not in props for k in item):
            return False
        if isinstance(extra, dict) and not all(is_valid(extra, v) for k, v in item.items() if k not in props):
            return False
        if not all(is_valid(props[k], v) for k, v in item.items() if k in props):
            return False
    if isinstance(item, list) and "items" in schema:
        return all(is_valid(schema["items"], v) for v in item)
    return True


def check_entry(schema: dict, item, path: Path, n: int, error: type[Exception] = SchemaError) -> None:
    """Raise SchemaError for the first problem of entry `n` (1-based) of `path`."""
    if is_valid(schema, item):
        return
    validator = _validator(id(schema), schema)
    errors = sorted(validator.iter_errors(item), key=lambda e: (len(e.path), e.message))
    label = (item.get("id") or item.get("raw_name") or "?") if isinstance(item, dict) else repr(item)
    raise error(f"{Path(path).name}: entry {n} ({label}): {_explain(errors[0])}")


def _explain(e) -> str:  # a jsonschema.ValidationError
    field = ".".join(str(p) for p in e.absolute_path)
    if e.validator == "required":
        missing = [k for k in e.validator_value if k not in (e.instance or {})]
        return f"missing {', '.join(missing)}"
    if e.validator == "additionalProperties":
        return f"unknown field(s) {', '.join(sorted(set(e.instance) - set(e.schema.get('properties', {}))))}"
    if e.validator == "enum":
        return f"{field} must be one of {', '.join(map(str, e.validator_value))} (got {e.instance!r})"
    if e.validator == "type" and not field:
        return "not a mapping"
    return f"{field or 'entry'}: {e.message}"
