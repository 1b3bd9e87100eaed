"""Lengths counted as each platform counts them, against known examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdesk.core.models import Platform
from cmdesk.core.templates import Unit, limit_for, measure
from cmdesk.core.templates.length import count, graphemes, mastodon_countable

FAMILY = "👨‍👩‍👧‍👦"  # man ZWJ woman ZWJ girl ZWJ boy: 7 code points, 25 UTF-8 bytes
FLAG = "🇫🇷"
THUMB = "👍🏽"
E_ACUTE = "e\u0301"  # "e" + combining acute accent


@pytest.mark.parametrize(("text", "expected"), [(FAMILY, 1), (FLAG, 1), (THUMB, 1), (E_ACUTE, 1), ("é", 1),
                                                ("Merci 🙏", 7), ("🇫🇷🇧🇪", 2), ("क्षि", 1)])  # fmt: skip
def test_graphemes(text, expected):
    assert graphemes(text) == expected


def test_bluesky_counts_graphemes():
    assert measure(FAMILY * 300, Platform.BLUESKY).primary.count == 300
    ok = measure("é" * 300, Platform.BLUESKY)
    assert not ok.over and ok.shown.count == 300
    over = measure(E_ACUTE * 301, Platform.BLUESKY)
    assert over.over and str(over.shown) == "301/300 characters"


def test_bluesky_also_caps_bytes():
    report = measure(FAMILY * 200, Platform.BLUESKY)  # 200 graphemes, 5,000 bytes
    assert report.primary.count == 200 and not report.primary.over
    assert report.over and report.shown.unit is Unit.BYTES and report.shown.count == 5000
    assert report.describe() == "too long for Bluesky: 5000/3000 bytes"


def test_mastodon_counts_every_url_as_23():
    url = "https://example.com/" + "a" * 200
    assert mastodon_countable(f"Voir {url}.") == "Voir " + "x" * 23 + "."
    assert measure(url, Platform.MASTODON).primary.count == 23
    assert measure("http://a.b", Platform.MASTODON).primary.count == 23  # short URLs count 23 too
    assert measure("example.com/long/path", Platform.MASTODON).primary.count == 21  # no scheme: not a link


def test_mastodon_url_in_parentheses():
    text = "(https://en.wikipedia.org/wiki/Foo_(bar))"
    assert mastodon_countable(text) == "(" + "x" * 23 + ")"


def test_mastodon_remote_mentions_count_as_local():
    assert mastodon_countable("@ana@mastodon.social merci") == "@ana merci"
    assert measure("@ana@mastodon.social merci", Platform.MASTODON).primary.count == 10
    assert mastodon_countable("@ana merci") == "@ana merci"
    assert mastodon_countable("écrire à ana@example.com") == "écrire à ana@example.com"  # an e-mail, not a mention
    assert mastodon_countable("https://m.s/@ana@x.org") == "x" * 23  # inside a URL


def test_mastodon_counts_graphemes_and_limit_is_per_instance():
    assert measure(FAMILY + FLAG, Platform.MASTODON).primary.count == 2
    assert measure("a" * 501, Platform.MASTODON).over
    assert limit_for(Platform.MASTODON) == 500
    assert limit_for(Platform.MASTODON, {"max_characters": 5000}) == 5000
    assert limit_for(Platform.MASTODON, {"max_characters": "1000"}) == 1000
    assert limit_for(Platform.MASTODON, {"max_characters": "lots"}) == 500
    assert limit_for(Platform.BLUESKY, {"max_characters": 5000}) == 300  # not configurable
    assert not measure("a" * 501, Platform.MASTODON, limit=5000).over


@pytest.mark.parametrize(
    ("platform", "limit"),
    [(Platform.YOUTUBE, 10_000), (Platform.FACEBOOK, 8000), (Platform.INSTAGRAM, 2200), (Platform.TELEGRAM, 4096),
     (Platform.DISCOURSE, 32_000), (Platform.MATRIX, 60_000)],
)  # fmt: skip
def test_default_limits(platform, limit):
    assert measure("a" * limit, platform).primary.limit == limit
    assert not measure("a" * limit, platform).over
    assert measure("a" * (limit + 1), platform).over


def test_utf16_platforms_count_astral_characters_twice():
    assert measure("😀", Platform.TELEGRAM).primary.count == 2
    assert measure("é", Platform.TELEGRAM).primary.count == 1
    assert measure("😀" * 2048, Platform.TELEGRAM).primary.count == 4096


def test_discourse_counts_code_points_and_is_configurable():
    assert measure(FAMILY, Platform.DISCOURSE).primary.count == 7
    assert limit_for(Platform.DISCOURSE, {"max_characters": 500}) == 500


def test_matrix_counts_json_escaped_bytes():
    assert count('a"\n', Unit.JSON_BYTES) == 5  # a \" \n
    assert count("é", Unit.JSON_BYTES) == 2


@given(st.text(max_size=50), st.sampled_from(list(Platform)))
def test_every_platform_measures_any_text(text, platform):
    report = measure(text, platform)
    assert all(check.count >= 0 for check in report.checks)
    assert report.over == any(c.count > c.limit for c in report.checks)


@given(st.text(max_size=50))
def test_graphemes_never_exceed_code_points(text):
    assert graphemes(text) <= len(text)
    assert graphemes(text) == 0 or text
