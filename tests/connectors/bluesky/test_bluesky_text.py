"""TIDs, AT URIs, facets (UTF-8 byte offsets) and post limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdesk.connectors.base import Permanent
from cmdesk.connectors.bluesky_text import (
    TID_PATTERN,
    AtUri,
    check_post_text,
    expand_links,
    facet_for,
    find_spans,
    grapheme_count,
    parse_datetime,
    tid_decode,
    tid_encode,
    tid_for_key,
    tid_time,
    web_url,
)
from tests.connectors.bluesky.bluesky_helpers import load


def facets_of(text: str) -> list[dict]:
    return [facet_for(text, span, "did:plc:resolved" if span.kind == "mention" else "") for span in find_spans(text)]


def slice_of(text: str, facet: dict) -> str:
    index = facet["index"]
    return text.encode()[index["byteStart"] : index["byteEnd"]].decode()


# ---- TIDs ----------------------------------------------------------------------------------


def test_tid_spec_example_round_trips():
    micros, clock = tid_decode("3jzfcijpj2z2a")  # the example TID of atproto.com/specs/tid
    assert tid_encode(micros, clock) == "3jzfcijpj2z2a"
    assert datetime(2022, 1, 1, tzinfo=UTC) < tid_time("3jzfcijpj2z2a") < datetime(2024, 1, 1, tzinfo=UTC)
    assert tid_encode(0, 0) == "2222222222222"


def test_tid_for_key_is_deterministic_and_valid():
    first, again, other = tid_for_key("outbox-42"), tid_for_key("outbox-42"), tid_for_key("outbox-43")
    assert first == again != other
    assert TID_PATTERN.match(first) and len(first) == 13
    assert tid_for_key("outbox-42", namespace="cmdesk.block") != first


@given(st.text(min_size=1, max_size=60))
def test_every_key_gives_a_valid_tid(key):
    tid = tid_for_key(key)
    assert TID_PATTERN.match(tid)
    micros, _ = tid_decode(tid)
    assert datetime(2023, 1, 1, tzinfo=UTC) <= tid_time(tid) < datetime(2024, 3, 1, tzinfo=UTC)
    assert micros < 1 << 53


def test_invalid_tids_are_refused():
    for bad in ("", "3jzfcijpj2z2", "zzzzzzzzzzzzz", "3jzfcijpj2z2A"):
        with pytest.raises(ValueError):
            tid_decode(bad)
    assert tid_time("not-a-tid") is None


def test_at_uri_parts_and_web_url():
    uri = "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k43tv4rft22g"
    parts = AtUri.parse(uri)
    assert (parts.authority, parts.collection, parts.rkey) == (
        "did:plc:u5cwb2mwiv2bfq53cjufe6yn",
        "app.bsky.feed.post",
        "3k43tv4rft22g",
    )
    assert str(parts) == uri
    assert web_url(uri, "alice.example.com") == "https://bsky.app/profile/alice.example.com/post/3k43tv4rft22g"
    assert web_url(uri, "handle.invalid").startswith("https://bsky.app/profile/did:plc:")
    with pytest.raises(ValueError):
        AtUri.parse("https://bsky.app/profile/x")


def test_datetimes_with_offsets_and_long_fractions():
    assert parse_datetime("2023-08-07T05:49:40.501974Z") == datetime(2023, 8, 7, 5, 49, 40, 501974, tzinfo=UTC)
    assert parse_datetime("2024-11-20T12:01:00.123456789+02:00") == datetime(2024, 11, 20, 10, 1, 0, 123456, tzinfo=UTC)
    assert parse_datetime("yesterday") is None and parse_datetime(None) is None


# ---- facets: producing ---------------------------------------------------------------------


def test_docs_example_offsets_are_reproduced():
    record = load("docs_post_facets.json")
    produced = facets_of(record["text"])
    assert [f["index"] for f in produced] == [f["index"] for f in record["facets"]]  # 23-35 and 74-108
    assert produced[1]["features"][0]["uri"] == "https://en.wikipedia.org/wiki/CBOR"  # trailing "." left out


def test_emoji_and_accents_before_a_link_shift_byte_offsets():
    text = "Café 👩‍👩‍👧 voir https://example.org/ä?x=1 !"
    [link] = facets_of(text)
    assert link["index"]["byteStart"] == len("Café 👩‍👩‍👧 voir ".encode())
    assert link["index"]["byteStart"] != text.index("https")  # bytes, not characters
    assert slice_of(text, link) == "https://example.org/ä?x=1"


def test_mentions_links_and_tags_together():
    text = "(@alice.example.com) merci ! #support https://bsky.app/profile/x). @not_a_handle @1.2"
    found = {(s.kind, s.value) for s in find_spans(text)}
    assert ("mention", "alice.example.com") in found
    assert ("link", "https://bsky.app/profile/x") in found
    assert ("tag", "support") in found
    assert all(v != "1.2" for _, v in found)
    for facet in facets_of(text):
        assert slice_of(text, facet).lstrip("@#") in text


def test_mention_at_the_start_and_trailing_punctuation():
    text = "@bob.bsky.social, thanks."
    [mention] = facets_of(text)
    assert slice_of(text, mention) == "@bob.bsky.social"
    assert mention["features"][0] == {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:resolved"}


# ---- facets: reading -----------------------------------------------------------------------


def test_docs_link_label_keeps_its_words_and_gains_the_address():
    example = load("docs_richtext_link.json")
    assert expand_links(example["text"], example["facets"]) == "Go to this site (https://example.com)"


def test_shortened_label_after_multibyte_text_is_expanded():
    page = load("list_notifications.json")
    record = page["notifications"][4]["record"]
    text = expand_links(record["text"], record["facets"])
    assert "https://example.com/very-long-path/to/the/support/page" in text
    assert text.startswith("こんにちは @cmdesk.example 🎉👍🏽 詳細は https://")
    assert "cuts-a-character" not in text  # the facet that splits a character is ignored


def test_unsafe_and_out_of_range_facets_are_ignored():
    text = "click me"
    bad = [
        {
            "index": {"byteStart": 0, "byteEnd": 5},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "javascript:alert(1)"}],
        },
        {
            "index": {"byteStart": 3, "byteEnd": 99},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example"}],
        },
        {"index": "nonsense"},
    ]
    assert expand_links(text, bad) == text
    assert expand_links(text, None) == text


# ---- limits --------------------------------------------------------------------------------


def test_300_graphemes_and_3000_bytes():
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
    assert grapheme_count(family * 3) == 3
    assert check_post_text("  hi  ") == "hi"
    assert check_post_text("é" * 300) == "é" * 300
    with pytest.raises(Permanent, match="300 characters"):
        check_post_text("a" * 301)
    with pytest.raises(Permanent, match="3000 bytes"):
        check_post_text(family * 121)  # 121 graphemes but 3025 bytes
    with pytest.raises(Permanent, match="empty"):
        check_post_text("   ")
