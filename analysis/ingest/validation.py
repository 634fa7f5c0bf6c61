"""JSON Schema checks with messages a curator can act on: the file, the entry and the field.

Shared by the sidecars (data/reference/sidecar.schema.json) and, downstream, the curated files of
alignment (analysis/align/schemas.py). Whether an item is valid is decided by a small checker of the
keywords these schemas use (`is_valid`); jsonschema is imported only to explain an item that fails,
because importing it costs ~3 s of CPU (its format checkers compile dozens of grammars), which a
rebuild after adding one document cannot afford. tests/test_schemas.py checks that the two agree.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

SUPPORTED = frozenset({"type", "required", "additionalProperties", "properties", "pattern", "minLength", "enum",
                       "oneOf", "items", "minimum", "maximum"})
ANNOTATIONS = frozenset({"title", "description", "$id", "$schema", "$comment", "examples", "default"})
_TYPES = {"string": lambda v: isinstance(v, str), "object": lambda v: isinstance(v, dict),
          "array": lambda v: isinstance(v, list), "null": lambda v: v is None,
          "boolean": lambda v: isinstance(v, bool),
          "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
          "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
          or (isinstance(v, float) and v.is_integer())}
_VALIDATORS: dict[int, object] = {}


def validator(schema: dict):
    """One compiled jsonschema validator per schema object (schemas are module-level constants)."""
    import jsonschema  # only to explain an invalid item (see the module docstring)

    key = id(schema)
    if key not in _VALIDATORS:
        jsonschema.Draft202012Validator.check_schema(schema)
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


@cache
def load_schema(path: Path) -> dict:
    """A JSON Schema file, read once."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


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
    unknown = set(schema) - SUPPORTED - ANNOTATIONS
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


def first_problem(schema: dict, item) -> str | None:
    """The first problem of `item` in words (`kind must be one of …`), or None when it is valid."""
    if is_valid(schema, item):
        return None
    errors = sorted(validator(schema).iter_errors(item), key=lambda e: (len(e.path), e.message))
    return explain(errors[0]) if errors else "invalid (the schema checker and jsonschema disagree)"


def explain(e) -> str:  # a jsonschema.ValidationError
    field = ".".join(str(p) for p in e.absolute_path)
    if e.validator == "required":
        missing = [k for k in e.validator_value if k not in (e.instance or {})]
        return f"missing {', '.join(missing)}"
    if e.validator == "additionalProperties":
        allowed = e.schema.get("properties", {})
        return (f"unknown field(s) {', '.join(sorted(set(e.instance) - set(allowed)))}; "
                f"allowed: {', '.join(allowed)}")
    if e.validator == "enum":
        shown = ", ".join(str(x) for x in e.validator_value if x is not None)
        return f"{field} must be one of {shown} (got {e.instance!r})"
    if e.validator == "type" and not field:
        return "not a mapping"
    if e.validator == "pattern":
        return f"{field}: {e.instance!r} does not have the form {e.validator_value}"
    return f"{field or 'entry'}: {e.message}"
