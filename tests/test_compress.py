"""Compressed report pages (offline.compress_page): what is compressed, what is left alone, and that
expand_page gives back the page byte for byte (fast: no kernel, no browser; the browser side is in
tests/test_browser.py)."""

from __future__ import annotations

import re

import pytest

from analysis.publish import offline

LIB = "/*! a licence header that must stay readable */\n" + "var libValue = 1;\n" * 4000
BIG_JSON = '{"rows": [' + ",".join(f'{{"c": "城市{i}", "v": {i}}}' for i in range(3000)) + "]}"
BIG_CSS = "".join(f".c{i} {{ color: #{i % 999:03d}; }}\n" for i in range(3000))
DECODER = "/* stand-in for fflate */ self.fflate = {};"


def _page(*parts: str) -> str:
    return "<!DOCTYPE html><html><head>" + "".join(parts) + "</head><body><p>正文</p></body></html>"


def _compress(page: str) -> str:
    return offline.compress_page(page, decoder=DECODER, libs=(LIB,))


def test_library_data_and_style_are_compressed_and_expand_back_exactly():
    page = _page(f'<style type="text/css">{BIG_CSS}</style>', f"<script>{LIB}</script>",
                 f'<script type="application/json" id="plans-data">{BIG_JSON}</script>',
                 "<script>console.log(libValue);</script>")
    small = _compress(page)
    assert len(small) < len(page) / 4
    assert offline.expand_page(small) == page
    assert small.count(offline.DECODER_COMMENT) == 1  # the decoder once, before the first compressed element
    assert small.index(offline.DECODER_COMMENT) < small.index("__plansStyle(")
    assert "/*! a licence header that must stay readable */" in small  # the licence stays plain text
    assert "<script>console.log(libValue);</script>" in small  # page scripts stay as they are
    assert 'data-deflate="raw"' in small and "城市2999" not in small


def test_small_pages_and_unknown_scripts_are_left_alone():
    small_json = '<script type="application/json" id="plans-data">{"a": 1}</script>'
    assert _compress(_page(small_json)) == _page(small_json)  # nothing to gain: no decoder either
    other = "var notTheLibrary = 2;\n" * 4000  # a large script that is not a known library: untouched
    page = _page(f"<script>{other}</script>", '<script src="x.js"></script>')
    assert _compress(page) == page


def test_compressed_json_decodes_to_the_original():
    small = _compress(_page(f'<script type="application/json" id="d">{BIG_JSON}</script>'))
    b64 = re.search(r'data-deflate="raw">([A-Za-z0-9+/=]+)</script>', small).group(1)
    assert offline.inflate_b64(b64) == BIG_JSON


def test_a_page_is_never_compressed_twice():
    small = _compress(_page(f"<script>{LIB}</script>"))
    assert _compress(small) == small  # compressed elements are not touched again
    with pytest.raises(ValueError, match="placeholder"):
        _compress(_page("<p>\x00plans-decoder\x00</p>"))
