"""Template commands: ``templates list``, ``import``, ``export`` and ``render``, all headless.

An import is checked in full before anything is written: a bad file exits with status 2,
its problems on stderr, and the library untouched. ``render`` prints the reply, or the
problems and a non-zero status (1: the template cannot give a reply with these values,
2: bad arguments), so scripts can tell a missing ``--var`` from a typo in a shortcode.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from cmdesk.cli.common import UserError, add_profile, workspace
from cmdesk.core.models import Platform
from cmdesk.core.templates import (
    Format,
    import_summary,
    limit_for,
    normalize_shortcode,
    parse_platform,
    render_command,
)
from cmdesk.core.templates.io import MAX_IMPORT_BYTES
from cmdesk.services.templates import TemplateLibrary
from cmdesk.store.errors import NotFoundError

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def register(sub) -> None:
    templates = sub.add_parser("templates", help="the reply-template library: list, import, export, render")
    tsub = templates.add_subparsers(dest="templates_command", metavar="ACTION", required=True)

    listing = tsub.add_parser("list", help="list the templates (the starter pack is installed on first use)")
    listing.add_argument("--category", help="only this category (and its sub-folders)")
    add_profile(listing)
    listing.set_defaults(func=run_list)

    imp = tsub.add_parser("import", help="import a JSON or CSV template file (all of it, or nothing)")
    imp.add_argument("file", help="a .json or .csv file (UTF-8, UTF-16 or Windows-1252; ',', ';' or tab)")
    imp.add_argument("--format", choices=[f.value for f in Format], help="default: from the file name or content")
    imp.add_argument("--replace", action="store_true", help="overwrite templates whose shortcode already exists")
    imp.add_argument("--dry-run", action="store_true", help="check the file and say what it would do")
    add_profile(imp)
    imp.set_defaults(func=run_import)

    exp = tsub.add_parser("export", help="export the library as JSON or CSV (re-importable as is)")
    exp.add_argument("--format", choices=[f.value for f in Format], required=True)
    exp.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    exp.add_argument("--delimiter", choices=sorted(DELIMITERS), default="comma", help="CSV only (default: comma)")
    add_profile(exp)
    exp.set_defaults(func=run_export)

    render = tsub.add_parser("render", help="print a template filled in, or the list of its problems")
    render.add_argument("shortcode", help="e.g. merci or /merci")
    render.add_argument("--lang", default="", help="the reader's language, e.g. fr or en")
    render.add_argument("--platform", default=None, help="e.g. bluesky: picks its variant and checks the length")
    render.add_argument("--account", metavar="NAME", help="answer as this account (its platform, name and limit)")
    render.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE", help="a variable's value (repeatable)"
    )
    add_profile(render)
    render.set_defaults(func=run_render)


def _library(ws, *, install: bool = True) -> TemplateLibrary:
    library = TemplateLibrary(ws.store, ws.settings)
    if install and library.install_starter():
        print(f"Installed the starter pack ({len(library.templates())} templates) into this profile.", file=sys.stderr)
    return library


def run_list(args) -> int:
    with workspace(args) as ws:
        library = _library(ws)
        usage = library.usage()
        prefix = (args.category or "").strip().strip("/")
        shown = [
            t for t in library.templates() if not prefix or t.category == prefix or t.category.startswith(prefix + "/")
        ]
        if not shown:
            print("No templates." if not prefix else f"No templates in “{prefix}”.", file=sys.stderr)
            return 0
        width = max(len(t.shortcode) for t in shown) + 1
        for t in shown:
            star = "*" if t.favourite else " "
            uses = usage[t.id].times_used if t.id in usage else 0
            langs = ",".join(lang or "any" for lang in t.langs)
            category = f"  [{t.category}]" if t.category else ""
            print(f"{star} /{t.shortcode:<{width}} {t.title}{category}  ({langs}; used {uses}×)")
    return 0


def _read_import(path: str) -> bytes:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UserError(
                f"{path} is {size // 2**20} MB: an import file may hold at most {MAX_IMPORT_BYTES // 2**20} MB."
            )
        return file.read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from exc


def run_import(args) -> int:
    data = _read_import(args.file)
    with workspace(args) as ws:
        library = _library(ws, install=False)
        if args.dry_run:
            result = library.check_import(data, args.file, replace=args.replace, format=args.format)
            outcome = None
        else:
            outcome = library.import_file(data, args.file, replace=args.replace, format=args.format)
            result = outcome.result
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if result.pack is None:
            problems = "\n".join(f"  {e}" for e in result.errors)
            raise UserError(f"{args.file} was not imported (nothing was changed):\n{problems}")
        summary = import_summary(result).text
        print(("Would import " if outcome is None else "Imported ") + summary + ".")
    return 0


def run_export(args) -> int:
    with workspace(args) as ws:
        library = _library(ws)
        data = library.export(args.format, DELIMITERS[args.delimiter])
        count = len(library.templates())
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    tmp = f"{args.out}.partial"
    try:
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, args.out)  # never a half-written file under the real name
    except OSError as exc:
        raise UserError(f"Cannot write {args.out}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(f"Exported {count} templates to {args.out}.", file=sys.stderr)
    return 0


def run_render(args) -> int:
    with workspace(args) as ws:
        library = _library(ws)
        assignments = list(args.var)
        platform: str | Platform | None = args.platform
        limit = None
        if args.account:
            try:
                account = ws.store.account_by_name(args.account)
            except NotFoundError as exc:
                raise UserError(str(exc)) from exc
            platform = platform or account.platform
            if _platform_or_none(platform) == account.platform:  # its own limit (a Mastodon instance's)
                limit = limit_for(account.platform, account.settings)
            assignments.insert(0, f"account.name={account.name}")
        output = render_command(
            library.templates(),
            normalize_shortcode(args.shortcode),
            lang=args.lang,
            platform=platform,
            assignments=assignments,
            settings=library.template_settings(),
            now=datetime.now().astimezone(),
            limit=limit,
        )
    for note in output.notes:
        print(note, file=sys.stderr)
    for error in output.errors:
        print(f"cmdesk: {error}", file=sys.stderr)
    if output.text:
        print(output.text)
    return output.exit_code


def _platform_or_none(value: str | Platform) -> Platform | None:
    try:
        return value if isinstance(value, Platform) else parse_platform(value)
    except ValueError:
        return None  # render_command reports the unknown platform
