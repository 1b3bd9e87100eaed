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
"""

from cmdesk.core.templates.context import RenderContext, TemplateSettings, context_for, first_name, format_date
from cmdesk.core.templates.engine import (
    BUILTIN_VARIABLES,
    Piece,
    PieceState,
    ProblemKind,
    Rendered,
    TemplateProblem,
    check,
    parse,
    variables_in,
)
from cmdesk.core.templates.fuzzy import Match, PickerIndex, rank
from cmdesk.core.templates.io import Format, ImportProblem, ImportResult, detect_format, dump_pack, load_pack
from cmdesk.core.templates.length import LengthCheck, LengthReport, Unit, limit_for, measure
from cmdesk.core.templates.model import (
    Category,
    CustomField,
    Pack,
    Template,
    UsageStats,
    Variant,
    charte_for,
    merge_fields,
    normalize_lang,
    normalize_shortcode,
    parse_platform,
    shortcode_key,
)
from cmdesk.core.templates.reply import (
    CommandOutput,
    Reply,
    find_template,
    import_summary,
    parse_assignments,
    prepare_reply,
    render_command,
)
from cmdesk.core.templates.starter import load_starter_pack
from cmdesk.core.templates.validate import FieldProblem, field_problems, shortcode_clash, template_problems
from cmdesk.core.templates.variants import VariantChoice, choose_variant

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
