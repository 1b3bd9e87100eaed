"""The JSON pack format (version 1), written by CMDesk and strict on reading.

    {"format": "cmdesk-templates", "version": 1,
     "fields": [{"name": "shop.hours", "value": "", "label": "Opening hours"}],
     "categories": [{"name": "Reviews", "charte": "Thank first, then…"}],
     "templates": [{"shortcode": "merci", "title": "Thanks", "category": "Reviews",
                    "tags": ["thanks"], "favourite": false,
                    "variants": [{"lang": "fr", "platform": null, "title": "", "body": "Merci !"}]}]}

A bare list of templates is read too. Unknown keys are errors (a misspelt "varaints" must
not silently drop texts); a file from a newer version is refused.
"""

from __future__ import annotations

import json

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
)
from cmdesk.core.templates.validate import variant_label

FORMAT_NAME = "cmdesk-templates"
VERSION = 1
_TOP_KEYS = {"format", "version", "fields", "categories", "templates"}
_FIELD_KEYS = {"name", "value", "label"}
_CATEGORY_KEYS = {"name", "charte"}
_TEMPLATE_KEYS = {"shortcode", "title", "category", "tags", "favourite", "variants"}
_VARIANT_KEYS = {"lang", "platform", "title", "body"}


def dump(pack: Pack) -> bytes:
    data = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "fields": [{"name": f.name, "value": f.value, "label": f.label} for f in pack.fields],
        "categories": [{"name": c.name, "charte": c.charte} for c in pack.categories],
        "templates": [
            {
                "shortcode": t.shortcode,
                "title": t.title,
                "category": t.category,
                "tags": list(t.tags),
                "favourite": t.favourite,
                "variants": [
                    {
                        "lang": v.lang,
                        "platform": v.platform.value if v.platform else None,
                        "title": v.title,
                        "body": v.body,
                    }
                    for v in t.variants
                ],
            }
            for t in pack.templates
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def normalize_category(text: str) -> str:
    """ " Support / Delivery " -> "Support/Delivery"."""
    text = text.strip()
    return "/".join(part.strip() for part in text.split("/")) if text else ""


class _Reader:
    def __init__(self, out: FileContents) -> None:
        self.out = out

    def obj(self, value, keys: set[str], where: str) -> dict | None:
        if not isinstance(value, dict):
            self.out.error(where, "expected an object {…}")
            return None
        for key in value.keys() - keys:
            self.out.error(where, f"unknown key '{key}' (expected: {', '.join(sorted(keys))})")
        return value

    def text(self, data: dict, key: str, where: str, required: bool = False) -> str | None:
        value = data.get(key, None if required else "")
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.out.error(where, f"'{key}' is missing" if value is None else f"'{key}' must be a string")
            return None
        return value

    def items(self, data: dict, key: str, where: str) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.out.error(where, f"'{key}' must be a list […]")
            return []
        return value


def read(text: str) -> FileContents:
    out = FileContents()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        out.error(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")
        return out
    if isinstance(data, list):
        data = {"templates": data}
    r = _Reader(out)
    if r.obj(data, _TOP_KEYS, "file") is None:
        return out
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        out.error("file", f"this is not a CMDesk template pack (format is not '{FORMAT_NAME}')")
        return out
    version = data.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        out.error("file", f"pack version {version!r} is not supported: this CMDesk reads version {VERSION}")
        return out
    for i, raw in enumerate(r.items(data, "fields", "file")):
        _read_field(r, raw, f"field {i + 1}")
    for i, raw in enumerate(r.items(data, "categories", "file")):
        _read_category(r, raw, f"category {i + 1}")
    for i, raw in enumerate(r.items(data, "templates", "file")):
        _read_template(r, raw, i + 1)
    return out


def _read_field(r: _Reader, raw, where: str) -> None:
    if (d := r.obj(raw, _FIELD_KEYS, where)) is None:
        return
    name, value, label = r.text(d, "name", where, True), r.text(d, "value", where), r.text(d, "label", where)
    if name is not None and value is not None and label is not None:
        where = f"{where} ({{{name.strip()}}})"
        r.out.fields.append((where, CustomField(name.strip(), normalize_newlines(value), label.strip())))


def _read_category(r: _Reader, raw, where: str) -> None:
    if (d := r.obj(raw, _CATEGORY_KEYS, where)) is None:
        return
    name, charte = r.text(d, "name", where, True), r.text(d, "charte", where)
    if name is not None and charte is not None:
        name = normalize_category(name)
        r.out.categories.append((f"{where} ({name})", Category(name, normalize_newlines(charte))))


def _read_template(r: _Reader, raw, number: int) -> None:
    where = f"template {number}"
    if isinstance(raw, dict) and isinstance(raw.get("shortcode"), str):
        where = f"{where} (/{normalize_shortcode(raw['shortcode'])})"
    errors_before = len(r.out.errors)
    if (d := r.obj(raw, _TEMPLATE_KEYS, where)) is None:
        return
    shortcode = r.text(d, "shortcode", where, True)
    title, category = r.text(d, "title", where, True), r.text(d, "category", where)
    tags = d.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        r.out.error(where, "'tags' must be a list of strings")
    favourite = d.get("favourite", False)
    if not isinstance(favourite, bool):
        r.out.error(where, "'favourite' must be true or false")
    variants: list[Variant] = []
    locations: list[str] = []
    if "variants" not in d:
        r.out.error(where, "'variants' is missing: a template needs at least one text")
    for j, raw_variant in enumerate(r.items(d, "variants", where)):
        vwhere = f"{where}, variant {j + 1}"
        if (variant := _read_variant(r, raw_variant, vwhere)) is not None:
            variants.append(variant)
            locations.append(f"{vwhere} ({variant_label(variant)})")
    if len(r.out.errors) > errors_before:
        return  # the shape is wrong: checking the content would only add noise
    template = Template(
        shortcode=normalize_shortcode(shortcode),
        title=title.strip(),
        variants=tuple(variants),
        category=normalize_category(category),
        tags=normalize_tags(tags),
        favourite=favourite,
    )
    r.out.drafts.append(Draft(template, where, locations))


def _read_variant(r: _Reader, raw, where: str) -> Variant | None:
    if (d := r.obj(raw, _VARIANT_KEYS, where)) is None:
        return None
    lang, title, body = r.text(d, "lang", where), r.text(d, "title", where), r.text(d, "body", where, True)
    platform_name = d.get("platform")
    platform = None
    if platform_name is not None and not isinstance(platform_name, str):
        r.out.error(where, "'platform' must be a string or null")
        return None
    try:
        platform = parse_platform(platform_name or "")
    except ValueError as exc:
        r.out.error(where, str(exc))
        return None
    if lang is None or title is None or body is None:
        return None
    return Variant(normalize_newlines(body), normalize_lang(lang), platform, title.strip())
