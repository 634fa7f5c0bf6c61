"""The benchmark's corpus generator: deterministic, every encoding decodes, sidecars name a city."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from bench.generate_corpus import generate
from analysis.build import process_document

pytestmark = pytest.mark.slow


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_documents_are_valid(tmp_path):
    a, b = generate(12, 7, tmp_path / "a"), generate(12, 7, tmp_path / "b")
    assert _digest(a) == _digest(b)
    assert _digest(generate(12, 8, tmp_path / "c")) != _digest(a)
    docs = sorted(p for p in a.iterdir() if p.suffix in (".txt", ".html"))
    assert len(docs) == 12
    for p in docs:
        assert 4 * 1024 <= p.stat().st_size <= 160 * 1024, p.name
        meta = yaml.safe_load((a / f"{p.stem}.meta.yml").read_text(encoding="utf-8"))
        assert meta["city"] and meta["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
        res = process_document(p)
        assert res.ok, res.reason
        assert res.rows["raw_targets"].num_rows, p.name
