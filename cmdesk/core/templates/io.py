"""Import and export of template packs as JSON or CSV: pure functions over bytes.

``load_pack`` either returns a complete, valid ``Pack`` or errors and no pack at all, so the
caller can apply an import in one transaction. Each problem names its place in the file
("line 12", "template 3 (/merci), variant 2"). ``dump_pack`` writes what ``load_pack``
reads back equal (the round trip is exact, variants, categories and fields included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cmdesk.core.templates import _csv, _json
from cmdesk.core.templates._encoding import EncodingError, decode_bytes
from cmdesk.core.templates._records import Draft, FileContents, ImportProblem
from cmdesk.core.templates.engine import BUILTIN_VARIABLES, ProblemKind, check
from cmdesk.core.templates.model import Pack, shortcode_key
from cmdesk.core.templates.validate import category_problem, field_problems, template_problems

MAX_IMPORT_BYTES = 16 * 1024 * 1024
MAX_REPORTED = 200  # a broken 1 MB file should not produce 20,000 lines of errors

__all__ = ["MAX_IMPORT_BYTES", "Format", "ImportProblem", "ImportResult", "detect_format", "dump_pack", "load_pack"]


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """``pack`` is None exactly when there are ``errors``; ``warnings`` never block."""

    pack: Pack | None
    errors: tuple[ImportProblem, ...] = ()
    warnings: tuple[ImportProblem, ...] = ()
    replaces: tuple[str, ...] = ()  # library shortcodes (as spelt there) this pack overwrites, with replace=True
    format: Format | None = None
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return self.pack is not None


def detect_format(data: bytes | str, filename: str = "") -> Format:
    """From the file name's extension, else from the first character ("{" or "[" is JSON)."""
    name = filename.lower()
    if name.endswith(".json"):
        return Format.JSON
    if name.endswith((".csv", ".tsv", ".txt")):
        return Format.CSV
    head = data[:64].decode("latin-1") if isinstance(data, bytes) else data[:64]
    head = head.lstrip("\ufeff\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return Format.JSON if head[:1] in ("{", "[") else Format.CSV


def dump_pack(pack: Pack, format: Format | str, delimiter: str = ",") -> bytes:
    """The file to hand to a client: JSON (UTF-8) or CSV (UTF-8 with BOM, for spreadsheets).

    ``delimiter`` (CSV only) may be ";" for a spreadsheet set up for French, or a tab.
    """
    if Format(format) is Format.JSON:
        return _json.dump(pack)
    if delimiter not in _csv.DELIMITERS:
        raise ValueError(f"CSV delimiter must be one of {_csv.DELIMITERS!r}")
    return _csv.dump(pack, delimiter)


def load_pack(
    data: bytes | str,
    format: Format | str | None = None,
    *,
    filename: str = "",
    existing_shortcodes: Iterable[str] = (),
    known_variables: Iterable[str] = (),
    replace: bool = False,
) -> ImportResult:
    """Read and fully check a pack.

    ``existing_shortcodes`` are the library's: a clash is an error, or with ``replace`` a
    template to overwrite (listed in ``replaces``). ``known_variables`` are the custom
    fields already declared in settings; other undeclared variables give warnings (the
    editor and composer will then refuse the template until the field is declared).
    """
    if len(data) > MAX_IMPORT_BYTES:
        return ImportResult(None, (ImportProblem("file", f"larger than {MAX_IMPORT_BYTES // 2**20} MB"),))
    fmt = Format(format) if format else detect_format(data, filename)
    if isinstance(data, bytes):
        try:
            text, encoding = decode_bytes(data)
        except EncodingError as exc:
            return ImportResult(None, (ImportProblem("file", str(exc)),), format=fmt)
    else:
        text, encoding = data.removeprefix("\ufeff"), "text"
    contents = _json.read(text) if fmt is Format.JSON else _csv.read(text)
    replaces = _check(contents, existing_shortcodes, known_variables, replace)
    errors, warnings = _capped(contents.errors), _capped(contents.warnings)
    if errors:
        return ImportResult(None, errors, warnings, (), fmt, encoding)
    pack = Pack(
        templates=tuple(d.template for d in contents.drafts),
        categories=tuple(c for _, c in contents.categories),
        fields=tuple(f for _, f in contents.fields),
    )
    return ImportResult(pack, (), warnings, replaces, fmt, encoding)


def _capped(problems: list[ImportProblem]) -> tuple[ImportProblem, ...]:
    if len(problems) <= MAX_REPORTED:
        return tuple(problems)
    more = ImportProblem("", f"… and {len(problems) - MAX_REPORTED} more problems")
    return (*problems[:MAX_REPORTED], more)


def _check(contents: FileContents, existing: Iterable[str], known: Iterable[str], replace: bool) -> tuple[str, ...]:
    """The checks both formats share; returns the shortcodes that will replace existing ones."""
    for index, message in field_problems([f for _, f in contents.fields]):
        contents.error(contents.fields[index][0], message)
    seen_categories: dict[str, str] = {}
    for where, category in contents.categories:
        if not category.name:
            contents.error(where, "the category has no name")
        elif problem := category_problem(category.name):
            contents.error(where, problem)
        elif category.name in seen_categories:
            first = seen_categories[category.name]
            contents.error(where, f"the category '{category.name}' is already described at {first}")
        seen_categories.setdefault(category.name, where)

    taken = {shortcode_key(s): s for s in existing}
    seen: dict[str, Draft] = {}
    clashes: list[str] = []
    known_names = set(BUILTIN_VARIABLES) | {f.name for _, f in contents.fields} | set(known)
    for draft in contents.drafts:
        t = draft.template
        for problem in template_problems(t):
            contents.error(_where(draft, problem.variant), problem.message)
        key = shortcode_key(t.shortcode)
        if key in seen:
            contents.error(draft.location, f"/{t.shortcode} is already used by {seen[key].location}")
        elif key in taken and not replace:
            contents.error(
                draft.location,
                f"/{taken[key]} already exists in the library (import with replace to"
                " overwrite it, or rename the shortcode)",
            )
        elif key in taken:
            clashes.append(taken[key])  # the library's spelling: the row to overwrite
        seen.setdefault(key, draft)
        for index, variant in enumerate(t.variants):
            for problem in check(variant.body, known_names):
                if problem.kind is ProblemKind.UNKNOWN:
                    contents.warn(
                        _where(draft, index),
                        f"{problem.message}: declare it as a custom field"
                        f" (text line {problem.line}, column {problem.column})",
                    )
    return tuple(clashes)


def _where(draft: Draft, variant: int | None) -> str:
    return draft.location if variant is None else draft.variant_locations[variant]
