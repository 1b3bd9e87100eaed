"""The template library in SQLite: templates with their variants, category chartes, and uses.

``TemplateRepository`` maps ``cmdesk.core.templates`` values to the tables of revision 0003
(``template``, ``template_variant``, ``template_category``, ``template_use``). Methods that
a bigger operation composes (an import, a restore) take the open ``Connection``; the others
open their own transaction. Positions are the library's manual order: 0, 1, 2… with no gaps
after a reorder, and new templates go last. A template's ``id`` survives edits and imports
with replace, so its usage statistics follow it; a deleted template can be restored with
its id, position and uses (``Deleted`` is the undo snapshot).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, case, delete, func, insert, select, update

from cmdesk.core.models import from_millis, to_millis, utcnow
from cmdesk.core.templates import (
    Category,
    Pack,
    Template,
    UsageStats,
    Variant,
    shortcode_clash,
    shortcode_key,
    template_problems,
)
from cmdesk.core.templates.model import parse_platform
from cmdesk.store.errors import InvalidInput, NotFoundError
from cmdesk.store.schema import template, template_category, template_use, template_variant

COPY_SUFFIX = "-copy"


@dataclass(frozen=True, slots=True)
class Deleted:
    """Everything needed to put a deleted template back exactly as it was (undo)."""

    template: Template
    position: int
    created_at: int
    uses: tuple[tuple[int | None, int, int | None], ...]  # (item_id, used_at, item_created_at)


@dataclass(frozen=True, slots=True)
class Applied:
    """What an import changed: ids of new templates and of templates it overwrote."""

    created: tuple[int, ...] = ()
    replaced: tuple[int, ...] = ()
    categories: int = 0


class TemplateRepository:
    """The template tables of one ``Store``."""

    def __init__(self, store):
        self.store = store

    # -- reading

    def templates(self) -> list[Template]:
        """Every template in the library's order, variants included."""
        with self.store.read() as conn:
            return self._load(conn)

    def template(self, template_id: int) -> Template:
        with self.store.read() as conn:
            found = self._load(conn, [template_id])
        if not found:
            raise NotFoundError(f"Template #{template_id} does not exist (any more).")
        return found[0]

    def by_shortcode(self, shortcode: str) -> Template | None:
        with self.store.read() as conn:
            row_id = conn.execute(
                select(template.c.id).where(template.c.shortcode_key == shortcode_key(shortcode))
            ).scalar()
            return self._load(conn, [row_id])[0] if row_id is not None else None

    def shortcodes(self) -> list[str]:
        with self.store.read() as conn:
            return list(conn.execute(select(template.c.shortcode).order_by(template.c.position)).scalars())

    def count(self) -> int:
        with self.store.read() as conn:
            return conn.execute(select(func.count()).select_from(template)).scalar() or 0

    def categories(self) -> list[Category]:
        """Categories that have a row (a charte, or one declared by an import), by name."""
        with self.store.read() as conn:
            return [
                Category(r.name, r.charte)
                for r in conn.execute(select(template_category).order_by(template_category.c.name))
            ]

    def category_names(self) -> list[str]:
        """Every category in use or described, sorted: what the editor's folder list offers."""
        with self.store.read() as conn:
            used = set(conn.execute(select(template.c.category).distinct()).scalars())
            described = set(conn.execute(select(template_category.c.name)).scalars())
        return sorted((used | described) - {""}, key=str.casefold)

    def usage(self) -> dict[int, UsageStats]:
        """Times used, last use and reply time, per template id (templates never used are absent)."""
        waited = template_use.c.used_at - template_use.c.item_created_at
        timed = (template_use.c.item_created_at.is_not(None)) & (
            template_use.c.item_created_at <= template_use.c.used_at
        )
        stmt = select(
            template_use.c.template_id,
            func.count(),
            func.max(template_use.c.used_at),
            func.sum(case((timed, waited), else_=0)),
            func.sum(case((timed, 1), else_=0)),
        ).group_by(template_use.c.template_id)
        with self.store.read() as conn:
            return {
                tid: UsageStats(n, from_millis(last), (total or 0) / 1000, timed_n or 0)
                for tid, n, last, total, timed_n in conn.execute(stmt)
            }

    def pack(self) -> Pack:
        """The library as a pack (custom fields live in settings: the caller adds them)."""
        return Pack(templates=tuple(self.templates()), categories=tuple(self.categories()))

    # -- writing

    def create(self, new: Template, *, after: int | None = None) -> Template:
        """Store a new template at the end (or right after template ``after``); returns it with its id."""
        _check(new)
        with self.store.write() as conn:
            self._refuse_clash(conn, new.shortcode)
            if after is None:
                position = self._end(conn)
            else:
                position = self._position(conn, after) + 1
                conn.execute(
                    update(template).where(template.c.position >= position).values(position=template.c.position + 1)
                )
            template_id = self._insert(conn, new, position)
        return self.template(template_id)

    def update(self, changed: Template) -> Template:
        """Replace a template's fields and variants (its id, position and uses stay)."""
        if changed.id is None:
            raise InvalidInput("Only a stored template can be edited.")
        _check(changed)
        with self.store.write() as conn:
            self._position(conn, changed.id)
            self._refuse_clash(conn, changed.shortcode, except_id=changed.id)
            self._overwrite(conn, changed.id, changed)
        return self.template(changed.id)

    def duplicate(self, template_id: int, title: str | None = None) -> Template:
        """A copy right after the original, with a free shortcode ("merci-copy", "merci-copy-2"…).

        ``title`` is the copy's title (the GUI passes a translated one); default "<title> (copy)".
        """
        original = self.template(template_id)
        taken = {shortcode_key(s) for s in self.shortcodes()}
        stem = original.shortcode[: 40 - len(COPY_SUFFIX) - 3] + COPY_SUFFIX
        shortcode, n = stem, 2
        while shortcode_key(shortcode) in taken:
            shortcode, n = f"{stem}-{n}", n + 1
        copy = original.with_(
            id=None, shortcode=shortcode, title=(title or _copy_title(original.title))[:200], favourite=False
        )
        return self.create(copy, after=template_id)

    def delete(self, template_id: int) -> Deleted:
        """Delete a template with its uses; the returned snapshot restores both."""
        with self.store.write() as conn:
            row = conn.execute(select(template).where(template.c.id == template_id)).first()
            if row is None:
                raise NotFoundError(f"Template #{template_id} does not exist (any more).")
            snapshot = Deleted(
                self._load(conn, [template_id])[0],
                row.position,
                row.created_at,
                tuple(
                    (u.item_id, u.used_at, u.item_created_at)
                    for u in conn.execute(
                        select(template_use)
                        .where(template_use.c.template_id == template_id)
                        .order_by(template_use.c.id)
                    )
                ),
            )
            conn.execute(delete(template).where(template.c.id == template_id))  # variants and uses cascade
            conn.execute(
                update(template).where(template.c.position > row.position).values(position=template.c.position - 1)
            )
        return snapshot

    def restore(self, snapshot: Deleted) -> Template:
        """Undo ``delete``: same id, place and uses (unless the shortcode was taken meanwhile)."""
        t = snapshot.template
        with self.store.write() as conn:
            self._refuse_clash(conn, t.shortcode)
            taken = conn.execute(select(template.c.id).where(template.c.id == t.id)).first() is not None
            position = min(snapshot.position, self._end(conn))
            conn.execute(
                update(template).where(template.c.position >= position).values(position=template.c.position + 1)
            )
            template_id = self._insert(conn, t.with_(id=None) if taken else t, position, snapshot.created_at)
            if snapshot.uses:
                conn.execute(
                    insert(template_use),
                    [
                        {"template_id": template_id, "item_id": i, "used_at": at, "item_created_at": created}
                        for i, at, created in snapshot.uses
                    ],
                )
        return self.template(template_id)

    def move(self, template_id: int, to_index: int) -> int:
        """Put a template at ``to_index`` of the library's order; returns the index it had."""
        with self.store.write() as conn:
            ids = list(conn.execute(select(template.c.id).order_by(template.c.position, template.c.id)).scalars())
            if template_id not in ids:
                raise NotFoundError(f"Template #{template_id} does not exist (any more).")
            old = ids.index(template_id)
            ids.insert(max(0, min(to_index, len(ids) - 1)), ids.pop(old))
            self._renumber(conn, ids)
        return old

    def set_favourite(self, template_id: int, favourite: bool) -> None:
        with self.store.write() as conn:
            self._position(conn, template_id)
            conn.execute(update(template).where(template.c.id == template_id).values(favourite=favourite))

    def set_charte(self, name: str, charte: str) -> None:
        """Set the guidelines of a category (a row with an empty charte is kept: the folder exists)."""
        if not name.strip():
            raise InvalidInput("A category needs a name.")
        with self.store.write() as conn:
            self._upsert_category(conn, Category(name, charte), overwrite=True)

    def record_use(
        self, template_ids: Iterable[int], item_id: int | None, used_at: datetime, item_created_at: datetime | None
    ) -> int:
        """One use per template of a sent reply; templates deleted meanwhile are skipped."""
        ids = sorted(set(template_ids))
        if not ids:
            return 0
        with self.store.write() as conn:
            existing = set(conn.execute(select(template.c.id).where(template.c.id.in_(ids))).scalars())
            rows = [
                {
                    "template_id": tid,
                    "item_id": item_id,
                    "used_at": to_millis(used_at),
                    "item_created_at": to_millis(item_created_at) if item_created_at else None,
                }
                for tid in ids
                if tid in existing
            ]
            if rows:
                conn.execute(insert(template_use), rows)
        return len(rows)

    def apply_pack(self, conn: Connection, pack: Pack, *, replace: bool = False) -> Applied:
        """Write a checked pack inside the caller's transaction (an import applies all or nothing).

        With ``replace``, a template whose shortcode exists overwrites it in place (id, order
        and uses kept); without, such a clash raises ``InvalidInput`` and the caller's
        transaction rolls back.
        """
        existing = {r.shortcode_key: r.id for r in conn.execute(select(template.c.id, template.c.shortcode_key))}
        created: list[int] = []
        replaced: list[int] = []
        position = self._end(conn)
        for t in pack.templates:
            _check(t)
            found = existing.get(shortcode_key(t.shortcode))
            if found is not None and not replace:
                raise InvalidInput(f"/{t.shortcode} already exists in the library; nothing was imported.")
            if found is not None:
                self._overwrite(conn, found, t)
                replaced.append(found)
            else:
                created.append(self._insert(conn, t, position))
                existing[shortcode_key(t.shortcode)] = created[-1]
                position += 1
        for category in pack.categories:
            self._upsert_category(conn, category, overwrite=replace or bool(category.charte))
        return Applied(tuple(created), tuple(replaced), len(pack.categories))

    def is_empty(self, conn: Connection | None = None) -> bool:
        """No template and no category: the library has never been used (the starter pack goes in)."""
        if conn is None:
            with self.store.read() as conn:
                return self.is_empty(conn)
        return (
            conn.execute(select(template.c.id).limit(1)).first() is None
            and conn.execute(select(template_category.c.name).limit(1)).first() is None
        )

    # -- internals

    def _load(self, conn: Connection, ids: list[int] | None = None) -> list[Template]:
        stmt = select(template).order_by(template.c.position, template.c.id)
        vstmt = select(template_variant).order_by(template_variant.c.template_id, template_variant.c.position)
        if ids is not None:
            stmt = stmt.where(template.c.id.in_(ids))
            vstmt = vstmt.where(template_variant.c.template_id.in_(ids))
        variants: dict[int, list[Variant]] = {}
        for v in conn.execute(vstmt):
            variants.setdefault(v.template_id, []).append(
                Variant(v.body, v.lang, parse_platform(v.platform) if v.platform else None, v.title)
            )
        return [
            Template(
                shortcode=r.shortcode,
                title=r.title,
                variants=tuple(variants.get(r.id, ())),
                category=r.category,
                tags=tuple(json.loads(r.tags or "[]")),
                favourite=bool(r.favourite),
                id=r.id,
            )
            for r in conn.execute(stmt)
        ]

    @staticmethod
    def _end(conn: Connection) -> int:
        top = conn.execute(select(func.max(template.c.position))).scalar()
        return 0 if top is None else top + 1

    @staticmethod
    def _position(conn: Connection, template_id: int) -> int:
        position = conn.execute(select(template.c.position).where(template.c.id == template_id)).scalar()
        if position is None:
            raise NotFoundError(f"Template #{template_id} does not exist (any more).")
        return position

    @staticmethod
    def _renumber(conn: Connection, ids: list[int]) -> None:
        for index, tid in enumerate(ids):
            conn.execute(update(template).where(template.c.id == tid).values(position=index))

    @staticmethod
    def _refuse_clash(conn: Connection, shortcode: str, except_id: int | None = None) -> None:
        rows = conn.execute(
            select(template.c.id, template.c.shortcode, template.c.title).where(
                template.c.shortcode_key == shortcode_key(shortcode)
            )
        ).all()
        for row in rows:
            if row.id != except_id:
                clash = shortcode_clash(shortcode, [row.shortcode])
                raise InvalidInput(f"The shortcode /{clash} is already used by “{row.title}”.")

    @staticmethod
    def _fields(t: Template) -> dict:
        return {
            "shortcode": t.shortcode,
            "shortcode_key": shortcode_key(t.shortcode),
            "title": t.title,
            "category": t.category,
            "tags": json.dumps(list(t.tags), ensure_ascii=False),
            "favourite": t.favourite,
        }

    def _insert(self, conn: Connection, t: Template, position: int, created_at: int | None = None) -> int:
        now = to_millis(utcnow())
        values = {**self._fields(t), "position": position, "created_at": created_at or now, "updated_at": now}
        if t.id is not None:
            values["id"] = t.id  # a restore keeps the id the uses point to
        template_id = conn.execute(insert(template).values(**values)).inserted_primary_key[0]
        self._write_variants(conn, template_id, t.variants)
        return template_id

    def _overwrite(self, conn: Connection, template_id: int, t: Template) -> None:
        values = {**self._fields(t), "updated_at": to_millis(utcnow())}
        conn.execute(update(template).where(template.c.id == template_id).values(**values))
        conn.execute(delete(template_variant).where(template_variant.c.template_id == template_id))
        self._write_variants(conn, template_id, t.variants)

    @staticmethod
    def _write_variants(conn: Connection, template_id: int, variants: tuple[Variant, ...]) -> None:
        conn.execute(
            insert(template_variant),
            [
                {
                    "template_id": template_id,
                    "position": index,
                    "lang": v.lang,
                    "platform": v.platform.value if v.platform else "",
                    "title": v.title,
                    "body": v.body,
                }
                for index, v in enumerate(variants)
            ],
        )

    @staticmethod
    def _upsert_category(conn: Connection, category: Category, *, overwrite: bool) -> None:
        found = conn.execute(
            select(template_category.c.charte).where(template_category.c.name == category.name)
        ).first()
        if found is None:
            conn.execute(insert(template_category).values(name=category.name, charte=category.charte))
        elif overwrite:
            conn.execute(
                update(template_category)
                .where(template_category.c.name == category.name)
                .values(charte=category.charte)
            )


def _check(t: Template) -> None:
    """The store never holds a template the core calls malformed (unknown variables are allowed)."""
    problems = template_problems(t)
    if problems:
        where = f"/{t.shortcode}: " if t.shortcode else ""
        raise InvalidInput(f"{where}{problems[0].message[:1].upper()}{problems[0].message[1:]}.")


def _copy_title(title: str) -> str:
    suffix = " (copy)"
    return title[: 200 - len(suffix)] + suffix
