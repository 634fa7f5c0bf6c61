"""Raw documents and their metadata sidecars (`<stem>.meta.yml` beside each raw file).

The raw folder is a snapshot: files are added (`add_to_raw`) or removed (`remove_document`), never edited. Provenance is
recorded once, in the sidecar, beside the raw file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.config import RAW_SUFFIXES, REFERENCE_DIR, SIDECAR_SUFFIX
from analysis.ingest.validation import first_problem, load_schema

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster
SIDECAR_SCHEMA = load_schema(REFERENCE_DIR / "sidecar.schema.json")  # the fields and their values, one file
SIDECAR_FIELDS = tuple(SIDECAR_SCHEMA["properties"])
KINDS = tuple(k for k in SIDECAR_SCHEMA["properties"]["kind"]["enum"] if k is not None)
LEVELS = tuple(k for k in SIDECAR_SCHEMA["properties"]["admin_level"]["enum"] if k is not None)


class SidecarError(Exception):
    """A sidecar that is missing or cannot be read; the message names the file (and line)."""


def sidecar_path(raw: Path) -> Path:
    return raw.with_name(raw.stem + SIDECAR_SUFFIX)


def list_documents(raw_dir: Path) -> list[Path]:
    """Raw document files in a folder, sorted by name (sidecars and hidden files excluded)."""
    return sorted(
        p for p in Path(raw_dir).iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
        and p.suffix.lower() in RAW_SUFFIXES
    )


def stem_clashes(paths: list[Path]) -> dict[str, str]:
    """Files that share a name stem (`plan.pdf` and `plan.html`), each with a message naming the
    others. They are refused, not given distinct ids: the stem is the document's id and names its
    sidecar (`plan.meta.yml`), so the two files would share one description and one id, and which
    is which (a page copy and its PDF attachment, or two different plans) is the researcher's call."""
    by_stem: dict[str, list[Path]] = {}
    for p in paths:
        by_stem.setdefault(Path(p).stem, []).append(Path(p))
    out = {}
    for stem, group in by_stem.items():
        if len(group) < 2:
            continue
        for p in group:
            others = ", ".join(q.name for q in group if q is not p)
            out[p.name] = (f"{p.name}: {others} has the same name stem, so both would be document `{stem}` "
                           f"described by one sidecar {stem}{SIDECAR_SUFFIX}; rename one of them (and give it its "
                           "own sidecar with `plans add`) / 文件名重复，请重命名其中一个")
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_sidecar(path: Path) -> dict:
    """Read and validate a sidecar. Raises SidecarError naming the file and line."""
    if not path.exists():
        raise SidecarError(f"{path.name}: sidecar missing; describe the document with `plans add` / 缺少元数据文件")
    try:
        meta = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise SidecarError(f"{path.name}{where}: malformed YAML ({getattr(exc, 'problem', exc)}) / 元数据格式错误") from None
    except UnicodeDecodeError:
        raise SidecarError(f"{path.name}: sidecar is not UTF-8 text / 元数据不是 UTF-8") from None
    if not isinstance(meta, dict):
        raise SidecarError(f"{path.name}: sidecar must be a YAML mapping of fields, got {type(meta).__name__}")
    for key in ("issued_date", "published_date"):
        if isinstance(meta.get(key), dt.date):
            meta[key] = meta[key].isoformat()
    problem = first_problem(SIDECAR_SCHEMA, meta)
    if problem:
        raise SidecarError(f"{path.name}: {problem} (schema: data/reference/sidecar.schema.json) / 元数据字段错误")
    return meta


def sidecar_warnings(meta: dict, raw: Path, sha: str) -> list[str]:
    """Problems worth a flag but not worth refusing the document."""
    out = []
    if not meta.get("city") and not meta.get("city_unnamed"):
        out.append("sidecar names no city (set `city`, or `city_unnamed: true` if the text does not say) / 元数据未注明城市")
    if meta.get("sha256") and meta["sha256"] != sha:
        out.append(f"raw file changed since its sidecar was written (sha256 {sha[:12]}… ≠ {str(meta['sha256'])[:12]}…)")
    return out


_SAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")
ADD_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".txt", ".md")
# what the first bytes say a file is, for the formats `plans add` takes
_MAGIC = ((b"%PDF", "pdf", "a PDF file"), (b"PK\x03\x04", "zip", "a ZIP package (.docx)"),
          (b"\xd0\xcf\x11\xe0", "ole", "an old binary Office/WPS document (.doc/.wps)"))
_EXPECT = {".pdf": "pdf", ".docx": "zip", ".doc": "ole", ".wps": "ole"}


def safe_name(name: str) -> str:
    """A file name safe to keep in the raw folder: no directories, no spaces, no leading dots; the
    real extension is kept (unknown extensions become .txt)."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = _SAFE.sub("_", stem).strip("._") or "document"
    return stem + (suffix if suffix in RAW_SUFFIXES else ".txt")


def content_kind(data: bytes) -> tuple[str, str]:
    """(kind, description) from the first bytes: pdf / zip / ole, or text (text and HTML)."""
    head = data[:1024].lstrip()
    for magic, kind, what in _MAGIC:
        if data.startswith(magic) or (kind == "pdf" and head.startswith(magic)):
            return kind, what
    if b"\x00" in data[:4096]:  # UTF-16 text has NUL bytes too: ask the decoder
        from analysis.ingest.encoding import DocumentError, decode_bytes

        try:
            decode_bytes(data[:65536])
        except DocumentError:
            return "binary", "a binary file"
    looks_html = re.search(rb"<(html|body|table|div|p|meta)\b", data[:20_000], re.I)
    return "text", "an HTML page" if looks_html else "a text file"


def check_suffix(src: Path, data: bytes) -> None:
    """Refuse a suffix `plans add` does not take, and a file whose content is not what its name says."""
    suffix = src.suffix.lower()
    if suffix not in ADD_SUFFIXES:
        raise ValueError(f"{src.name}: `plans add` takes {', '.join(ADD_SUFFIXES)}; got {suffix or 'no extension'}")
    kind, what = content_kind(data)
    expected = _EXPECT.get(suffix, "text")
    if kind != expected:
        raise ValueError(f"{src.name}: named {suffix} but the content is {what}; rename it to its real type / "
                         "文件内容与扩展名不符")


def find_duplicate(raw_dir: Path, sha: str, except_name: str) -> Path | None:
    """A raw document with exactly these bytes under another name."""
    for p in list_documents(raw_dir):
        if p.name == except_name:
            continue
        side = sidecar_path(p)
        known = None
        if side.exists():
            try:
                known = (yaml.load(side.read_text(encoding="utf-8"), Loader=_LOADER) or {}).get("sha256")
            except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
                known = None
        if known == sha or (known is None and sha256_file(p) == sha):
            return p
    return None


def _validate(meta: dict) -> None:
    if meta.get("kind") not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if meta.get("admin_level") is not None and meta["admin_level"] not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    for key in ("issued_date", "published_date"):
        v = meta.get(key)
        if v is not None:
            try:
                dt.date.fromisoformat(str(v))
            except ValueError:
                raise ValueError(f"{key} must be a date written YYYY-MM-DD, got {v!r}") from None


@dataclass
class AddResult:
    path: Path
    sidecar: Path
    meta: dict
    found: dict  # fields read from the document itself
    changed: dict  # field → (old, new) when an existing sidecar was rewritten
    unchanged: bool = False


MAX_ADD_BYTES = 50 * 1024 * 1024  # the build's limit for one document


def add_document(src: Path, raw_dir: Path, **options) -> Path:
    """`add_to_raw`, returning the path of the raw copy."""
    return add_to_raw(src, raw_dir, **options).path


def add_to_raw(src: Path, raw_dir: Path, *, city: str | None, province: str | None = None,
               level: str | None = None, kind: str = "plan", title: str | None = None,
               force: bool = False, read_meta=None, **extra) -> AddResult:
    """Copy `src` into the raw folder with a sidecar.

    The sidecar takes what the document states about itself (`read_meta(data)`, default: HTML
    `<title>`/meta and the first lines of text), then the options, which win. Refuses: a suffix
    it does not take or content that does not match it, a different file under the same name, the
    same bytes already present under another name, and rewriting an existing sidecar without
    `force` (with `force`, fields not given again are kept, never dropped)."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    size = src.stat().st_size
    if size > MAX_ADD_BYTES:
        raise ValueError(f"{src.name}: {size / 1e6:.0f} MB is over the {MAX_ADD_BYTES // 2**20} MB limit for one "
                         "document / 文件过大")
    data = src.read_bytes()
    check_suffix(src, data)
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    dest = raw_dir / safe_name(src.name)
    sha = hashlib.sha256(data).hexdigest()
    if dest.exists() and sha256_file(dest) != sha:
        raise FileExistsError(f"{dest.name}: a different file with this name is already in {raw_dir}; rename it first")
    twin = next((p for p in list_documents(raw_dir) if p.stem == dest.stem and p.name != dest.name), None)
    if twin is not None:
        raise FileExistsError(f"{src.name}: {twin.name} is already in the raw folder under the same name stem "
                              f"`{dest.stem}` (the document id, and its sidecar {sidecar_path(dest).name}); rename "
                              f"{src.name} first, e.g. {dest.stem}-{dest.suffix.lstrip('.')}{dest.suffix} / 文件名重复")
    dup = find_duplicate(raw_dir, sha, dest.name)
    if dup is not None:
        raise FileExistsError(f"{src.name}: the same file is already in the raw folder as {dup.name} / 文件已存在")
    if read_meta is None:
        from analysis.ingest.docmeta import read_metadata as read_meta
    found = {k: v for k, v in (read_meta(data) or {}).items() if k in SIDECAR_FIELDS and v}
    given = {"city": city, "province": province, "admin_level": level, "kind": kind, "title": title,
             **{k: v for k, v in extra.items() if k in SIDECAR_FIELDS}}
    unknown = sorted(set(extra) - set(SIDECAR_FIELDS))
    if unknown:
        raise ValueError(f"unknown sidecar field(s) {', '.join(unknown)}; allowed: {', '.join(SIDECAR_FIELDS)}")
    meta = {"doc_id": dest.stem, "file": dest.name, **found,
            **{k: v for k, v in given.items() if v is not None}, "sha256": sha}
    if city is None and not meta.get("city"):
        meta["city_unnamed"] = True
    side = sidecar_path(dest)
    changed: dict = {}
    if side.exists():
        old = load_sidecar(side)
        # the options win, then what the sidecar already says, then what the document states
        merged = {**found, **old, **{k: v for k, v in given.items() if v is not None},
                  "doc_id": dest.stem, "file": dest.name, "sha256": sha}
        if "kind" in old and kind == "plan" and "kind" not in extra:
            merged["kind"] = old["kind"]  # the default kind does not overwrite a stated one
        if merged.get("city"):
            merged.pop("city_unnamed", None)
        changed = {k: (old.get(k), merged.get(k)) for k in SIDECAR_FIELDS if old.get(k) != merged.get(k)}
        if not changed:
            return AddResult(dest, side, old, found, {}, unchanged=True)
        if not force:
            what = "; ".join(f"{k}: {a!r} → {b!r}" for k, (a, b) in changed.items())
            raise FileExistsError(f"{side.name} already exists; pass --force to rewrite it ({what})")
        meta = merged
    _validate(meta)
    if not dest.exists():
        tmp = dest.with_name("." + dest.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(dest)
    ordered = {k: meta[k] for k in SIDECAR_FIELDS if meta.get(k) is not None}
    tmp = side.with_name("." + side.name + ".tmp")
    tmp.write_text(yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(side)
    return AddResult(dest, side, ordered, found, changed)


def remove_document(doc: str, raw_dir: Path) -> list[Path]:
    """Delete a raw document and its sidecar; `doc` is its id (file stem) or file name."""
    raw_dir = Path(raw_dir)
    name = Path(doc).name
    hits = [p for p in list_documents(raw_dir) if p.name == name or p.stem == name]
    if not hits:
        raise FileNotFoundError(f"{doc}: no such document in {raw_dir}")
    if len(hits) > 1:
        raise ValueError(f"{doc}: several files have this id ({', '.join(p.name for p in hits)}); give the file name")
    path = hits[0]
    removed = [path]
    side = sidecar_path(path)
    path.unlink()
    if side.exists():
        side.unlink()
        removed.append(side)
    return removed
