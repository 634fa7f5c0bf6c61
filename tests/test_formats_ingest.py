"""Raw-folder rules for binary formats: two files with one name stem are refused by name (build and
`plans add`), and old Word/WPS files go through LibreOffice (a fake `soffice` here) or are refused
with the package to install."""

from __future__ import annotations

import shutil
import stat
import sys
from pathlib import Path

import duckdb
import pytest

from analysis.build import build
from analysis.clean import clean_document
from analysis.extract import extract_targets
from analysis.ingest import add_document, stem_clashes
from analysis.ingest.encoding import DocumentError

FORMATS = Path(__file__).parent / "fixtures" / "formats"
# an OLE2 compound file with a WordDocument stream name: what detect_type calls an old Word/WPS file
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(1024)
SIDECAR = "city: 青禾市\nprovince: 测试省\nadmin_level: prefecture\nkind: plan\n"


def _raw(tmp_path: Path, files: dict[str, bytes]) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).write_bytes(data)
        (raw / f"{Path(name).stem}.meta.yml").write_text(SIDECAR, encoding="utf-8")
    return raw


def test_same_stem_files_are_refused_naming_both_and_the_rest_build(tmp_path):
    page = "<html><body><p>到2025年，全市养老机构护理型床位占比达到55%。</p></body></html>".encode()
    raw = _raw(tmp_path, {"plan.pdf": (FORMATS / "qinghe_plan.pdf").read_bytes(), "plan.html": page,
                          "other.txt": "到2025年，全市火化率达到100%。".encode()})
    lines: list[str] = []
    report = build(raw, tmp_path / "p.duckdb", tmp_path / "out", workers=1, echo=lines.append)
    status = {f: (s, d) for f, s, d in report.results}
    assert status["other.txt"][0] == "ok"
    for name, other in (("plan.pdf", "plan.html"), ("plan.html", "plan.pdf")):
        s, detail = status[name]
        assert s == "FAILED"
        assert detail.startswith(f"{name}: {other} has the same name stem") and "plan.meta.yml" in detail
        assert any(ln.startswith(f"FAILED {name}") for ln in lines)
    con = duckdb.connect(str(tmp_path / "p.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE doc_id = 'plan'").fetchone() == (0,)
    flagged = {r[0] for r in con.execute("SELECT excerpt FROM quality_flags WHERE kind = 'build_error'").fetchall()}
    assert flagged == {"plan.pdf", "plan.html"}
    con.close()
    # renaming one of them (with its own sidecar) builds both, the cached one included
    (raw / "plan.html").rename(raw / "plan-page.html")
    shutil.copy(raw / "plan.meta.yml", raw / "plan-page.meta.yml")
    report = build(raw, tmp_path / "p.duckdb", tmp_path / "out", workers=1, echo=None)
    assert {f: s for f, s, _ in report.results} == {"plan.pdf": "ok", "plan-page.html": "ok", "other.txt": "ok"}


def test_stem_clashes_only_within_one_stem():
    paths = [Path("a.pdf"), Path("a.docx"), Path("a.txt"), Path("ab.pdf"), Path("b.html")]
    out = stem_clashes(paths)
    assert set(out) == {"a.pdf", "a.docx", "a.txt"}
    assert out["a.docx"].startswith("a.docx: a.pdf, a.txt has the same name stem")


def test_add_refuses_a_second_file_with_the_same_stem(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FORMATS / "qinghe_plan.pdf", src / "plan.pdf")
    (src / "plan.html").write_bytes("<html><body><p>青禾市民政事业发展规划</p></body></html>".encode())
    raw = tmp_path / "raw"
    add_document(src / "plan.pdf", raw, city="青禾市")
    sidecar = (raw / "plan.meta.yml").read_bytes()
    with pytest.raises(FileExistsError, match=r"plan.html: plan.pdf is already in the raw folder under the same name "
                                              r"stem `plan`.*rename plan.html first"):
        add_document(src / "plan.html", raw, city="青禾市")
    assert not (raw / "plan.html").exists() and (raw / "plan.meta.yml").read_bytes() == sidecar


# ---------------------------------------------------------------- .doc / .wps through LibreOffice

def _fake_soffice(folder: Path, exit_code: int = 0, write: bool = True) -> Path:
    """A `soffice` that answers `--convert-to docx --outdir DIR FILE` with a prepared .docx and logs its arguments."""
    folder.mkdir(exist_ok=True)
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, shutil, sys\n"
        "args = sys.argv[1:]\n"
        f"pathlib.Path({str(folder / 'args.txt')!r}).write_text('\\n'.join(args), encoding='utf-8')\n"
        "out, src = pathlib.Path(args[args.index('--outdir') + 1]), pathlib.Path(args[-1])\n"
        f"if {write!r}:\n"
        f"    shutil.copy({str(FORMATS / 'qinghe_word.docx')!r}, out / (src.stem + '.docx'))\n"
        f"sys.exit({exit_code})\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.mark.parametrize("name", ["old_plan.doc", "old_plan.wps"])
def test_old_word_is_converted_through_soffice(tmp_path, monkeypatch, name):
    bin_dir = _fake_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(bin_dir))
    r = clean_document(OLD_WORD, name=name)
    args = (bin_dir / "args.txt").read_text(encoding="utf-8").splitlines()
    assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx"
    assert Path(args[-1]).suffix == Path(name).suffix  # the input keeps its own extension
    assert any(a.startswith("-env:UserInstallation=file://") for a in args)  # a throwaway profile
    rows = [t.raw_name for t in extract_targets(r.text).targets if t.source_kind == "table"]
    assert "养老机构护理型床位占比" in rows
    assert r.page_at(r.text.index("养老机构护理型床位占比")) == (6, "表1")  # the converted DOCX's block map


def test_old_word_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(DocumentError) as exc:
        clean_document(OLD_WORD, name="old_plan.wps")
    message = str(exc.value)
    assert message.startswith("old_plan.wps: ") and "libreoffice-writer" in message and "\n" not in message


@pytest.mark.parametrize("exit_code,write,needle", [(1, False, "LibreOffice could not convert it"),
                                                    (0, False, "LibreOffice produced no .docx")])
def test_a_failed_conversion_is_named(tmp_path, monkeypatch, exit_code, write, needle):
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path / "bin", exit_code, write)))
    with pytest.raises(DocumentError, match=rf"^old_plan.doc: {needle}"):
        clean_document(OLD_WORD, name="old_plan.doc")
