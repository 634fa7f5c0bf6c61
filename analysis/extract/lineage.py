"""Plan lineage: the parent plans a document says it is based on (依据《…》, 根据《…》, 按照《…》 …).

A sentence that opens (or continues) with a basis verb names one or more titles in 《》:
`依据《乙省“十四五”民政事业发展规划》和《甲市国民经济和社会发展第十四个五年规划纲要》,制定本规划`.
Every title of a plan (规划, 纲要) after the verb in such a sentence is a parent; implementation
schemes and opinions (方案, 意见) that a sentence says it carries out are not.
The level of the parent is read from its title (national / province / prefecture / county / unknown),
never guessed from elsewhere; which corpus document it is (if any) is resolved in the marts
(analysis/align/citation.py:mark_versions) by title.
"""

from __future__ import annotations

import re

BASIS = ("依据", "根据", "按照")
_SENTENCE = re.compile(r"[^。;\n]*[。;\n]?")
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_BASIS_RX = re.compile("|".join(BASIS))
PLAN_WORDS = ("规划", "纲要")
_PROVINCE = re.compile(r"(省|自治区|^(北京|天津|上海|重庆)市)")
_PREFECTURE = re.compile(r"(市|州|盟|地区)")
_COUNTY = re.compile(r"(县|区|旗)(?!域)")


def parent_level(title: str) -> str:
    """national / province / prefecture / county / unknown, from the place the title names first."""
    head = re.split(r"“|\"|十四五|国民经济|民政|第十四", title, maxsplit=1)[0]
    if not head or head.startswith(("国家", "全国", "中华人民共和国")):
        return "national"
    if _COUNTY.search(head[-1:]) and not head.endswith(("市区", "地区", "自治区")):
        return "county"
    if _PROVINCE.search(head):
        return "province"
    if _PREFECTURE.search(head):
        return "prefecture"
    return "unknown"


def extract_lineage(text: str) -> list[dict]:
    """Parent plans named in a text: relation, title, level, offsets of the title and its sentence."""
    out, seen = [], set()
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        b = _BASIS_RX.search(sentence)
        if not sentence.strip() or not b:
            continue
        for t in _TITLE.finditer(sentence, b.start()):
            title = t.group(1).strip()
            if not any(w in title for w in PLAN_WORDS) or title in seen:
                continue
            seen.add(title)
            out.append({"relation": b.group(0), "parent_title": title, "parent_level": parent_level(title),
                        "start": m.start() + t.start(1), "end": m.start() + t.end(1),
                        "quote": sentence.strip()[:300]})
    return out


def lineage_rows(doc_id: str, text: str) -> list[dict]:
    """Rows of the `plan_lineage` table for one document (parent_doc_id is resolved later)."""
    return [{"doc_id": doc_id, "lineage_no": i, **r, "parent_doc_id": None} for i, r in enumerate(extract_lineage(text))]
