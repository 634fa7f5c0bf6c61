"""`plans` command line: a thin shell, each subcommand calls one library function."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config


def _print_table(df, csv: bool = False) -> None:
    if csv:
        df.to_csv(sys.stdout, index=False)
        return
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 60, "display.unicode.east_asian_width", True):
        print(df.to_string(index=False) if len(df) else "(no rows)")


def cmd_build(args) -> int:
    from analysis.build import build

    report = build(Path(args.raw), Path(args.db), Path(args.out), workers=args.workers, full=args.full)
    if report.up_to_date:
        print(f"{report.db_path} is up to date: {report.n_ok} documents, {report.n_failed} failed, nothing changed")
    else:
        align = report.align
        extra = "\n" + align.summary() if align is not None and hasattr(align, "summary") else ""
        print(f"built {report.db_path}: {report.n_ok} documents, {report.n_failed} failed, "
              f"{report.n_targets} statements extracted ({report.n_processed} documents processed, "
              f"{report.n_cached} from the cache){extra}")
    for _file_name, _, reason in report.failed:
        print(f"error: {reason}", file=sys.stderr)
    return 1 if report.n_failed else 0


_ADD_FIELDS = {"url": "source_url", "doc_number": "doc_number", "issuer": "issuer", "issued_date": "issued_date",
               "published_date": "published_date", "period": "period", "index_number": "index_number",
               "notes": "notes", "language_variant": "language_variant"}


def cmd_add(args) -> int:
    from analysis.ingest import SidecarError, add_to_raw

    extra = {field: getattr(args, opt) for opt, field in _ADD_FIELDS.items() if getattr(args, opt) is not None}
    try:
        res = add_to_raw(Path(args.file), Path(args.raw), city=args.city, province=args.province,
                         level=args.level, kind=args.kind, title=args.title, force=args.force, **extra)
    except (FileExistsError, FileNotFoundError, ValueError, SidecarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    side = res.sidecar.name
    if res.unchanged:
        print(f"{res.path.name} is already in the raw folder with the same sidecar; nothing changed")
        return 0
    for key, value in sorted(res.found.items()):
        print(f"  from the document: {key} = {value}")
    for key, (old, new) in res.changed.items():
        print(f"  rewritten: {key}: {old!r} → {new!r}")
    print(f"added {res.path} (sidecar {side}); run `plans build` to include it")
    return 0


def cmd_remove(args) -> int:
    from analysis.ingest import remove_document

    try:
        removed = remove_document(args.doc, Path(args.raw))
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("removed " + ", ".join(p.name for p in removed) + "; run `plans build` to update the database")
    return 0


def cmd_check(args) -> int:
    from analysis.warehouse.db import connect

    con = connect(Path(args.db))
    if args.numbers is not None:
        return _check_numbers(con, None if args.numbers == "*" else args.numbers, args.csv)
    where, params = "", {}
    if args.kind:
        where = "WHERE f.kind = $kind"
        params["kind"] = args.kind
    df = con.execute(
        f"""SELECT f.doc_id, coalesce(d.city_label, '未读取 not built') AS city, f.stage, f.kind, f.severity, f.raw_start,
                   left(regexp_replace(coalesce(f.excerpt, ''), '\\s+', ' ', 'g'), 40) AS excerpt,
                   left(f.message, 90) AS message
            FROM quality_flags f LEFT JOIN documents d USING (doc_id) {where}
            ORDER BY f.doc_id, f.stage, f.flag_no""", params).df()
    _print_table(df, args.csv)
    if not args.csv:
        print(f"\n{len(df)} flags", file=sys.stderr)
    return 0


def _check_numbers(con, doc: str | None, csv: bool) -> int:
    """`plans check --numbers [DOC]`: numbers that became no row and were rejected for no known reason."""
    from analysis.warehouse.numbers import unexplained_numbers

    df = unexplained_numbers(con, doc)
    _print_table(df, csv)
    if not csv:
        print(f"\n{len(df)} unexplained numbers / 未解释的数字", file=sys.stderr)
    return 0


def cmd_query(args) -> int:
    from analysis.warehouse.db import connect
    from analysis.warehouse.queries import list_queries, run_query

    if args.name in (None, "list"):
        print("\n".join(list_queries()))
        return 0
    params = {}
    for kv in args.param or []:
        if "=" not in kv:
            print(f"error: --param takes name=value, got {kv!r}", file=sys.stderr)
            return 2
        k, v = kv.split("=", 1)
        params[k] = v
    con = connect(Path(args.db))
    try:
        df = run_query(con, args.name, **params)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_table(df, args.csv)
    return 0


def cmd_align(args) -> int:
    from analysis.align.curate import accept, suggest
    from analysis.align.registry import RegistryError, load_registry

    if args.accept:
        name, indicator_id = args.accept
        try:
            diff = accept(name, indicator_id, Path(args.registry))
        except RegistryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(diff or f"“{name}” already matches {indicator_id}; nothing changed")
        if diff:
            print(f"added to {args.registry}: review the diff, commit it, and run `plans build`", file=sys.stderr)
        return 0
    from analysis.warehouse.db import connect

    rows = suggest(connect(Path(args.db)), load_registry(Path(args.registry)), n=3)
    for r in rows:
        unit = f" [{r['unit']}]" if r["unit"] else ""
        print(f"{r['n']:>3} × {r['raw_name']}{unit}" + (f"   (refused: {r['refused']})" if r["refused"] else ""))
        for c in r["closest"]:
            print(f"        {c.score:.2f}  {c.indicator_id}  {c.indicator_zh}  — {c.why}")
    print(f"\n{len(rows)} unmatched names; accept one with: plans align --accept NAME INDICATOR_ID", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    from analysis.publish.report import ReportError, build_reports

    try:
        return build_reports(Path(args.db), Path(args.out), only=args.only, timeout=args.timeout,
                             workers=args.workers, static=not args.no_static, cities=args.city,
                             min_docs=args.min_docs, full=args.full) or 0
    except (ReportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def cmd_search(args) -> int:
    from analysis.warehouse.search import SearchError, format_hits, search_records, write_csv  # no pandas: fast start

    try:
        hits = search_records(args.query, city=args.city, indicator=args.indicator, section=args.section,
                              limit=args.limit, db_path=Path(args.db))
    except (SearchError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.csv:
        write_csv(hits, sys.stdout)
        if not hits:
            print(format_hits(hits, args.query), file=sys.stderr)
    else:
        print(format_hits(hits, args.query))
    return 0


def _number(text: str) -> float | int:
    v = float(text)
    return int(v) if v.is_integer() else v


def cmd_correct(args) -> int:
    from analysis.align.curation import CorrectionError, append_entries, propose
    from analysis.warehouse.db import connect

    con = connect(Path(args.db))
    try:
        entries, before, after = propose(
            con, args.doc, args.name, changes={"target": args.target, "baseline": args.baseline, "unit": args.unit,
                                               "indicator": args.indicator},
            drop=args.drop, year=args.year, source_kind=args.source_kind, reason=args.reason, curator=args.curator)
    except CorrectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print("before 校订前:")
    _print_table(before)
    print("after 校订后:" + (" (dropped: not a target 删除)" if args.drop else ""))
    _print_table(after)
    append_entries(Path(args.corrections), entries)
    print(f"\nwrote {len(entries)} correction(s) to {args.corrections}; run `plans build` to apply them")
    return 0


def cmd_corrections(args) -> int:
    from analysis.align.curation import correction_status
    from analysis.warehouse.db import connect

    con = connect(Path(args.db))
    try:
        df = correction_status(con, Path(args.corrections))
    finally:
        con.close()
    _print_table(df, args.csv)
    stale = int((df["n_rows"] == 0).sum())
    print(f"\n{len(df)} corrections, {stale} match nothing", file=sys.stderr)
    return 0


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=str(config.DB_PATH), help="database file (default: %(default)s)")


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plans", description="民政事业“十四五”规划比较 — compare civil-affairs plan targets across cities.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the DuckDB database and exports from the raw documents")
    b.add_argument("--raw", default=str(config.RAW_DIR), help="raw documents folder (default: %(default)s)")
    b.add_argument("--db", default=str(config.DB_PATH), help="database file (default: %(default)s)")
    b.add_argument("--out", default=str(config.PROCESSED_DIR), help="export folder for targets.csv/.parquet (default: %(default)s)")
    b.add_argument("--workers", type=int, default=None, help="worker processes (default: up to 2)")
    b.add_argument("--full", action="store_true",
                   help="ignore the per-document cache (data/processed/cache/) and reprocess every document")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("add", help="copy a document into the raw folder and write its metadata sidecar (fields the "
                                   "document states are read from it; options win)")
    a.add_argument("file", help="the document (.pdf .docx .doc .wps .html .htm .txt .md)")
    a.add_argument("--city", default=None, help="city as the document names it (omit if it does not)")
    a.add_argument("--province", default=None, help="province-level unit, e.g. 山西省")
    a.add_argument("--level", default=None, choices=["province", "prefecture", "county", "township", "unknown"],
                   help="administrative level of the city")
    a.add_argument("--kind", default="plan", choices=["plan", "excerpt", "news"],
                   help="the plan itself, an excerpt, or a news article about it (default: %(default)s)")
    a.add_argument("--title", default=None, help="the document's title (default: read from the document)")
    a.add_argument("--url", default=None, help="source URL the document was downloaded from")
    a.add_argument("--doc-number", dest="doc_number", default=None, help="文号, e.g. 某府办发〔2022〕8号")
    a.add_argument("--issuer", default=None, help="issuing office (发文机关)")
    a.add_argument("--issued-date", dest="issued_date", default=None, help="印发/成文 date, YYYY-MM-DD")
    a.add_argument("--published-date", dest="published_date", default=None, help="发布 date, YYYY-MM-DD")
    a.add_argument("--period", default=None, help="plan period, e.g. 2021-2025")
    a.add_argument("--index-number", dest="index_number", default=None, help="索引号")
    a.add_argument("--language-variant", dest="language_variant", default=None, choices=["simplified", "traditional"],
                   help="script of the raw text, recorded in the sidecar")
    a.add_argument("--notes", default=None, help="free notes kept in the sidecar")
    a.add_argument("--force", action="store_true", help="rewrite an existing sidecar (fields not given are kept)")
    a.add_argument("--raw", default=str(config.RAW_DIR), help="raw documents folder (default: %(default)s)")
    a.set_defaults(func=cmd_add)

    rm = sub.add_parser("remove", help="delete a document and its sidecar from the raw folder")
    rm.add_argument("doc", help="document id (file stem) or file name")
    rm.add_argument("--raw", default=str(config.RAW_DIR), help="raw documents folder (default: %(default)s)")
    rm.set_defaults(func=cmd_remove)

    c = sub.add_parser("check", help="list quality flags (spam removed, mojibake, conflicts, suspect units …)")
    _add_db(c)
    c.add_argument("--kind", default=None, help="only flags of this kind")
    c.add_argument("--csv", action="store_true", help="CSV on standard output")
    c.add_argument("--numbers", nargs="?", const="*", default=None, metavar="DOC",
                   help="instead of flags, list the numbers of the text that became no row and were rejected for "
                        "no known reason (all documents, or one doc_id / prefix)")
    c.set_defaults(func=cmd_check)

    q = sub.add_parser("query", help="run a SQL file from queries/ (no name: list them)")
    q.add_argument("name", nargs="?", help="query name (file stem)")
    q.add_argument("--param", action="append", metavar="NAME=VALUE", help="named parameter (repeatable)")
    _add_db(q)
    q.add_argument("--csv", action="store_true", help="CSV on standard output")
    q.set_defaults(func=cmd_query)

    al = sub.add_parser("align", help="curate the registry: list unmatched names with the closest entries, or accept an alias")
    mode = al.add_mutually_exclusive_group(required=True)
    mode.add_argument("--suggest", action="store_true", help="every unmatched name, its count and the 3 closest registry entries")
    mode.add_argument("--accept", nargs=2, metavar=("NAME", "ID"), help="add NAME as an alias of indicator ID in the registry")
    _add_db(al)
    al.add_argument("--registry", default=str(config.INDICATORS_YAML), help="registry file (default: %(default)s)")
    al.set_defaults(func=cmd_align)

    r = sub.add_parser("report", help="execute the notebooks and write the HTML reports to figures/")
    _add_db(r)
    r.add_argument("--out", default=str(config.FIGURES_DIR), help="folder for the HTML reports (default: %(default)s)")
    r.add_argument("--city", action="append", metavar="DOC_OR_NAME",
                   help="write only this document's city page (doc id, id prefix or city name; repeatable)")
    r.add_argument("--only", action="append", metavar="NOTEBOOK", help="notebook stem to run (repeatable)")
    r.add_argument("--min-docs", type=int, default=2,
                   help="an indicator gets a page when this many documents state it (default %(default)s)")
    r.add_argument("--timeout", type=int, default=600, help="seconds per cell (default %(default)s)")
    r.add_argument("--workers", type=int, default=None, help="notebooks run at a time (default: up to 2)")
    r.add_argument("--no-static", action="store_true", help="skip the static PNG charts")
    r.add_argument("--full", action="store_true",
                   help="execute every notebook (default: only those whose inputs changed since their last run)")
    r.set_defaults(func=cmd_report)

    s = sub.add_parser("search", help="search every passage (simplified or traditional, partial words), ranked")
    s.add_argument("query", help="words to find; every word must occur (e.g. 护理型床位)")
    s.add_argument("--city", default=None, help="only documents of this city (part of the name is enough)")
    s.add_argument("--indicator", default=None, metavar="ID", help="only passages holding a target of this registry id")
    s.add_argument("--section", default=None, help="only passages whose heading path contains this")
    s.add_argument("--limit", type=int, default=50, help="at most this many passages (default: %(default)s)")
    _add_db(s)
    s.add_argument("--csv", action="store_true", help="CSV on standard output (with a city column)")
    s.set_defaults(func=cmd_search)

    k = sub.add_parser("correct", help="record a reviewed correction in data/curation/corrections.yaml (no YAML editing)")
    k.add_argument("doc", help="doc_id, or a unique prefix of it (e.g. 002)")
    k.add_argument("name", help="the indicator name as extracted (raw_name)")
    k.add_argument("--target", type=_number, default=None, help="the correct target value")
    k.add_argument("--baseline", type=_number, default=None, help="the correct baseline value")
    k.add_argument("--unit", default=None, help="the correct unit")
    k.add_argument("--indicator", default=None, metavar="ID", help="the registry id the statement belongs to")
    k.add_argument("--drop", action="store_true", help="the row is not a target: exclude it from targets")
    k.add_argument("--year", type=int, default=None, help="only the statement with this target year")
    k.add_argument("--source-kind", default=None, choices=["table", "prose", "series"], help="only this source")
    k.add_argument("--reason", required=True, help="why, with the evidence (required)")
    k.add_argument("--curator", default=None, help="who (default: git config user.name, else $USER)")
    _add_db(k)
    k.add_argument("--corrections", default=str(config.CORRECTIONS_YAML), help="corrections file (default: %(default)s)")
    k.set_defaults(func=cmd_correct)

    ks = sub.add_parser("corrections", help="list the corrections with their status (applied / matches nothing)")
    _add_db(ks)
    ks.add_argument("--corrections", default=str(config.CORRECTIONS_YAML), help="corrections file (default: %(default)s)")
    ks.add_argument("--csv", action="store_true", help="CSV on standard output")
    ks.set_defaults(func=cmd_corrections)
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
