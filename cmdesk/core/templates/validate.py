"""Checks shared by the library editor and the importer: is this template (or field) acceptable?

Problems are returned, never raised, with enough location for the caller to point at the
variant (``variant`` index) and the line/column inside its body (in the message).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cmdesk.core.templates.engine import BUILTIN_VARIABLES, ProblemKind, TemplateProblem, check, parse
from cmdesk.core.templates.model import (
    MAX_BODY_CHARS,
    MAX_TAG_CHARS,
    MAX_TITLE_CHARS,
    CustomField,
    Template,
    Variant,
    body_control_problem,
    lang_problem,
    shortcode_key,
    shortcode_problem,
    variable_name_problem,
)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem with one part of a template; ``variant`` is an index into ``variants``."""

    field: str  # "shortcode", "title", "category", "tags", "variants", "lang", "body"…
    message: str
    variant: int | None = None
    unknown_variable: bool = False  # an undeclared variable: an error in the editor, a warning on import


def variant_label(v: Variant) -> str:
    """ "fr / bluesky", "en / any platform", "any language / any platform"."""
    return f"{v.lang or 'any language'} / {v.platform.value if v.platform else 'any platform'}"


def category_problem(category: str) -> str:
    if category and any(not part.strip() or part != part.strip() for part in category.split("/")):
        return f"the category '{category}' has an empty or padded folder name (use 'Folder/Sub-folder')"
    return ""


def _line_problem(field: str, text: str, limit: int, required: bool) -> str:
    if required and not text.strip():
        return f"the {field} is empty"
    if "\n" in text or "\r" in text:
        return f"the {field} must fit on one line"
    if len(text) > limit:
        return f"the {field} is longer than {limit} characters"
    return body_control_problem(text) and f"the {field} {body_control_problem(text)}"


def template_problems(template: Template, known: Iterable[str] | None = None) -> list[FieldProblem]:
    """Everything wrong with ``template``; with ``known`` names, undeclared variables too."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str, variant: int | None = None, unknown: bool = False) -> None:
        if message:
            problems.append(FieldProblem(field, message, variant, unknown))

    add("shortcode", shortcode_problem(template.shortcode))
    add("title", _line_problem("title", template.title, MAX_TITLE_CHARS, required=True))
    add("category", category_problem(template.category))
    for tag in template.tags:
        if "," in tag:
            add("tags", f"the tag '{tag}' contains a comma (commas separate tags)")
        add("tags", _line_problem("tag", tag, MAX_TAG_CHARS, required=True))
    if not template.variants:
        add("variants", "the template has no text")
    seen: dict[tuple, int] = {}
    known_set = None if known is None else set(known)
    for index, variant in enumerate(template.variants):
        add("lang", lang_problem(variant.lang), index)
        add("title", _line_problem("variant title", variant.title, MAX_TITLE_CHARS, required=False), index)
        if variant.key in seen:
            add(
                "variants",
                f"a second text for {variant_label(variant)} (variant {seen[variant.key] + 1} already is)",
                index,
            )
        seen.setdefault(variant.key, index)
        add("body", _body_problem(variant.body), index)
        for problem in parse(variant.body).errors:
            add("body", _in_text(problem), index)
        if known_set is not None:
            for problem in check(variant.body, known_set):
                if problem.kind is ProblemKind.UNKNOWN:
                    add("body", _in_text(problem), index, unknown=True)
    return problems


def _in_text(problem: TemplateProblem) -> str:
    return f"{problem.message} (text line {problem.line}, column {problem.column})"


def _body_problem(body: str) -> str:
    if not body.strip():
        return "the text is empty"
    if len(body) > MAX_BODY_CHARS:
        return f"the text is longer than {MAX_BODY_CHARS} characters"
    if "\r" in body:
        return "the text holds carriage returns (use plain newlines)"
    problem = body_control_problem(body)
    return problem and f"the text {problem}"


def field_problems(fields: Iterable[CustomField]) -> list[tuple[int, str]]:
    """``(index, message)`` for each bad custom-field declaration (settings dialog, importer)."""
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, f in enumerate(fields):
        if problem := variable_name_problem(f.name):
            problems.append((index, problem))
        elif f.name in BUILTIN_VARIABLES:
            problems.append((index, f"{{{f.name}}} is a built-in variable and cannot be redefined"))
        elif f.name in seen:
            problems.append((index, f"the custom field {{{f.name}}} is declared twice"))
        elif problem := _line_problem("label", f.label, MAX_TITLE_CHARS, required=False):
            problems.append((index, problem))
        elif problem := body_control_problem(f.value):
            problems.append((index, f"the value {problem}"))
        seen.add(f.name)
    return problems


def shortcode_clash(shortcode: str, taken: Iterable[str]) -> str:
    """The existing shortcode that ``shortcode`` would duplicate ("/délai" vs "/delai"), or ""."""
    key = shortcode_key(shortcode)
    return next((other for other in taken if shortcode_key(other) == key), "")
