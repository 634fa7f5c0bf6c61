"""Wording variants (data/reference/name_variants.yaml) and unit dimensions (unit_dimensions.csv).

`VariantRules.key(name)` rewrites a normalised name into its variant key: every synonym becomes its
canonical word (longest first) and fillers are dropped, so `老年人口护理型床位所占比重` and
`老年人护理型床位比例` share a key. `unit_dimension(unit)` says what a unit measures (percent,
count, money, area); the matcher refuses an indicator whose unit measures something else.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import config

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10× faster


def safe_yaml(text: str):
    """yaml.safe_load with the C loader when the wheel has it."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader either way


@dataclass
class VariantRules:
    replacements: list[tuple[str, str, str]] = field(default_factory=list)  # (variant, canonical, class)
    fillers: list[str] = field(default_factory=list)
    _pattern: re.Pattern | None = None

    def __post_init__(self):
        self.replacements.sort(key=lambda r: -len(r[0]))
        words = [re.escape(v) for v, _, _ in self.replacements]
        self._pattern = re.compile("|".join(words)) if words else None
        self._canon = {v: (c, k) for v, c, k in self.replacements}

    def key(self, name: str) -> tuple[str, list[str]]:
        """(variant key, classes of the variants applied)."""
        used: list[str] = []
        if self._pattern is not None:
            def sub(m):
                canonical, cls = self._canon[m.group(0)]
                if canonical != m.group(0) and cls not in used:
                    used.append(cls)
                return canonical
            name = self._pattern.sub(sub, name)
        for w in self.fillers:
            if w in name:
                name = name.replace(w, "")
                if "filler" not in used:
                    used.append("filler")
        return name, used


def load_variants(path: Path = config.REFERENCE_DIR / "name_variants.yaml") -> VariantRules:
    path = Path(path)
    if not path.exists():
        return VariantRules()
    doc = safe_yaml(path.read_text(encoding="utf-8")) or {}
    reps = []
    for n, s in enumerate(doc.get("synonyms") or [], 1):
        if not isinstance(s, dict) or not s.get("canonical") or not isinstance(s.get("variants"), list):
            raise ValueError(f"{path.name}: synonyms entry {n}: needs canonical and a variants list")
        for v in [s["canonical"], *s["variants"]]:
            reps.append((str(v), str(s["canonical"]), str(s.get("class") or s["canonical"])))
    seen: dict[str, str] = {}
    for v, c, _ in reps:
        if seen.setdefault(v, c) != c:
            raise ValueError(f"{path.name}: “{v}” is a variant of both {seen[v]} and {c}")
    return VariantRules(reps, [str(f) for f in doc.get("fillers") or []])


def load_unit_dimensions(path: Path = config.REFERENCE_DIR / "unit_dimensions.csv") -> dict[str, str]:
    path = Path(path)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["unit"].strip(): r["dimension"].strip() for r in csv.DictReader(f) if r.get("unit")}
