"""Values from core objects: first names, dates per language, excerpts, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cmdesk.core.models import Account, Author, Item, ItemKind, Moderation, Platform, QueueState, Status
from cmdesk.core.templates import CustomField, RenderContext, TemplateSettings, context_for, first_name, format_date


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("Marie-Claire Dupont 🌸", "Marie-Claire"),
        ("🌸 JEAN dupont", "Jean"),
        ("marie🌸", "Marie"),
        ("🇫🇷 Zoë L.", "Zoë"),
        ("o'neil smith", "O'Neil"),
        ("Élodie", "Élodie"),
        ("@ana", ""),
        ("ana_b92", ""),
        ("M. Dupont", ""),
        ("Dr House", ""),
        ("J. Martin", ""),
        ("👍🏽", ""),
        ("", ""),
        ("\u202eAna\u202c", "Ana"),  # direction overrides are dropped with the name cleaning
        ("« Ana » (boutique)", "Ana"),
    ],
)
def test_first_name(display, expected):
    assert first_name(display) == expected


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (date(2026, 11, 24), "fr", "24 novembre 2026"),
        (date(2026, 11, 1), "fr-CA", "1er novembre 2026"),
        (date(2026, 11, 24), "en", "November 24, 2026"),
        (date(2026, 8, 3), "de", "3. August 2026"),
        (date(2026, 2, 5), "es", "5 de febrero de 2026"),
        (date(2026, 11, 24), "ja", "2026-11-24"),
        (date(2026, 11, 24), "", "2026-11-24"),
    ],
)
def test_format_date_does_not_depend_on_the_os_locale(day, lang, expected):
    assert format_date(day, lang) == expected


def _item(display: str, handle: str, text: str) -> Item:
    author = Author(1, 1, "42", display, handle)
    return Item(
        id=7, account_id=1, platform_item_id="p7", thread_id=None, parent_platform_id="", kind=ItemKind.COMMENT,
        status=Status.NEW, moderation=Moderation.VISIBLE, queue=QueueState.NONE,
        created_at=datetime(2026, 11, 24, 9, tzinfo=UTC), text=text, author=author, url="", lang="fr",
        is_own=False, flag=None,
    )  # fmt: skip


ACCOUNT = Account(1, Platform.MASTODON, "Fleurs & Co", "fleurs@piaille.fr", "https://piaille.fr")
SETTINGS = TemplateSettings("Fleurs & Co", "Léa", (CustomField("shop.hours", "9 h – 19 h"), CustomField("shop.phone")))


def test_context_for_an_item():
    ctx = context_for(_item("Marie-Claire Dupont 🌸", "marie@mastodon.social", "Bonjour,\n  où est ma commande ?"),
                      ACCOUNT, SETTINGS, datetime(2026, 11, 24, 10, 30))  # fmt: skip
    assert ctx.value("author.name") == "Marie-Claire Dupont 🌸"
    assert ctx.value("author.first_name") == "Marie-Claire"
    assert ctx.value("author.handle") == "@marie@mastodon.social"
    assert ctx.value("platform") == "Mastodon"
    assert ctx.value("account.name") == "Fleurs & Co"
    assert ctx.value("brand") == "Fleurs & Co" and ctx.value("agent.name") == "Léa"
    assert ctx.value("item.excerpt") == "Bonjour, où est ma commande ?"
    assert ctx.value("date", "fr") == "24 novembre 2026"
    assert ctx.value("date", "en") == "November 24, 2026"
    assert ctx.value("shop.hours") == "9 h – 19 h"
    assert "shop.phone" in ctx.known and ctx.value("shop.phone") is None


def test_long_items_give_a_short_one_line_excerpt():
    ctx = context_for(_item("Ana", "ana", "mot " * 200), ACCOUNT, SETTINGS, None)
    excerpt = ctx.value("item.excerpt")
    assert len(excerpt) <= 100 and excerpt.endswith("…") and "\n" not in excerpt


def test_unusable_names_are_missing_so_the_default_or_the_form_takes_over():
    ctx = context_for(_item("🌸🌸", "", "x"), ACCOUNT, TemplateSettings(), None)
    r = ctx.render("Bonjour {author.first_name|à vous}, {author.handle} {brand} {date}")
    assert r.missing == ("author.handle", "brand", "date")
    assert ctx.value("author.name") == "🌸🌸"  # the name as written is still a name


def test_context_without_item_or_account():
    ctx = context_for(None, None, SETTINGS, date(2026, 1, 1))
    assert ctx.render("{author.first_name}").missing == ("author.first_name",)
    assert ctx.render("{date}", "fr").text == "1er janvier 2026"


def test_settings_from_and_to_mapping():
    settings = TemplateSettings.from_mapping({"brand": "B", "fields": {"shop.hours": "9-5"}})
    assert settings.fields == (CustomField("shop.hours", "9-5"),)
    assert TemplateSettings.from_mapping(SETTINGS.to_mapping()) == SETTINGS


def test_with_values_overrides_computed_values():
    ctx = RenderContext({"author.first_name": "Ana"}).with_values({"author.first_name": "Anna"})
    assert ctx.render("{author.first_name}").text == "Anna"
