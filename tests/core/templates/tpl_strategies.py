"""Hypothesis strategies for templates: valid, normalised values (what an import gives back)."""

from __future__ import annotations

from hypothesis import strategies as st

from cmdesk.core.models import Platform
from cmdesk.core.templates import BUILTIN_VARIABLES, Category, CustomField, Pack, Template, Variant
from cmdesk.core.templates.model import normalize_tags, shortcode_key

# Printable text of any script, emoji included; no control characters, no surrogates.
CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
BRACE_FREE = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="{}")

line = st.text(CHARS, max_size=30).map(str.strip)
nonempty_line = line.filter(bool)
multiline = st.text(st.one_of(CHARS, st.sampled_from("\n\t")), max_size=80)

LOWER = "abcdefghijklmnopqrstuvwxyzé"
name_part = st.builds(str.__add__, st.sampled_from(LOWER), st.text(LOWER + "0123456789_", max_size=6))
variable_name = st.one_of(st.sampled_from(BUILTIN_VARIABLES), st.lists(name_part, min_size=1, max_size=3).map(".".join))
custom_name = st.lists(name_part, min_size=1, max_size=3).map(".".join).filter(lambda n: n not in BUILTIN_VARIABLES)

# Literal text, an escaped brace, or a placeholder (with or without a default).
literal = st.text(st.one_of(BRACE_FREE, st.just("\n")), min_size=1, max_size=12)
placeholder = st.tuples(variable_name, st.none() | st.text(BRACE_FREE.filter(lambda c: c != "\n"), max_size=8))


@st.composite
def body(draw) -> str:
    pieces = draw(st.lists(st.one_of(literal, st.sampled_from(["{{", "}}"]), placeholder), min_size=1, max_size=6))
    out = "".join(p if isinstance(p, str) else "{" + p[0] + ("" if p[1] is None else "|" + p[1]) + "}" for p in pieces)
    return out if out.strip() else out + "x"


category_part = st.text(CHARS.filter(lambda c: c != "/"), min_size=1, max_size=10).map(str.strip).filter(bool)
category = st.one_of(st.just(""), st.lists(category_part, min_size=1, max_size=2).map("/".join))
tags = st.lists(st.text(CHARS.filter(lambda c: c != ","), min_size=1, max_size=10), max_size=4).map(normalize_tags)
shortcode = st.builds(str.__add__, st.sampled_from(LOWER + "0123456789"), st.text(LOWER + "0123456789_.-", max_size=12))
variant_key = st.tuples(st.sampled_from(["", "fr", "en", "pt-br"]), st.sampled_from([None, *Platform]))


@st.composite
def template(draw, code: str | None = None) -> Template:
    keys = draw(st.lists(variant_key, min_size=1, max_size=3, unique=True))
    variants = tuple(Variant(draw(body()), lang, platform, draw(line)) for lang, platform in keys)
    return Template(
        shortcode=code or draw(shortcode),
        title=draw(nonempty_line),
        variants=variants,
        category=draw(category),
        tags=draw(tags),
        favourite=draw(st.booleans()),
    )


@st.composite
def pack(draw) -> Pack:
    codes = draw(st.lists(shortcode, max_size=4, unique_by=shortcode_key))
    templates = tuple(draw(template(code)) for code in codes)
    names = draw(st.lists(category.filter(bool), max_size=3, unique=True))
    categories = tuple(Category(n, draw(multiline)) for n in names)
    field_names = draw(st.lists(custom_name, max_size=3, unique=True))
    fields = tuple(CustomField(n, draw(multiline), draw(line)) for n in field_names)
    return Pack(templates, categories, fields)
