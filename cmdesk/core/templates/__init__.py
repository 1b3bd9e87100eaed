"""Response templates: model, ``{variable}`` engine, variant choice, length rules, picker, packs.

Plain Python (no Qt, no SQL, no HTTP). The store keeps ``Template`` values in tables, the
GUI edits them and calls ``prepare_reply`` / ``PickerIndex``, the CLI calls ``load_pack``,
``dump_pack`` and ``render_command``. Modules:

* ``model``    — Template, Variant, Category, CustomField, Pack, UsageStats, normalisers
* ``engine``   — parse / check / render, with syntax, unknown and missing problems apart
* ``context``  — RenderContext, TemplateSettings, ``context_for(item, account, settings, now)``
* ``variants`` — ``choose_variant`` and its fallback order
* ``length``   — ``measure(text, platform)`` as each platform counts
* ``fuzzy``    — ``PickerIndex`` for the "/" picker
* ``validate`` — ``template_problems`` for the editor and the importer
* ``io``       — ``load_pack`` / ``dump_pack`` (JSON, CSV)
* ``reply``    — ``prepare_reply`` (composer) and ``render_command`` / ``import_summary`` (CLI)
* ``starter``  — ``load_starter_pack``

Names are imported on first use (PEP 562), so that ``length`` alone (the composer's counter)
does not load the whole engine at start-up.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "BUILTIN_VARIABLES": ("cmdesk.core.templates.engine", "BUILTIN_VARIABLES"),
    "Category": ("cmdesk.core.templates.model", "Category"),
    "CommandOutput": ("cmdesk.core.templates.reply", "CommandOutput"),
    "CustomField": ("cmdesk.core.templates.model", "CustomField"),
    "FieldProblem": ("cmdesk.core.templates.validate", "FieldProblem"),
    "Format": ("cmdesk.core.templates.io", "Format"),
    "ImportProblem": ("cmdesk.core.templates.io", "ImportProblem"),
    "ImportResult": ("cmdesk.core.templates.io", "ImportResult"),
    "LengthCheck": ("cmdesk.core.templates.length", "LengthCheck"),
    "LengthReport": ("cmdesk.core.templates.length", "LengthReport"),
    "Match": ("cmdesk.core.templates.fuzzy", "Match"),
    "Pack": ("cmdesk.core.templates.model", "Pack"),
    "PickerIndex": ("cmdesk.core.templates.fuzzy", "PickerIndex"),
    "Piece": ("cmdesk.core.templates.engine", "Piece"),
    "PieceState": ("cmdesk.core.templates.engine", "PieceState"),
    "ProblemKind": ("cmdesk.core.templates.engine", "ProblemKind"),
    "RenderContext": ("cmdesk.core.templates.context", "RenderContext"),
    "Rendered": ("cmdesk.core.templates.engine", "Rendered"),
    "Reply": ("cmdesk.core.templates.reply", "Reply"),
    "Template": ("cmdesk.core.templates.model", "Template"),
    "TemplateProblem": ("cmdesk.core.templates.engine", "TemplateProblem"),
    "TemplateSettings": ("cmdesk.core.templates.context", "TemplateSettings"),
    "Unit": ("cmdesk.core.templates.length", "Unit"),
    "UsageStats": ("cmdesk.core.templates.model", "UsageStats"),
    "Variant": ("cmdesk.core.templates.model", "Variant"),
    "VariantChoice": ("cmdesk.core.templates.variants", "VariantChoice"),
    "charte_for": ("cmdesk.core.templates.model", "charte_for"),
    "check": ("cmdesk.core.templates.engine", "check"),
    "choose_variant": ("cmdesk.core.templates.variants", "choose_variant"),
    "context_for": ("cmdesk.core.templates.context", "context_for"),
    "detect_format": ("cmdesk.core.templates.io", "detect_format"),
    "dump_pack": ("cmdesk.core.templates.io", "dump_pack"),
    "field_problems": ("cmdesk.core.templates.validate", "field_problems"),
    "find_template": ("cmdesk.core.templates.reply", "find_template"),
    "first_name": ("cmdesk.core.templates.context", "first_name"),
    "format_date": ("cmdesk.core.templates.context", "format_date"),
    "import_summary": ("cmdesk.core.templates.reply", "import_summary"),
    "limit_for": ("cmdesk.core.templates.length", "limit_for"),
    "load_pack": ("cmdesk.core.templates.io", "load_pack"),
    "load_starter_pack": ("cmdesk.core.templates.starter", "load_starter_pack"),
    "measure": ("cmdesk.core.templates.length", "measure"),
    "merge_fields": ("cmdesk.core.templates.model", "merge_fields"),
    "normalize_lang": ("cmdesk.core.templates.model", "normalize_lang"),
    "normalize_shortcode": ("cmdesk.core.templates.model", "normalize_shortcode"),
    "parse": ("cmdesk.core.templates.engine", "parse"),
    "parse_assignments": ("cmdesk.core.templates.reply", "parse_assignments"),
    "parse_platform": ("cmdesk.core.templates.model", "parse_platform"),
    "prepare_reply": ("cmdesk.core.templates.reply", "prepare_reply"),
    "rank": ("cmdesk.core.templates.fuzzy", "rank"),
    "render_command": ("cmdesk.core.templates.reply", "render_command"),
    "shortcode_clash": ("cmdesk.core.templates.validate", "shortcode_clash"),
    "shortcode_key": ("cmdesk.core.templates.model", "shortcode_key"),
    "template_problems": ("cmdesk.core.templates.validate", "template_problems"),
    "variables_in": ("cmdesk.core.templates.engine", "variables_in"),
}

__all__ = [
    "BUILTIN_VARIABLES",
    "Category",
    "CommandOutput",
    "CustomField",
    "FieldProblem",
    "Format",
    "ImportProblem",
    "ImportResult",
    "LengthCheck",
    "LengthReport",
    "Match",
    "Pack",
    "PickerIndex",
    "Piece",
    "PieceState",
    "ProblemKind",
    "RenderContext",
    "Rendered",
    "Reply",
    "Template",
    "TemplateProblem",
    "TemplateSettings",
    "Unit",
    "UsageStats",
    "Variant",
    "VariantChoice",
    "charte_for",
    "check",
    "choose_variant",
    "context_for",
    "detect_format",
    "dump_pack",
    "field_problems",
    "find_template",
    "first_name",
    "format_date",
    "import_summary",
    "limit_for",
    "load_pack",
    "load_starter_pack",
    "measure",
    "merge_fields",
    "normalize_lang",
    "normalize_shortcode",
    "parse",
    "parse_assignments",
    "parse_platform",
    "prepare_reply",
    "rank",
    "render_command",
    "shortcode_clash",
    "shortcode_key",
    "template_problems",
    "variables_in",
]


def __getattr__(name: str):
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
