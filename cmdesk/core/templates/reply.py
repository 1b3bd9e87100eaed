"""One call from a template to a sendable reply: pick the variant, render it, measure it.

The composer calls ``prepare_reply`` on Enter in the picker and again after the fill-in form;
the CLI's ``templates render`` goes through ``render_command``. A reply may be sent only when
``Reply.ok``: no syntax error, no unknown variable, no missing value, not over the limit.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from cmdesk.core.models import Platform
from cmdesk.core.templates.context import RenderContext, TemplateSettings, context_for
from cmdesk.core.templates.engine import Rendered
from cmdesk.core.templates.io import ImportResult
from cmdesk.core.templates.length import LengthReport, measure
from cmdesk.core.templates.model import Template, normalize_shortcode, parse_platform, shortcode_key
from cmdesk.core.templates.validate import variant_label
from cmdesk.core.templates.variants import VariantChoice, choose_variant

EXIT_OK = 0
EXIT_INVALID = 1  # the template, its values or its length do not allow a reply
EXIT_USAGE = 2  # bad arguments: no such shortcode, malformed --var, unknown platform


@dataclass(frozen=True, slots=True)
class Reply:
    choice: VariantChoice
    rendered: Rendered
    length: LengthReport | None  # None when the platform is unknown (nothing to measure against)

    @property
    def ok(self) -> bool:
        return self.rendered.ok and not (self.length is not None and self.length.over)

    @property
    def text(self) -> str:
        return self.rendered.text


def prepare_reply(
    template: Template,
    context: RenderContext,
    lang: str = "",
    platform: Platform | None = None,
    limit: int | None = None,
) -> Reply:
    """Choose the variant for (lang, platform), render it in its own language, measure it.

    ``limit`` is the account's own limit (``length.limit_for``); the preview is measured
    even when values are missing, so the counter moves while the user fills the form.
    """
    choice = choose_variant(template, lang, platform)
    rendered = context.render(choice.variant.body, choice.variant.lang or lang)
    text = rendered.text if rendered.ok else rendered.preview
    return Reply(choice, rendered, measure(text, platform, limit) if platform is not None else None)


def find_template(templates: Iterable[Template], shortcode: str) -> Template | None:
    key = shortcode_key(shortcode)
    return next((t for t in templates if shortcode_key(t.shortcode) == key), None)


def parse_assignments(pairs: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """``["author.first_name=Ana"]`` -> values, and a message per malformed pair."""
    values: dict[str, str] = {}
    errors: list[str] = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            errors.append(f"--var {pair!r}: expected NAME=VALUE, e.g. author.first_name=Ana")
        else:
            values[name.strip()] = value
    return values, errors


@dataclass(frozen=True, slots=True)
class CommandOutput:
    """What a CLI command prints: ``text`` on stdout, ``errors`` on stderr, and its exit code."""

    text: str = ""
    errors: tuple[str, ...] = ()
    exit_code: int = EXIT_OK
    notes: tuple[str, ...] = ()  # informational lines for stderr (warnings)


def render_command(
    templates: Iterable[Template],
    shortcode: str,
    *,
    lang: str = "",
    platform: str | Platform | None = None,
    assignments: Iterable[str] = (),
    settings: TemplateSettings | None = None,
    now: datetime | date | None = None,
    limit: int | None = None,
) -> CommandOutput:
    """``cmdesk templates render SHORTCODE --lang fr --platform bluesky --var author.first_name=Ana``."""
    templates = list(templates)
    template = find_template(templates, shortcode)
    if template is None:
        names = [t.shortcode for t in templates]
        close = difflib.get_close_matches(normalize_shortcode(shortcode), names, n=1)
        hint = f" (did you mean /{close[0]}?)" if close else ""
        return CommandOutput(errors=(f"no template /{normalize_shortcode(shortcode)}{hint}",), exit_code=EXIT_USAGE)
    try:
        target = platform if isinstance(platform, Platform) or platform is None else parse_platform(platform)
    except ValueError as exc:
        return CommandOutput(errors=(str(exc),), exit_code=EXIT_USAGE)
    values, errors = parse_assignments(assignments)
    context = context_for(None, None, settings or TemplateSettings(), now)
    errors += [f"--var {name}: unknown variable" for name in values if name not in context.known]
    if errors:
        return CommandOutput(errors=tuple(errors), exit_code=EXIT_USAGE)
    if target is not None:
        values = {"platform": target.label, **values}
    reply = prepare_reply(template, context.with_values(values), lang, target, limit)
    if reply.ok:
        return CommandOutput(text=reply.text)
    where = f"/{template.shortcode} ({variant_label(reply.choice.variant)})"
    lines = [f"{where}: {problem}" for problem in reply.rendered.errors]
    lines += [f"{where}: no value for {{{name}}}: pass --var {name}=…" for name in reply.rendered.missing]
    if reply.rendered.ok and reply.length is not None:
        lines.append(f"{where}: {reply.length.describe()}")
    return CommandOutput(errors=tuple(lines), exit_code=EXIT_INVALID)


def import_summary(result: ImportResult) -> CommandOutput:
    """What ``cmdesk templates import FILE`` prints once ``io.load_pack`` has checked the file."""
    notes = tuple(f"warning: {w}" for w in result.warnings)
    if result.pack is None:
        return CommandOutput(errors=tuple(str(e) for e in result.errors), exit_code=EXIT_INVALID, notes=notes)
    pack = result.pack
    text = f"{len(pack.templates)} templates, {len(pack.categories)} categories, {len(pack.fields)} custom fields" + (
        f"; replacing {', '.join('/' + s for s in result.replaces)}" if result.replaces else ""
    )
    return CommandOutput(text=text, notes=notes)
