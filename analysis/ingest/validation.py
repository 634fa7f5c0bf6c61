"""JSON Schema checks with messages a curator can act on: the file, the entry and the field.

Shared by the sidecars (data/reference/sidecar.schema.json) and, downstream, the curated files of
alignment (analysis/align/schemas.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

_VALIDATORS: dict[int, jsonschema.Draft202012Validator] = {}


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    """One compiled validator per schema object (schemas are module-level constants)."""
    key = id(schema)
    if key not in _VALIDATORS:
        jsonschema.Draft202012Validator.check_schema(schema)
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


@cache
def load_schema(path: Path) -> dict:
    """A JSON Schema file, read once."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def first_problem(schema: dict, item) -> str | None:
    """The first problem of `item` in words (`kind must be one of …`), or None when it is valid."""
    v = validator(schema)
    if v.is_valid(item):
        return None
    errors = sorted(v.iter_errors(item), key=lambda e: (len(e.path), e.message))
    return explain(errors[0])


def explain(e: jsonschema.ValidationError) -> str:
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
