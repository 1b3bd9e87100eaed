"""Where template variables get their values: the item being answered, the account, settings.

``context_for`` turns core objects into a ``RenderContext``; the composer then calls
``context.render(body, lang)`` and, when values are missing, ``context.with_values(filled)``
with what the user typed in the fill-in form, and renders again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import regex

from cmdesk.core.models import Account, Item
from cmdesk.core.templates.engine import BUILTIN_VARIABLES, Rendered, render
from cmdesk.core.templates.model import CustomField, normalize_lang
from cmdesk.core.text import clean_name, clean_text, excerpt, fold

EXCERPT_CHARS = 100

_MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
_DATE_FORMATS = {
    "fr": "{d} {m} {y}",
    "en": "{m} {d}, {y}",
    "es": "{d} de {m} de {y}",
    "de": "{d}. {m} {y}",
    "it": "{d} {m} {y}",
    "pt": "{d} de {m} de {y}",
    "nl": "{d} {m} {y}",
}

# A first name is made of letters (and combining marks), possibly joined by "-" or an apostrophe.
_NAME_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*")
_DECORATION = regex.compile(r"[\p{S}\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f\u20e3]")
_EDGE_PUNCT = "\"'’“”«»‹›()[]{}<>,;:!?.*_~|/\\"
# Courtesy titles: the word after one is a surname, so there is no first name to use.
_HONORIFICS = frozenset(
    ["m", "mme", "mlle", "mr", "mrs", "ms", "miss", "dr", "pr", "me", "sr", "sra", "srta", "herr", "frau"]
)


def format_date(day: date, lang: str) -> str:
    """ "24 novembre 2026" / "November 24, 2026", independent of the OS locale; ISO otherwise."""
    primary = normalize_lang(lang).split("-")[0]
    if primary not in _MONTHS:
        return day.isoformat()
    month = _MONTHS[primary].split()[day.month - 1]
    number = "1er" if primary == "fr" and day.day == 1 else str(day.day)  # French writes "1er"
    return _DATE_FORMATS[primary].format(d=number, m=month, y=day.year)


def first_name(display_name: str) -> str:
    """A first name to greet someone by, or "" when none can be told from the display name.

    "Marie-Claire Dupont 🌸" -> "Marie-Claire"; "🌸 JEAN dupont" -> "Jean"; "ana_b92",
    "@ana", "M. Dupont" or "J. Martin" -> "" (a handle, or a surname after a title or initial).
    """
    for raw in clean_name(display_name).split():
        if raw.startswith("@") or "://" in raw:
            continue
        token = _DECORATION.sub("", raw).strip(_EDGE_PUNCT)
        if not token:
            continue
        if fold(token).rstrip(".") in _HONORIFICS or (len(token) == 1 and token.isalpha()):
            return ""  # "M. Dupont", "J. R. Tolkien": what follows is a surname
        if not _NAME_WORD.fullmatch(token):
            continue  # digits or "_" (a username), a URL…
        if token.isupper() or token.islower():
            token = _NAME_WORD.sub(lambda m: _capitalize_parts(m.group(0)), token)
        return token
    return ""


def _capitalize_parts(word: str) -> str:
    return regex.sub(r"[\p{L}\p{M}]+", lambda m: m.group(0).capitalize(), word)


def format_handle(handle: str) -> str:
    handle = clean_name(handle)
    if handle and not handle.startswith("@"):
        return "@" + handle
    return handle


@dataclass(frozen=True, slots=True)
class TemplateSettings:
    """The settings templates read: the brand, the agent's name and declared custom fields."""

    brand: str = ""
    agent_name: str = ""
    fields: tuple[CustomField, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping) -> TemplateSettings:
        """From the settings store: ``{"brand", "agent_name", "fields": [{"name","value","label"}]}``.

        ``fields`` may also be a plain ``{name: value}`` mapping.
        """
        raw = data.get("fields") or ()
        if isinstance(raw, Mapping):
            fields = tuple(CustomField(str(k), str(v)) for k, v in raw.items())
        else:
            fields = tuple(CustomField(str(f["name"]), str(f.get("value", "")), str(f.get("label", ""))) for f in raw)
        return cls(str(data.get("brand", "")), str(data.get("agent_name", "")), fields)

    def to_mapping(self) -> dict:
        return {
            "brand": self.brand,
            "agent_name": self.agent_name,
            "fields": [{"name": f.name, "value": f.value, "label": f.label} for f in self.fields],
        }


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Values for the variables of one reply. ``today`` gives ``{date}`` in the variant's language."""

    values: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[CustomField, ...] = ()
    today: date | None = None

    @property
    def known(self) -> frozenset[str]:
        """Every name a template may use: built-ins plus declared custom fields."""
        return frozenset(BUILTIN_VARIABLES) | {f.name for f in self.fields}

    def value(self, name: str, lang: str = "") -> str | None:
        if name in self.values:
            return self.values[name]
        if name == "date" and self.today is not None:
            return format_date(self.today, lang)
        return None

    def label(self, name: str) -> str:
        """What the fill-in form calls a variable: a custom field's label, else its name."""
        for f in self.fields:
            if f.name == name and f.label:
                return f.label
        return name

    def with_values(self, extra: Mapping[str, str]) -> RenderContext:
        """This context plus values the user typed (they win over computed ones)."""
        return replace(self, values={**self.values, **extra})

    def render(self, source: str, lang: str = "") -> Rendered:
        return render(source, self.known, lambda name: self.value(name, lang))


def context_for(
    item: Item | None,
    account: Account | None,
    settings: TemplateSettings,
    now: datetime | date | None,
) -> RenderContext:
    """The context for answering ``item`` from ``account``; ``now`` in the user's local time.

    Any of ``item``/``account`` may be None (the CLI renders without an item): their
    variables are then missing, and the caller supplies them with ``with_values``.
    """
    values: dict[str, str] = {f.name: f.value for f in settings.fields if f.value.strip()}
    values["brand"] = settings.brand
    values["agent.name"] = settings.agent_name
    if account is not None:
        values["account.name"] = clean_name(account.name)
        values["platform"] = account.platform.label
    if item is not None:
        author = item.author
        values["author.name"] = clean_name(author.display_name) or format_handle(author.handle)
        values["author.first_name"] = first_name(author.display_name)
        values["author.handle"] = format_handle(author.handle)
        values["item.excerpt"] = excerpt(clean_text(item.text), EXCERPT_CHARS)
    # Blank values are dropped so that they count as missing, not as an empty answer.
    values = {k: v for k, v in values.items() if v.strip()}
    today = now.date() if isinstance(now, datetime) else now
    return RenderContext(values, tuple(settings.fields), today)
