"""Raw documents and their metadata sidecars (`<stem>.meta.yml` beside each raw file).

The raw folder is a snapshot: files are added (`add_document`), never edited. Provenance is
recorded once, in the sidecar, beside the raw file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.config import RAW_SUFFIXES, SIDECAR_SUFFIX

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster
KINDS = ("plan", "excerpt", "news")
LEVELS = ("province", "prefecture", "county", "township", "unknown")
SIDECAR_FIELDS = (
    "doc_id", "file", "city", "city_unnamed", "province", "admin_level", "kind", "title", "doc_number",
    "issuer", "issued_date", "published_date", "period", "language_variant", "sha256", "source_url",
    "index_number", "notes", "supersedes",
)


class SidecarError(Exception):
    """A sidecar that is missing or cannot be read; the message names the file (and line)."""


@dataclass
class RawDocument:
    path: Path
    doc_id: str
    sidecar: Path
    meta: dict = field(default_factory=dict)


def sidecar_path(raw: Path) -> Path:
    return raw.with_name(raw.stem + SIDECAR_SUFFIX)


def list_documents(raw_dir: Path) -> list[Path]:
    """Raw document files in a folder, sorted by name (sidecars and hidden files excluded)."""
    return sorted(
        p for p in Path(raw_dir).iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
        and p.suffix.lower() in RAW_SUFFIXES
    )


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
    unknown = sorted(set(meta) - set(SIDECAR_FIELDS))
    if unknown:
        raise SidecarError(f"{path.name}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(SIDECAR_FIELDS)}")
    if meta.get("kind") not in (None, *KINDS):
        raise SidecarError(f"{path.name}: kind must be one of {', '.join(KINDS)}, got {meta.get('kind')!r}")
    if meta.get("admin_level") not in (None, *LEVELS):
        raise SidecarError(f"{path.name}: admin_level must be one of {', '.join(LEVELS)}, got {meta.get('admin_level')!r}")
    for key in ("issued_date", "published_date"):
        if isinstance(meta.get(key), dt.date):
            meta[key] = meta[key].isoformat()
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


def safe_name(name: str) -> str:
    """A file name safe to keep in the raw folder: no directories, no spaces, no leading dots."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = _SAFE.sub("_", stem).strip("._") or "document"
    return stem + (suffix if suffix in RAW_SUFFIXES else ".txt")


def add_document(src: Path, raw_dir: Path, *, city: str | None, province: str | None = None,
                 level: str | None = None, kind: str = "plan", title: str | None = None,
                 **extra) -> Path:
    """Copy `src` into the raw folder with a sidecar. Refuses to overwrite a different file."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    dest = raw_dir / safe_name(src.name)
    sha = sha256_file(src)
    if dest.exists() and sha256_file(dest) != sha:
        raise FileExistsError(f"{dest.name}: a different file with this name is already in {raw_dir}; rename it first")
    if not dest.exists():
        tmp = dest.with_name("." + dest.name + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    meta = {
        "doc_id": dest.stem, "file": dest.name, "city": city, "city_unnamed": city is None or None,
        "province": province, "admin_level": level, "kind": kind, "title": title, "sha256": sha,
        **{k: v for k, v in extra.items() if k in SIDECAR_FIELDS},
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    side = sidecar_path(dest)
    side.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest
