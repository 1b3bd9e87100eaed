"""The CSV pack format: one row per variant, so that a pack can be edited in a spreadsheet.

Columns (header required, any order, French names accepted, "," ";" or tab sniffed):

    kind, shortcode, title, category, tags, favourite, lang, platform, variant_title, body

* ``kind`` "template" (or blank, or no such column): one variant of the template
  ``shortcode``. Template columns (title, category, tags, favourite) are repeated on every
  row of a template; a blank one inherits, a different one is an error.
* ``kind`` "category": ``category`` names a category, ``body`` holds its charte.
* ``kind`` "field": ``shortcode`` names a custom field, ``title`` is its label, ``body`` its value.

Cells starting with ``= + - @`` (or a tab / CR / apostrophe) are written with a leading
apostrophe, so that a spreadsheet never runs a template as a formula; reading removes it
again, which keeps the round trip exact.
"""

from __future__ import annotations

import csv
import io
import re

from cmdesk.core.templates._json import normalize_category
from cmdesk.core.templates._records import Draft, FileContents
from cmdesk.core.templates.model import (
    Category,
    CustomField,
    Pack,
    Template,
    Variant,
    normalize_lang,
    normalize_newlines,
    normalize_shortcode,
    normalize_tags,
    parse_platform,
    shortcode_key,
)
from cmdesk.core.templates.validate import variant_label
from cmdesk.core.text import fold

COLUMNS = ("kind", "shortcode", "title", "category", "tags", "favourite", "lang", "platform", "variant_title", "body")
DELIMITERS = (",", ";", "\t")
_ALIASES = {
    **{c: c for c in COLUMNS},
    "type": "kind", "genre": "kind",
    "raccourci": "shortcode", "code": "shortcode",
    "titre": "title", "name": "title", "nom": "title",
    "categorie": "category", "dossier": "category", "folder": "category",
    "etiquettes": "tags", "tag": "tags", "mots_cles": "tags",
    "favorite": "favourite", "favori": "favourite",
    "language": "lang", "langue": "lang",
    "plateforme": "platform",
    "titre_variante": "variant_title", "titre_de_la_variante": "variant_title",
    "text": "body", "texte": "body", "corps": "body", "message": "body", "value": "body", "valeur": "body",
}  # fmt: skip
_KINDS = {
    "": "template", "template": "template", "modele": "template",
    "category": "category", "categorie": "category",
    "field": "field", "champ": "field",
}  # fmt: skip
_TRUE = {"1", "yes", "y", "true", "oui", "o", "vrai", "x", "✓"}
_FALSE = {"", "0", "no", "n", "false", "non", "faux"}
_FORMULA_START = "=+-@\t\r'"
_TEMPLATE_COLUMNS = ("title", "category", "tags", "favourite")
_SEP_LINE = re.compile(r"sep=([,;\t])[ \t]*\r?\n")


def _protect(cell: str) -> str:
    return "'" + cell if cell and cell[0] in _FORMULA_START else cell


def _unprotect(cell: str) -> str:
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START else cell


