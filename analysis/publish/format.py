"""How values read on a page: numbers, missing values, escaped text, bilingual labels for codes.

Shared by ``charts`` and ``tables``; importing it changes no global setting (no plotly, no pyecharts).
Internal codes (``county``, ``urban_rural``, ``prose`` …) are never shown: :func:`label` turns them
into "县级 county"-style labels from ``data/reference/labels.yaml``.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
from functools import cache

import pandas as pd
import yaml

from analysis import config

MISSING_TEXT = "未提及 not stated"
LABELS_YAML = config.REFERENCE_DIR / "labels.yaml"

# Okabe & Ito (2008), the colour-blind-safe qualitative palette, without its black and yellow
# (black reads as text, yellow vanishes on white), plus Paul Tol's muted wine, indigo and olive.
CITY_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#882255",
                "#332288", "#999933"]


def is_missing(value) -> bool:
    """None, NaN, NA, NaT → True (a statement that is not there, never zero)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt(value, unit: str | None = None, digits: int = 1) -> str:
    """A number as readers see it (``33.4%``, ``636 元``); missing → ``—``."""
    if is_missing(value):
        return "—"
    v = float(value)
    s = f"{v:,.{digits}f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    if not unit:
        return s
    return f"{s}{unit}" if unit in ("%", "‰") else f"{s} {unit}"


_YEAR_COLUMN = re.compile(r"(^|_)year$")


def is_year_column(name: str) -> bool:
    """``year``, ``target_year``, ``first_year`` are years; ``pp_per_year_needed`` is not."""
    return bool(_YEAR_COLUMN.search(str(name)))


def esc_text(text: str) -> str:
    # quote=False: plotly's text renderer shows &quot; literally; without "<" no tag or attribute can form
    return html.escape(text, quote=False)


def esc(value) -> str:
    """Escape one value from the data for HTML; missing → ``""``."""
    if is_missing(value):
        return ""
    return esc_text(str(value))


def wrap(text, width: int = 36) -> str:
    """Escape and wrap a quote for a hover label (``<br>`` between lines)."""
    if is_missing(text):
        return ""
    lines = textwrap.wrap(str(text).replace("\n", " "), width=width, break_long_words=True) or [""]
    return "<br>".join(esc_text(line) for line in lines[:8]) + ("…" if len(lines) > 8 else "")


# --------------------------------------------------------------------------- codes → bilingual labels


@cache
def _labels(path: str = str(LABELS_YAML)) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(open(path, encoding="utf-8")) or {}
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: the display labels for codes are missing") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of field → {{code: label}}")
    return {str(k): {str(c): str(v) for c, v in m.items()} for k, m in data.items()}


def label_fields() -> list[str]:
    """The fields whose values are codes with a display label (``admin_level``, ``scope`` …)."""
    return list(_labels())


def label(field: str, code) -> str:
    """The bilingual label of a code: ``label("admin_level", "county")`` → ``县级 county``.

    Missing → ``—``; a code the file does not list is shown as it is (never dropped).
    """
    if is_missing(code):
        return "—"
    return _labels().get(field, {}).get(str(code), str(code))


def scope_label(scope, scope_zh=None) -> str:
    """A scope as written (``旗市区级``) with the English of its code (``county``) beside it.

    Without ``scope_zh``: the code's own label (``县级 county``).
    """
    if is_missing(scope) and is_missing(scope_zh):
        return ""
    en = _labels().get("scope_en", {}).get(str(scope), "") if not is_missing(scope) else ""
    zh = str(scope_zh) if not is_missing(scope_zh) and scope_zh else label("scope", scope).split(" ")[0]
    return f"{zh} {en}".strip()


# --------------------------------------------------------------------------- stable city colours


CITY_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]


def _digest(name) -> bytes:
    # Python's hash() changes between runs; SHA-1 of the UTF-8 name does not
    return hashlib.sha1(str(name).encode("utf-8")).digest()


def city_color(name) -> str:
    """The colour of a city on every page and in every build: a stable hash of its name.

    Nine colours cannot keep many cities apart: :func:`city_symbol` (from other bits of the same
    hash) gives the marker shape, so two cities that share a colour rarely share a shape too.
    """
    return CITY_PALETTE[int.from_bytes(_digest(name)[:4], "big") % len(CITY_PALETTE)]


_DECALS = {"circle": "circle", "square": "rect", "diamond": "diamond", "triangle-up": "triangle"}


def city_decal(name) -> dict:
    """An echarts fill pattern matching :func:`city_symbol` (bars cannot carry a marker shape)."""
    symbol = city_symbol(name)
    if symbol == "circle":
        return {"symbol": "none"}
    return {"symbol": _DECALS[symbol], "symbolSize": 0.7, "dashArrayX": 6, "dashArrayY": 6,
            "color": "rgba(255, 255, 255, 0.55)"}


def city_symbol(name) -> str:
    """The marker shape of a city (plotly symbol name), stable like :func:`city_color`."""
    return CITY_SYMBOLS[int.from_bytes(_digest(name)[4:8], "big") % len(CITY_SYMBOLS)]
