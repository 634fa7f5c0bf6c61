"""The column contract (`data/reference/columns.yaml`), read once: schema, export order, descriptions.

Every stage that writes or exports a table takes its columns from here, so a column is declared once.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from analysis import config

TYPES = ("VARCHAR", "INTEGER", "DOUBLE", "BOOLEAN")


class ContractError(ValueError):
    pass


@lru_cache(maxsize=1)
def load_contract() -> dict[str, dict]:
    path = config.COLUMNS_YAML
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = doc.get("tables") if isinstance(doc, dict) else None
    if not isinstance(tables, dict):
        raise ContractError(f"{path.name}: expected a `tables:` mapping")
    for name, spec in tables.items():
        seen = set()
        for i, col in enumerate(spec.get("columns") or []):
            where = f"{path.name}: tables.{name}.columns[{i}]"
            if not isinstance(col, dict) or not col.get("name"):
                raise ContractError(f"{where}: a column needs a name")
            if col.get("type") not in TYPES:
                raise ContractError(f"{where} ({col['name']}): type must be one of {', '.join(TYPES)}")
            if not col.get("description"):
                raise ContractError(f"{where} ({col['name']}): a column needs a description")
            if col["name"] in seen:
                raise ContractError(f"{where}: {col['name']} is declared twice")
            seen.add(col["name"])
    return tables


def schema(table: str) -> dict[str, str]:
    """Column name → DuckDB type, in contract order."""
    return {c["name"]: c["type"] for c in load_contract()[table]["columns"]}


def column_names(table: str) -> list[str]:
    return [c["name"] for c in load_contract()[table]["columns"]]


def descriptions(table: str) -> dict[str, str]:
    return {c["name"]: c["description"] for c in load_contract()[table]["columns"]}


def stage_tables() -> list[str]:
    """Tables the build creates at its start (not the exported marts, not tables a later stage writes)."""
    return [t for t, spec in load_contract().items() if not spec.get("export") and not spec.get("built_by")]


def markdown_table(table: str) -> str:
    """The `| column | meaning |` table of a table's columns (README, data README)."""
    rows = ["| column | meaning |", "| --- | --- |"]
    rows += [f"| `{c}` | {d.replace('|', chr(92) + '|')} |" for c, d in descriptions(table).items()]
    return "\n".join(rows)


_BEGIN, _END = "<!-- columns:{} (generated from data/reference/columns.yaml by `make docs`) -->", "<!-- /columns -->"


def render_docs(text: str) -> str:
    """Replace every marked column table in a Markdown text with the contract's current table."""
    out, pos = [], 0
    for table in load_contract():
        begin = _BEGIN.format(table)
        while (i := text.find(begin, pos)) != -1:
            j = text.find(_END, i)
            if j == -1:
                raise ContractError(f"unclosed column table for {table}")
            out.append(text[pos:i] + begin + "\n" + markdown_table(table) + "\n")
            pos = j
        text, pos = "".join(out) + text[pos:], 0
        out = []
    return text


def update_docs(*paths) -> list[str]:
    """Rewrite the marked tables in these files; returns the names of files that changed."""
    changed = []
    for p in paths:
        old = p.read_text(encoding="utf-8")
        new = render_docs(old)
        if new != old:
            p.write_text(new, encoding="utf-8")
            changed.append(p.name)
    return changed
