"""`plans build`: bad documents are named and skipped, nothing is lost, builds are atomic and repeatable."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import RAW

from analysis import build as build_mod
from analysis.build import build
from analysis.ingest import add_document

pytestmark = pytest.mark.slow


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture()
def raw(tmp_path):
    d = tmp_path / "raw"
    shutil.copytree(RAW, d)
    return d


def _place(raw: Path, name: str, data: bytes, city: str) -> Path:
    """A file copied into the raw folder by hand (`plans add` refuses what does not match its name)."""
    (raw / name).write_bytes(data)
    (raw / (Path(name).stem + ".meta.yml")).write_text(f"city: {city}\nkind: plan\n", encoding="utf-8")
    return raw / name


def _bad_documents(raw: Path, tmp: Path) -> None:
    (tmp / "empty.txt").write_bytes(b"")
    add_document(tmp / "empty.txt", raw, city="空城市")
    _place(raw, "scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "扫描市")
    (raw / "orphan.txt").write_text("到2025年，火化率达到100%。", encoding="utf-8")  # no sidecar
    (raw / "broken.txt").write_text("到2025年，火化率达到100%。", encoding="utf-8")
    (raw / "broken.meta.yml").write_text("city: [未闭合\n", encoding="utf-8")


def test_bad_documents_are_named_and_the_rest_build(raw, tmp_path):
    _bad_documents(raw, tmp_path)
    before = _hashes(raw)
    db = tmp_path / "out" / "plans.duckdb"
    lines = []
    report = build(raw, db, tmp_path / "out", echo=lines.append, workers=1)
    assert report.n_ok == 5 and report.n_failed == 4
    failed = {f: reason for f, _, reason in report.failed}
    assert "empty" in failed["empty.txt"]
    assert "PDF" in failed["scan.txt"]
    assert "orphan.meta.yml: sidecar missing" in failed["orphan.txt"]
    assert "broken.meta.yml line 2: malformed YAML" in failed["broken.txt"]
    assert any(line.startswith("FAILED empty.txt") for line in lines)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM build_log WHERE status = 'failed'").fetchone()[0] == 4
    assert _hashes(raw) == before  # raw files are never modified


def test_seed_documents_in_the_database(seed_build):
    con = duckdb.connect(str(seed_build / "plans.duckdb"), read_only=True)
    docs = dict(con.execute("SELECT doc_id[:3], text FROM documents").fetchall())
    assert set(docs) == {"000", "001", "002", "003", "004"}
    assert "重庆市永川区人民政府办公室" in docs["001"] and "365bet" not in docs["001"]
    assert "实现" in docs["004"] and "(xiàn)" not in docs["004"]
    assert "養老" not in docs["003"] and "養老" not in docs["004"]
    n_spam = con.execute("SELECT count(*) FROM quality_flags WHERE kind = 'spam_removed' AND doc_id LIKE '001%'").fetchone()[0]
    assert n_spam == 5
    # passages carry offsets into both texts
    row = con.execute("""SELECT p.text, substr(d.text, p.start + 1, p."end" - p.start) FROM passages p
                         JOIN documents d USING (doc_id) WHERE p.kind = 'table' AND doc_id LIKE '001%' LIMIT 1""").fetchone()
    assert row[0] == row[1]
    unnamed = con.execute("SELECT city, city_label FROM documents WHERE doc_id LIKE '000%'").fetchone()
    assert unnamed[0] is None and "unnamed" in unnamed[1]


def test_two_builds_give_byte_identical_exports(tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}"
        build(RAW, out / "plans.duckdb", out, echo=None, workers=1 + i)
        outs.append(out)
    for name in ("targets.csv", "targets.parquet"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_interrupted_build_leaves_the_previous_database(tmp_path, monkeypatch):
    db = tmp_path / "plans.duckdb"
    build(RAW, db, tmp_path, echo=None)
    before = db.read_bytes()

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_mod, "_align", boom)
    with pytest.raises(KeyboardInterrupt):  # full: nothing changed, so a cached build would not even start
        build(RAW, db, tmp_path, echo=None, full=True)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".plans.duckdb.*"))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_two_documents_for_the_same_city_are_both_kept(raw, tmp_path):
    src = tmp_path / "晋中市 新闻.txt"
    src.write_text("晋中市民政局介绍：到2025年，养老机构护理型床位占比达到55%。", encoding="utf-8")
    add_document(src, raw, city="晋中市", kind="news")
    import yaml
    side = raw / "晋中市_新闻.meta.yml"
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["period"] = "2021-2025"
    side.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "plans.duckdb"
    build(raw, db, tmp_path, echo=None)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT doc_id FROM quality_flags WHERE kind = 'duplicate_city_period' ORDER BY doc_id").fetchall()
    assert [r[0] for r in rows] == ["002_e48de3d4c5145e05", "晋中市_新闻"]


def test_oversized_file_is_refused_unread(raw, tmp_path):
    dest = _place(raw, "huge.txt", b"", "大文件市")
    with open(dest, "wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.truncate(100 * 1024 * 1024)
    res = build_mod.process_document(dest)
    assert not res.ok and "over the 50 MB limit" in res.reason and "huge.txt" in res.reason


def test_document_without_city_or_targets_builds_with_flags(raw, tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text("民政工作关系民生、连着民心。本文没有指标表，也没有量化目标。", encoding="utf-8")
    add_document(src, raw, city=None)
    (raw / "notes.meta.yml").write_text("kind: plan\n", encoding="utf-8")  # names no city, not marked unnamed
    db = tmp_path / "plans.duckdb"
    report = build(raw, db, tmp_path, echo=None)
    assert report.n_failed == 0
    con = duckdb.connect(str(db), read_only=True)
    kinds = {r[0] for r in con.execute("SELECT kind FROM quality_flags WHERE doc_id = 'notes'").fetchall()}
    assert {"sidecar", "no_targets"} <= kinds
    assert con.execute("SELECT city_label FROM documents WHERE doc_id = 'notes'").fetchone()[0].startswith("未署名")


def test_killed_build_leaves_the_previous_database(tmp_path):
    """A real kill (SIGKILL) half-way: the old database is untouched; the next build cleans up."""
    import signal
    import subprocess
    import sys
    import time

    from bench.generate_corpus import generate

    db = tmp_path / "plans.duckdb"
    build(RAW, db, tmp_path, echo=None)
    before = db.read_bytes()
    corpus = generate(250, 3, tmp_path / "big")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "plans"), "build", "--raw", str(corpus), "--db", str(db),
                             "--out", str(tmp_path / "out")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".plans.duckdb.*.tmp")):
        time.sleep(0.05)
    time.sleep(0.5)
    import psutil

    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for w in workers:  # the pool's workers outlive a killed parent: end the ones this test started
        try:
            w.kill()
            w.wait(10)
        except psutil.NoSuchProcess:
            pass
    assert proc.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    build(RAW, db, tmp_path, echo=None)
    assert not list(tmp_path.glob(".plans.duckdb.*.tmp*"))