def dump(pack: Pack, delimiter: str = ",") -> bytes:
    """UTF-8 with a BOM (so that Excel reads the accents right) and CRLF row ends (RFC 4180)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows: list[tuple[str, ...]] = []
    rows += [("field", f.name, f.label, "", "", "", "", "", "", f.value) for f in pack.fields]
    rows += [("category", "", "", c.name, "", "", "", "", "", c.charte) for c in pack.categories]
    for t in pack.templates:
        for v in t.variants:
            platform = v.platform.value if v.platform else ""
            favourite = "yes" if t.favourite else "no"
            rows.append(
                (
                    "template",
                    t.shortcode,
                    t.title,
                    t.category,
                    ", ".join(t.tags),
                    favourite,
                    v.lang,
                    platform,
                    v.title,
                    v.body,
                )
            )
    writer.writerows([_protect(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _column(header: str) -> str:
    return _ALIASES.get(fold(header).strip().replace(" ", "_").replace("-", "_"), "")


def sniff_delimiter(text: str) -> str:
    """The delimiter that makes the most sense of the header line ("" when none does)."""
    first_line = text.split("\n", 1)[0]
    best, best_score = "", 0
    for delimiter in DELIMITERS:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        names = {_column(h) for h in header} - {""}
        score = len(names) if {"shortcode", "body"} <= names else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Group:
    """The rows of one template, merged as they are read."""

    def __init__(self, shortcode: str, line: int) -> None:
        self.shortcode, self.line = shortcode, line
        self.values: dict[str, tuple[object, int]] = {}
        self.variants: list[Variant] = []
        self.lines: list[int] = []


def read(text: str) -> FileContents:
    out = FileContents()
    skipped = 0
    hint = _SEP_LINE.match(text)
    if hint:  # Excel's "sep=;" first line names the delimiter
        text, skipped = text[hint.end() :], 1
    delimiter = hint.group(1) if hint else sniff_delimiter(text)
    header_at = f"line {1 + skipped}"
    if not delimiter:
        out.error(
            header_at,
            "no header found: the first line must name the columns, at least 'shortcode' and"
            " 'body' (separated by ',', ';' or tabs)",
        )
        return out
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    raw_header = next(reader, [])
    header = [_column(h) for h in raw_header]
    for name, raw in zip(header, raw_header, strict=True):
        if not name:
            out.warn(header_at, f"the column '{raw.strip()}' is not a template column and is ignored")
    duplicated = {c for c in header if c and header.count(c) > 1}
    if duplicated or not {"shortcode", "body"} <= set(header):
        problem = (
            f"the column '{sorted(duplicated)[0]}' appears twice" if duplicated else "no 'shortcode' or 'body' column"
        )
        out.error(header_at, problem)
        return out
    groups: dict[str, _Group] = {}
    line = reader.line_num + 1 + skipped
    try:
        for cells in reader:
            _read_row(out, groups, header, [_unprotect(c) for c in cells], line)
            line = reader.line_num + 1 + skipped
    except csv.Error as exc:
        out.error(f"line {line}", f"the CSV is malformed here ({exc}); check the quotes")
        return out
    for group in groups.values():
        _finish_group(out, group)
    return out


def _read_row(out: FileContents, groups: dict[str, _Group], header: list[str], cells: list[str], line: int) -> None:
    if not any(c.strip() for c in cells):
        return  # blank rows are what spreadsheets leave at the end
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        out.error(f"line {line}", f"{len(cells)} cells but the header names {len(header)} columns")
        return
    row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
    where = f"line {line}"
    kind = _KINDS.get(fold(row.get("kind", "")).strip())
    if kind is None:
        out.error(where, f"unknown kind '{row['kind']}' (template, category or field)")
    elif kind == "category":
        name = normalize_category(row.get("category", ""))
        out.categories.append((where, Category(name, normalize_newlines(row.get("body", "")))))
    elif kind == "field":
        value = normalize_newlines(row.get("body", ""))
        out.fields.append((where, CustomField(row.get("shortcode", "").strip(), value, row.get("title", "").strip())))
    else:
        _read_variant_row(out, groups, row, line)


def _read_variant_row(out: FileContents, groups: dict[str, _Group], row: dict[str, str], line: int) -> None:
    where = f"line {line}"
    shortcode = normalize_shortcode(row.get("shortcode", ""))
    if not shortcode:
        out.error(where, "the shortcode is empty")
        return
    try:
        platform = parse_platform(row.get("platform", ""))
    except ValueError as exc:
        out.error(where, str(exc))
        return
    group = groups.setdefault(shortcode_key(shortcode), _Group(shortcode, line))
    if group.shortcode != shortcode:
        out.error(
            where,
            f"/{shortcode} and /{group.shortcode} (line {group.line}) differ only by accents or case;"
            " the picker cannot tell them apart",
        )
        return
    for column in _TEMPLATE_COLUMNS:
        raw = row.get(column, "")
        if not raw.strip():
            continue
        value = _template_value(column, raw)
        if value is None:
            out.error(where, f"favourite '{raw.strip()}' is neither yes nor no")
            continue
        if column in group.values and group.values[column][0] != value:
            first, first_line = group.values[column]
            out.error(
                where,
                f"/{shortcode} has {column} {_show(value)} here but {_show(first)} on line {first_line}"
                " (repeat it or leave it blank)",
            )
        group.values.setdefault(column, (value, line))
    body = normalize_newlines(row.get("body", ""))
    group.variants.append(
        Variant(body, normalize_lang(row.get("lang", "")), platform, row.get("variant_title", "").strip())
    )
    group.lines.append(line)


def _template_value(column: str, raw: str) -> object:
    if column == "title":
        return raw.strip()
    if column == "category":
        return normalize_category(raw)
    if column == "tags":
        return normalize_tags(raw.split(","))
    word = fold(raw).strip()
    return True if word in _TRUE else False if word in _FALSE else None


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "'" + ", ".join(value) + "'"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"


def _finish_group(out: FileContents, group: _Group) -> None:
    values = {column: value for column, (value, _) in group.values.items()}
    template = Template(
        shortcode=group.shortcode,
        title=values.get("title", ""),
        variants=tuple(group.variants),
        category=values.get("category", ""),
        tags=values.get("tags", ()),
        favourite=values.get("favourite", False),
    )
    where = [
        f"line {n} (/{group.shortcode}, {variant_label(v)})" for n, v in zip(group.lines, group.variants, strict=True)
    ]
    out.drafts.append(Draft(template, f"line {group.line} (/{group.shortcode})", where))
