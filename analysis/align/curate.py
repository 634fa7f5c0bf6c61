"""The curator's workflow, like OWID's `etl harmonize`: suggest registry entries for unmatched names,
accept one as a new alias.

`suggest()` lists every name the registry does not match, with how many statements use it and the
three closest registry entries (similarity score from rapidfuzz on the variant keys, and why: the
words they share, the variants applied, whether the unit fits). `accept()` inserts the alias into
`data/reference/indicators.yaml` as a text edit (formatting and comments kept), checks that the new
file still loads and that the name now matches, and returns the diff for review.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from analysis import config
from analysis.align.registry import Registry, RegistryError, load_registry, normalise_name


@dataclass
class Suggestion:
    indicator_id: str
    indicator_zh: str
    alias: str
    score: float
    why: str


def similarity(a: str, b: str) -> float:
    """0–100: whole-name similarity, or a slightly discounted containment of the shorter name."""
    return max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 3 else 0.0)


def closest(registry: Registry, raw_name: str, unit: str | None = None, n: int = 3) -> list[Suggestion]:
    """The n registry entries closest to a name (best alias of each), best first."""
    key, used = registry.variants.key(normalise_name(raw_name))
    best: dict[str, tuple[float, str, str]] = {}
    for iid, alias in registry.alias_pairs():
        akey = registry.variants.key(normalise_name(alias))[0]
        score = similarity(key, akey)
        if score > best.get(iid, (-1.0, "", ""))[0]:
            best[iid] = (score, alias, akey)
    out = []
    for iid, (score, alias, akey) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:n]:
        ind = registry.indicators[iid]
        m = difflib.SequenceMatcher(None, key, akey, autojunk=False).find_longest_match(0, len(key), 0, len(akey))
        why = [f"shares “{key[m.a:m.a + m.size]}”" if m.size >= 2 else "little in common"]
        if used:
            why.append("variants: " + ", ".join(used))
        if unit:
            why.append(f"unit {unit} fits" if registry.unit_fits(ind, unit) else f"unit {unit} does not fit ({ind.unit})")
        out.append(Suggestion(iid, ind.name_zh, alias, round(score / 100, 3), "; ".join(why)))
    return out


def suggest(con, registry: Registry | None = None, n: int = 3) -> list[dict]:
    """Every name in `raw_targets` the registry does not match: count, unit, and the n closest entries."""
    registry = registry or load_registry()
    rows = con.execute("SELECT raw_name, unit, count(*) AS n FROM raw_targets GROUP BY ALL "
                       "ORDER BY n DESC, raw_name, unit NULLS FIRST").fetchall()
    out = []
    for raw_name, unit, count in rows:
        m = registry.match(raw_name, unit)
        if m is not None and m.indicator is not None:
            continue
        out.append({"raw_name": raw_name, "unit": unit, "n": count,
                    "refused": m.note if m is not None else None, "closest": closest(registry, raw_name, unit, n)})
    return out


def _yaml_scalar(name: str) -> str:
    try:
        if yaml.safe_load(f"[{name}]") == [name]:
            return name
    except yaml.YAMLError:
        pass
    return json.dumps(name, ensure_ascii=False)


def insert_alias(text: str, name: str, indicator_id: str) -> str:
    """The registry text with `name` added to the aliases of `indicator_id` (a text edit, nothing re-dumped)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if re.fullmatch(rf"  - id: {re.escape(indicator_id)}\s*", ln)), None)
    if start is None:
        raise RegistryError(f"no indicator {indicator_id} in the registry")
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"  (- |# )|\S", lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    item = _yaml_scalar(name)
    for i in range(start + 1, end):
        flow = re.fullmatch(r"(    aliases: \[)(.*)(\]\s*)", lines[i].rstrip("\n"))
        if flow:
            inner = flow.group(2).strip()
            lines[i] = f"{flow.group(1)}{inner + ', ' if inner else ''}{item}]\n"
            return "".join(lines)
        if re.fullmatch(r"    aliases:\s*", lines[i].rstrip("\n")):
            last = i
            while last + 1 < end and lines[last + 1].startswith("      "):
                last += 1
            lines.insert(last + 1, f"      - {item}\n")
            return "".join(lines)
    lines.insert(end, f"    aliases: [{item}]\n")
    return "".join(lines)


def accept(name: str, indicator_id: str, path: Path = config.INDICATORS_YAML) -> str:
    """Add `name` as an alias of `indicator_id` in the registry file; return the unified diff.

    Refused (RegistryError, nothing written) when the id is unknown, the name already belongs to
    another indicator, or the edited file would not load."""
    path = Path(path)
    registry = load_registry(path)
    if indicator_id not in registry.indicators:
        raise RegistryError(f"{path.name}: no indicator {indicator_id}")
    current = registry.match(name)
    if current is not None and current.indicator is not None:
        if current.indicator.id == indicator_id:
            return ""
        raise RegistryError(f"“{name}” already matches {current.indicator.id} (alias “{current.alias}”)")
    old = path.read_text(encoding="utf-8")
    new = insert_alias(old, name, indicator_id)
    tmp = path.with_name(f".{path.name}.accept.tmp")
    tmp.write_text(new, encoding="utf-8")
    try:
        check = load_registry(tmp)
        got = check.match(name)
        if got is None or got.indicator is None or got.indicator.id != indicator_id:
            raise RegistryError(f"after the edit “{name}” still does not match {indicator_id}")
    except RegistryError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{path.name}", f"b/{path.name}"))
