"""Mojibake: UTF-8 bytes read as GBK (and similar) repaired where the bytes survive, runs where bytes were
lost flagged (never guessed), and characters that belong in no plan (private use, control) flagged."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.clean.textmap import MappedText
from analysis.flags import Flag

# A '?' or U+FFFD touching CJK text: where an encoder lost bytes (UTF-8 read as GBK and back).
_LOST = re.compile(r"[?\ufffd]")
_MOJI_CHAR = re.compile(r"[\u4e00-\u9fff\uff08\uff09\uff5e-\uffef()!;^]")


def _mojibake_runs(text: str):
    """Spans around each '?'/U+FFFD that touches CJK text, extended over adjacent odd characters."""
    last_end = -1
    for m in _LOST.finditer(text):
        i = m.start()
        before, after = text[i - 1:i], text[i + 1:i + 2]
        if not (_MOJI_CHAR.match(after or " ") and ("\u4e00" <= after <= "\u9fff" or "\u4e00" <= before <= "\u9fff")):
            continue
        s = i
        while s > 0 and i - s < 4 and _MOJI_CHAR.match(text[s - 1]):
            s -= 1
        e = i + 1
        while e < len(text) and e - i <= 6 and _MOJI_CHAR.match(text[e]):
            e += 1
        if s < last_end:
            continue
        last_end = e
        yield s, e


_SUSPICIOUS = re.compile(r"[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def repair_run(run: str) -> str | None:
    """Undo UTF-8-read-as-GBK when the bytes are all there; None when not certain."""
    if "?" in run or "\ufffd" in run:
        return None
    try:
        fixed = run.encode("gbk").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if all("\u4e00" <= c <= "\u9fff" or c in "，。、“”：；（）" for c in fixed) else None


@lru_cache(maxsize=1)
def _utf8_lead_chars() -> frozenset[str]:
    """Characters whose GBK lead byte is a UTF-8 lead byte of CJK text (0xE4–0xE9)."""
    out = set()
    for lead in range(0xE4, 0xEA):
        for trail in range(0x40, 0xFF):
            try:
                out.add(bytes([lead, trail]).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


@lru_cache(maxsize=1)
def _utf8_lead_rx() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(_utf8_lead_chars())) + "]")


def _utf8_lead_share(run: str) -> float:
    return len(_utf8_lead_rx().findall(run)) / max(len(run), 1)


def find_repairable(run: str) -> tuple[int, int, str] | None:
    """The longest sub-run (≥ 4 characters) that repairs, trimming normal text on either side."""
    if _utf8_lead_share(run) < 0.2:
        return None
    n = len(run)
    for i in range(0, max(n - 3, 0)):
        for j in range(n, max(i + 3, n - 8), -1):
            fixed = repair_run(run[i:j])
            if fixed:
                return i, j, fixed
    return None


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f。，、；：“”《》（）]{4,}")


def repair_mojibake(mt: MappedText, flags: list[Flag]) -> MappedText:
    """Repair runs of UTF-8 text that was read as GBK, where every byte survived (certain):
    the run re-encodes to GBK bytes that are valid UTF-8 and read more naturally."""
    from analysis.ingest.encoding import _naturalness

    lead = _utf8_lead_rx()

    def repl(m: re.Match[str]) -> str | None:
        if not lead.search(m.group(0)):  # ordinary text: no character mojibake is made of
            return None
        hit = find_repairable(m.group(0))
        if hit is None:
            return None
        i, j, fixed = hit
        bad = m.group(0)[i:j]
        if _naturalness(fixed) <= _naturalness(bad) + 0.2:
            return None
        raw = mt.raw_span(m.start() + i, m.start() + j)
        flags.append(Flag("mojibake_repaired", "info", f"乱码已修复 / mojibake repaired: {bad[:30]} → {fixed[:30]}",
                          raw[0], raw[1], bad))
        return m.group(0)[:i] + fixed + m.group(0)[j:]

    return mt.sub(_NON_ASCII_RUN, repl)


def detect_mojibake(mt: MappedText, flags: list[Flag]) -> None:
    for s, e in _mojibake_runs(mt.text):
        raw = mt.raw_span(s, e)
        run = mt.text[s:e]
        flags.append(Flag("mojibake", "warning", f"乱码（字节丢失，无法确定修复）/ mojibake run, bytes lost, not repaired: {run}",
                          raw[0], raw[1], run))
    for m in _SUSPICIOUS.finditer(mt.text):
        raw = mt.raw_span(m.start(), m.end())
        flags.append(Flag("suspicious_char", "warning",
                          f"可疑字符 / suspicious character U+{ord(m.group(0)):04X}", raw[0], raw[1], repr(m.group(0))))
