"""The response-template library as operations, shared by the GUI and ``cmdesk templates``.

``TemplateLibrary`` joins the store's ``TemplateRepository`` to the profile's settings (the
brand, the agent's name and the custom fields, kept under the ``custom_fields`` key) and
applies the core's rules: the editor refuses unknown variables, an import is checked in
full and then written in one transaction with its custom fields, and the starter pack is
installed into an empty library. Each write returns a ``TemplateChanges`` value that says
what a screen must redraw (the templates' twin of ``cmdesk.core.models.Changes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from cmdesk.core.models import Account, Item
from cmdesk.core.templates import (
    Category,
    CustomField,
    FieldProblem,
    Format,
    ImportResult,
    Pack,
    RenderContext,
    Template,
    TemplateSettings,
    UsageStats,
    context_for,
    dump_pack,
    field_problems,
    load_pack,
    load_starter_pack,
    merge_fields,
    shortcode_key,
    template_problems,
)
from cmdesk.core.templates.engine import BUILTIN_VARIABLES
from cmdesk.core.templates.model import variable_name_problem
from cmdesk.store.errors import InvalidInput, NotFoundError
from cmdesk.store.templates import Applied, Deleted, TemplateRepository

FIELDS_KEY = "custom_fields"
# An HTML tag, **bold**, [a link](url) or a "# heading": platforms show these as typed.
_MARKUP = re.compile(r"</?[a-zA-Z][^>\n]*>|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)|^#{1,6} ", re.M)

_HOLE = re.compile(r"\{([^{}|\n]+)(?:\|([^{}\n]*))?\}")

# Values for the starter pack's custom fields in the demo workspace (invented, .example domains).
DEMO_FIELD_VALUES = {
    "shop.website": "www.maison-brioche.example",
    "support.email": "bonjour@maison-brioche.example",
    "shop.hours": "du mardi au samedi, de 7 h à 19 h",
    "shop.hours_en": "Tuesday to Saturday, 7am to 7pm",
}


@dataclass(frozen=True, slots=True)
class TemplateChanges:
    """What a library operation changed, so each screen redraws only that.

    ``current`` is the template to show afterwards (the one created, edited or restored).
    """

    templates: frozenset[int] = frozenset()
    order: bool = False  # templates appeared, disappeared or moved
    categories: bool = False
    fields: bool = False
    usage: bool = False
    current: int | None = None

    def __or__(self, other: TemplateChanges) -> TemplateChanges:
        return TemplateChanges(
            self.templates | other.templates,
            self.order or other.order,
            self.categories or other.categories,
            self.fields or other.fields,
            self.usage or other.usage,
            other.current if other.current is not None else self.current,
        )

    def __bool__(self) -> bool:
        return bool(self.templates or self.order or self.categories or self.fields or self.usage)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """A checked import file and, when it was applied, what it wrote."""

    result: ImportResult
    changes: TemplateChanges = field(default_factory=TemplateChanges)
    applied: Applied | None = None

    @property
    def ok(self) -> bool:
        return self.result.pack is not None


def read_fields(raw: object) -> tuple[CustomField, ...]:
    """Custom fields from the settings value: ``{name: value}`` or ``{name: {"value", "label"}}``."""
    if not isinstance(raw, Mapping):
        return ()
    fields = []
    for name, entry in raw.items():
        if isinstance(entry, Mapping):
            fields.append(CustomField(str(name), str(entry.get("value", "")), str(entry.get("label", ""))))
        else:
            fields.append(CustomField(str(name), "" if entry is None else str(entry)))
    return tuple(fields)


def fields_setting(fields: Iterable[CustomField]) -> dict:
    """The settings value for ``fields`` (labels kept, so the fill-in form can use them)."""
    return {f.name: {"value": f.value, "label": f.label} for f in fields}


def markup_hint(body: str) -> bool:
    """Whether a body looks like HTML or markdown, which platforms will show as typed."""
    return bool(_MARKUP.search(body))


@dataclass(frozen=True, slots=True)
class Hole:
    """A ``{variable}`` left in a draft: ``start``/``end`` are offsets in the draft text."""

    name: str
    default: str | None
    start: int
    end: int


def draft_holes(text: str) -> list[Hole]:
    """Placeholders still written in a reply draft (from a template, or pasted by hand).

    The draft is plain text, so only well-formed ``{name}`` / ``{name|default}`` count: a
    smiley ``:-{`` or a lone ``}`` is text. A reply is never sent while one of these remains.
    """
    holes = []
    for match in _HOLE.finditer(text):
        name = match.group(1).strip()
        if not variable_name_problem(name):
            default = match.group(2)
            holes.append(Hole(name, None if default is None else default.strip(), match.start(), match.end()))
    return holes


def fill_holes(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every hole named in ``values`` replaced by its value (inserted verbatim)."""
    pieces, position = [], 0
    for hole in draft_holes(text):
        value = values.get(hole.name, "")
        if value.strip():
            pieces += [text[position : hole.start], value]
            position = hole.end
    return "".join(pieces) + text[position:]


class TemplateLibrary:
    """The library of one workspace: reads on the caller's thread, writes in one transaction each."""

    def __init__(self, store, settings):
        self.store = store
        self.settings = settings
        self.repo = TemplateRepository(store)

    # -- reading

    def templates(self) -> list[Template]:
        return self.repo.templates()

    def template(self, template_id: int) -> Template:
        return self.repo.template(template_id)

    def categories(self) -> list[Category]:
        return self.repo.categories()

    def category_names(self) -> list[str]:
        return self.repo.category_names()

    def usage(self) -> dict[int, UsageStats]:
        return self.repo.usage()

    def fields(self) -> tuple[CustomField, ...]:
        return read_fields(self.settings.get(FIELDS_KEY))

    def known_variables(self) -> frozenset[str]:
        return frozenset(BUILTIN_VARIABLES) | {f.name for f in self.fields()}

    def template_settings(self) -> TemplateSettings:
        return TemplateSettings(self.settings.get("brand"), self.settings.agent(), self.fields())

    def context(self, item: Item | None, account: Account | None, now: datetime | None = None) -> RenderContext:
        """Values for answering ``item``; ``{date}`` is today in the user's own time zone."""
        return context_for(item, account, self.template_settings(), now or datetime.now().astimezone())

    def problems(self, candidate: Template, others: Iterable[Template] | None = None) -> list[FieldProblem]:
        """What the editor shows: malformed parts, duplicate shortcodes and unknown variables.

        ``others`` is the library as the caller already has it (read from the store if None).
        """
        problems = template_problems(candidate, self.known_variables())
        for other in self.repo.templates() if others is None else others:
            if other.id != candidate.id and _same_shortcode(other.shortcode, candidate.shortcode):
                problems.insert(0, FieldProblem("shortcode", f"/{other.shortcode} is already used by “{other.title}”"))
        return problems

    def export(self, format: Format | str, delimiter: str = ",") -> bytes:
        pack = self.repo.pack()
        return dump_pack(Pack(pack.templates, pack.categories, self.fields()), format, delimiter)

    # -- editing

    def create(self, new: Template) -> TemplateChanges:
        self._refuse_problems(new)
        stored = self.repo.create(new.with_(id=None))
        return TemplateChanges(frozenset({stored.id}), order=True, categories=True, current=stored.id)

    def update(self, changed: Template) -> TemplateChanges:
        self._refuse_problems(changed)
        stored = self.repo.update(changed)
        return TemplateChanges(frozenset({stored.id}), categories=True, current=stored.id)

    def restore_version(self, previous: Template) -> TemplateChanges:
        """Undo an edit: put back ``previous`` as it was (no variable check: it was stored before)."""
        stored = self.repo.update(previous)
        return TemplateChanges(frozenset({stored.id}), categories=True, current=stored.id)

    def duplicate(self, template_id: int, title: str | None = None) -> TemplateChanges:
        copy = self.repo.duplicate(template_id, title)
        return TemplateChanges(frozenset({copy.id}), order=True, current=copy.id)

    def delete(self, template_id: int) -> tuple[TemplateChanges, Deleted]:
        snapshot = self.repo.delete(template_id)
        return TemplateChanges(frozenset({template_id}), order=True, categories=True, usage=True), snapshot

    def restore(self, snapshot: Deleted) -> TemplateChanges:
        stored = self.repo.restore(snapshot)
        return TemplateChanges(frozenset({stored.id}), order=True, categories=True, usage=True, current=stored.id)

    def move(self, template_id: int, to_index: int) -> tuple[TemplateChanges, int]:
        old = self.repo.move(template_id, to_index)
        return TemplateChanges(frozenset({template_id}), order=True, current=template_id), old

    def set_favourite(self, template_id: int, favourite: bool) -> TemplateChanges:
        self.repo.set_favourite(template_id, favourite)
        return TemplateChanges(frozenset({template_id}), current=template_id)

    def set_charte(self, category: str, charte: str) -> TemplateChanges:
        self.repo.set_charte(category.strip(), charte.replace("\r\n", "\n").strip())
        return TemplateChanges(categories=True)

    def set_fields(self, fields: Iterable[CustomField]) -> TemplateChanges:
        fields = tuple(CustomField(f.name.strip(), f.value, f.label.strip()) for f in fields)
        problems = field_problems(fields)
        if problems:
            index, message = problems[0]
            raise InvalidInput(f"Custom field {index + 1}: {message}.")
        self.settings.set(FIELDS_KEY, fields_setting(fields))
        return TemplateChanges(fields=True)

    # -- import, starter pack, usage

    def check_import(
        self, data: bytes, filename: str = "", *, replace: bool = False, format: Format | str | None = None
    ) -> ImportResult:
        """Read and check a file against this library (clashes, custom fields) without writing."""
        return load_pack(
            data,
            format,
            filename=filename,
            existing_shortcodes=self.repo.shortcodes(),
            known_variables=[f.name for f in self.fields()],
            replace=replace,
        )

    def import_file(
        self, data: bytes, filename: str = "", *, replace: bool = False, format: Format | str | None = None
    ) -> ImportOutcome:
        """Check a whole file, then apply it in one transaction, or apply nothing at all."""
        result = self.check_import(data, filename, replace=replace, format=format)
        if result.pack is None:
            return ImportOutcome(result)
        applied = self._apply(result.pack, replace=replace)
        changes = TemplateChanges(
            frozenset(applied.created + applied.replaced),
            order=bool(applied.created),
            categories=True,
            fields=bool(result.pack.fields),
        )
        return ImportOutcome(result, changes, applied)

    def install_starter(self, pack: Pack | None = None) -> bool:
        """On first use (no templates, no categories) write the starter pack; False if not empty."""
        if not self.repo.is_empty():
            return False  # the common case, without taking the write lock
        pack = pack or load_starter_pack()
        with self.store.write() as conn:
            if not self.repo.is_empty(conn):
                return False
            self.repo.apply_pack(conn, pack)
            self._merge_fields(pack.fields)
        return True

    def prepare_demo(self, brand: str) -> bool:
        """Give the demo profile its brand and the starter pack's field values (once)."""
        if self.settings.get("brand"):
            return False
        self.settings.set("brand", brand)
        fields = merge_fields(self.fields(), load_starter_pack().fields)
        filled = tuple(CustomField(f.name, f.value or DEMO_FIELD_VALUES.get(f.name, ""), f.label) for f in fields)
        self.settings.set(FIELDS_KEY, fields_setting(filled))
        return True

    def record_use(self, template_ids: Iterable[int], item_id: int | None, used_at: datetime | None = None) -> int:
        """Count a sent reply for the templates it was built from (with how long the item waited)."""
        created = None
        if item_id is not None:
            try:
                created = self.store.item(item_id).created_at
            except NotFoundError:
                item_id = None
        used_at = used_at or datetime.now().astimezone()
        return self.repo.record_use(template_ids, item_id, used_at, created)

    # -- internals

    def _refuse_problems(self, candidate: Template) -> None:
        problems = self.problems(candidate)
        if problems:
            message = problems[0].message
            raise InvalidInput(message[:1].upper() + message[1:] + ".")

    def _apply(self, pack: Pack, *, replace: bool) -> Applied:
        with self.store.write() as conn:
            applied = self.repo.apply_pack(conn, pack, replace=replace)
            # Settings are written last, inside the transaction: if that fails the import rolls back.
            self._merge_fields(pack.fields)
        return applied

    def _merge_fields(self, incoming: tuple[CustomField, ...]) -> None:
        current = self.fields()
        merged = merge_fields(current, incoming)
        if merged != current:
            self.settings.set(FIELDS_KEY, fields_setting(merged))


def _same_shortcode(a: str, b: str) -> bool:
    return shortcode_key(a) == shortcode_key(b)
