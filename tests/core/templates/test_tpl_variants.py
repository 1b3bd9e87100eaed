"""The variant fallback order: language first, then platform, then the template's default."""

from __future__ import annotations

import pytest

from cmdesk.core.models import Platform
from cmdesk.core.templates import Template, Variant, choose_variant

B, Y, M = Platform.BLUESKY, Platform.YOUTUBE, Platform.MASTODON
FULL = Template(
    "merci",
    "Merci",
    (
        Variant("fr", "fr"),
        Variant("fr-bsky", "fr", B),
        Variant("en", "en"),
        Variant("en-bsky", "en", B),
        Variant("fr-ca", "fr-ca"),
        Variant("de-yt", "de", Y),
    ),
)
NEUTRAL = FULL.with_(variants=(*FULL.variants, Variant("any-yt", "", Y)))


@pytest.mark.parametrize(
    ("lang", "platform", "body", "lang_ok", "platform_ok"),
    [
        ("fr", B, "fr-bsky", True, True),  # 1. language + platform
        ("fr", M, "fr", True, False),  # 2. language, any platform
        ("EN", B, "en-bsky", True, True),  # case does not matter
        ("fr-CA", M, "fr-ca", True, False),  # exact regional tag beats the plain language
        ("fr-CA", B, "fr-bsky", True, True),  # …but the platform weighs more than the region
        ("en-GB", None, "en", True, False),  # a region falls back to its language
        ("es", M, "fr", False, False),  # 5. the default language (the first variant's)
        ("es", B, "fr-bsky", False, True),  # 5. …for the platform when it has one
        ("", B, "fr-bsky", False, True),  # unknown reader language: the default language
        ("de", M, "de-yt", True, False),  # 3. the reader's language written for another platform
    ],
)
def test_fallback_order(lang, platform, body, lang_ok, platform_ok):
    choice = choose_variant(FULL, lang, platform)
    assert choice.variant.body == body
    assert (choice.lang_matched, choice.platform_matched) == (lang_ok, platform_ok)
    assert choice.exact == (lang_ok and platform_ok)


@pytest.mark.parametrize(
    ("lang", "platform", "body"),
    [
        ("es", Y, "any-yt"),  # 4. a language-neutral body beats the default language…
        ("es", M, "any-yt"),  # …even one written for another platform
        ("fr", Y, "fr"),  # the reader's language still comes first
    ],
)
def test_language_neutral_bodies(lang, platform, body):
    assert choose_variant(NEUTRAL, lang, platform).variant.body == body


def test_first_variant_wins_ties():
    t = Template("x", "X", (Variant("a", "en", Y), Variant("b", "en", B)))
    assert choose_variant(t, "fr", M).variant.body == "a"


def test_single_variant_always_chosen():
    t = Template("x", "X", (Variant("only", "fr"),))
    assert choose_variant(t, "ja", B).variant.body == "only"


def test_title_for_language():
    t = Template("x", "Merci", (Variant("a", "fr"), Variant("b", "en", title="Thanks")))
    assert t.title_for("en-US") == "Thanks"
    assert t.title_for("fr") == "Merci" and t.title_for("") == "Merci"
