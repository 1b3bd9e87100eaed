"""Picker ranking over the starter pack and small libraries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdesk.core.templates import PickerIndex, Template, Variant, load_starter_pack, rank
from cmdesk.core.text import fold


@pytest.fixture(scope="module")
def index() -> PickerIndex:
    return PickerIndex(load_starter_pack().templates)


def first(index: PickerIndex, query: str) -> str:
    return index.search(query)[0].template.shortcode


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("merci", "merci"),  # the exact shortcode beats /merci-photo, /merci-fidelite…
        ("/merci", "merci"),
        ("MERCI", "merci"),
        ("remb", "remboursement"),  # prefix of a French shortcode
        ("refund", "remboursement"),  # English title and tag
        ("delai", "delais"),  # accents folded: "Délais de livraison"
        ("délai", "delais"),
        ("fidelite", "merci-fidelite"),
        ("FIDÉLITÉ", "merci-fidelite"),
        ("mrci", "merci"),  # letters in order
        ("avis neg", "avis-negatif"),  # every word must match
        ("horaires", "horaires"),
        ("opening hours", "horaires"),
        ("colis abimé", "colis-abime"),
        ("private", "mp"),
        ("angry", "calme"),
    ],
)
def test_ranking(index, query, expected):
    assert first(index, query) == expected


def test_body_text_is_searched(index):
    shortcodes = [m.template.shortcode for m in index.search("transmise")]
    assert "merci-suggestion" in shortcodes  # "Nous l'avons transmise à l'équipe"


def test_no_match(index):
    assert index.search("zzzqqq") == []


def test_empty_query_lists_everything_favourites_first():
    templates = [
        Template("a", "A", (Variant("x"),)),
        Template("b", "B", (Variant("x"),), favourite=True),
        Template("c", "C", (Variant("x"),)),
    ]
    assert [m.template.shortcode for m in rank("", templates)] == ["b", "a", "c"]
    assert [m.template.shortcode for m in rank("/", templates, limit=2)] == ["b", "a"]


def test_usage_breaks_ties():
    templates = [
        Template("merci-a", "Merci A", (Variant("x"),), id=1),
        Template("merci-b", "Merci B", (Variant("x"),), id=2),
    ]
    index = PickerIndex(templates, usage={2: 40})
    assert [m.template.shortcode for m in index.search("merci")] == ["merci-b", "merci-a"]


def test_exact_shortcode_beats_usage_and_favourites():
    templates = [
        Template("merci-photo", "Photo", (Variant("merci"),), favourite=True, id=1),
        Template("merci", "Merci", (Variant("x"),), id=2),
    ]
    assert PickerIndex(templates, usage={1: 1000}).search("merci")[0].template.shortcode == "merci"


@given(st.text(max_size=20))
def test_any_query_is_safe(query):
    templates = [Template("merci", "Merci", (Variant("Merci {author.first_name} !", "fr"),), tags=("thanks",))]
    blank = not fold(query).strip().removeprefix("/").split()  # "¸" folds to a space
    for match in rank(query, templates):
        assert match.score > 0 or blank
