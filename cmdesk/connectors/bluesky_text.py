"""Bluesky text helpers: AT URIs, TIDs, rich-text facets (UTF-8 byte offsets) and post limits.

Followed documents:
- AT URI scheme (atproto.com/specs/at-uri-scheme): ``at://<did>/<collection>/<rkey>``.
- Timestamp Identifiers (atproto.com/specs/tid): 64-bit integer, top bit 0, 53 bits of
  microseconds then a 10-bit clock id, written as 13 characters of base32-sortable
  (``234567abcdefghijklmnopqrstuvwxyz``).
- Record keys (atproto.com/specs/record-key): ``tid`` keys may be chosen by the client and
  "could have any value", which is what makes a deterministic key from an idempotency key legal.
- Links, mentions and rich text (docs.bsky.app/docs/advanced-guides/post-richtext): facets index
  the text by UTF-8 byte offsets, start inclusive, end exclusive; facets must not overlap.
- ``app.bsky.feed.post`` lexicon: ``text`` is at most 300 graphemes and 3000 bytes (``maxLength``
  counts UTF-8 bytes in atproto lexicons).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import regex

from cmdesk.connectors.base import Permanent

log = logging.getLogger("cmdesk.connectors.bluesky")

MAX_POST_GRAPHEMES = 300
MAX_POST_BYTES = 3000

# ---- AT URIs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AtUri:
    """The parts of ``at://<authority>/<collection>/<rkey>``."""

    authority: str
    collection: str = ""
    rkey: str = ""

    @classmethod
    def parse(cls, uri: str) -> AtUri:
        if not isinstance(uri, str) or not uri.startswith("at://"):
            raise ValueError(f"not an AT URI: {uri!r}")
        parts = uri[5:].split("?", 1)[0].split("#", 1)[0].split("/")
        if not parts[0]:
            raise ValueError(f"AT URI without authority: {uri!r}")
        return cls(parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")

    def __str__(self) -> str:
        return "/".join(p for p in (f"at://{self.authority}", self.collection, self.rkey) if p)


def uri_authority(uri: str) -> str:
    """The DID (or handle) that owns the record named by ``uri``; "" when it is not an AT URI."""
    try:
        return AtUri.parse(uri).authority
    except ValueError:
        return ""


def web_url(uri: str, handle: str = "") -> str:
    """The bsky.app address of a post (the handle reads better than the DID when it is valid)."""
    try:
        parts = AtUri.parse(uri)
    except ValueError:
        return ""
    who = handle if handle and handle != "handle.invalid" else parts.authority
    if parts.collection == "app.bsky.feed.post" and parts.rkey:
        return f"https://bsky.app/profile/{who}/post/{parts.rkey}"
    return f"https://bsky.app/profile/{who}"


# ---- TIDs ----------------------------------------------------------------------------------

_B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"
TID_PATTERN = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# Deterministic keys put their timestamp in a fixed past window (2023-01-01 + 2^45 µs, about 13
# months): the spec says a TID's time must not be trusted, and a past time never sorts ahead of
# records the account writes later.
_DERIVED_EPOCH_US = 1_672_531_200_000_000
_DERIVED_SPAN_US = 1 << 45


def tid_encode(micros: int, clock_id: int) -> str:
    """The TID for a timestamp in microseconds since the UNIX epoch and a 10-bit clock id."""
    if micros < 0 or micros >= 1 << 53 or not 0 <= clock_id < 1024:
        raise ValueError("TID timestamp or clock id out of range")
    value = (micros << 10) | clock_id
    chars = []
    for _ in range(13):
        chars.append(_B32_SORT[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def tid_decode(tid: str) -> tuple[int, int]:
    """``(microseconds, clock_id)`` of a TID; ``ValueError`` when it is not one."""
    if not TID_PATTERN.match(tid or ""):
        raise ValueError(f"not a TID: {tid!r}")
    value = 0
    for ch in tid:
        value = (value << 5) | _B32_SORT.index(ch)
    return value >> 10, value & 0x3FF


def tid_time(tid: str) -> datetime | None:
    """The moment a TID claims (untrusted, but a fair estimate for a deleted post)."""
    try:
        micros, _ = tid_decode(tid)
    except ValueError:
        return None
    return datetime.fromtimestamp(micros / 1_000_000, UTC)


def tid_from_clock(moment: datetime, sequence: int = 0) -> str:
    """A TID for ``moment`` (the usual way a client names a new record)."""
    return tid_encode(int(moment.timestamp() * 1_000_000), sequence & 0x3FF)


def tid_for_key(key: str, namespace: str = "cmdesk.reply") -> str:
    """A valid TID derived only from ``key``: the same key always names the same record.

    55 bits of SHA-256 (45 of time in a fixed window, 10 of clock id) make accidental
    collisions between different keys negligible.
    """
    digest = hashlib.sha256(f"{namespace}\x00{key}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    return tid_encode(_DERIVED_EPOCH_US + (number >> 10) % _DERIVED_SPAN_US, number & 0x3FF)


# ---- post limits ---------------------------------------------------------------------------


def grapheme_count(text: str) -> int:
    """User-perceived characters (extended grapheme clusters), as Bluesky counts its 300."""
    return len(regex.findall(r"\X", text))


def check_post_text(text: str) -> str:
    """The text to post, or ``Permanent`` with a sentence when Bluesky would refuse it."""
    text = text.strip()
    if not text:
        raise Permanent("The reply is empty.")
    graphemes = grapheme_count(text)
    if graphemes > MAX_POST_GRAPHEMES:
        raise Permanent(
            f"Bluesky posts are limited to {MAX_POST_GRAPHEMES} characters; this reply has {graphemes}. Shorten it."
        )
    size = len(text.encode("utf-8"))
    if size > MAX_POST_BYTES:
        raise Permanent(
            f"Bluesky posts are limited to {MAX_POST_BYTES} bytes of text; this reply takes {size} "
            "(emoji and accented letters count several bytes). Shorten it."
        )
    return text


# ---- facets: producing ---------------------------------------------------------------------

# A handle is a domain name (atproto.com/specs/handle); the last label must not start with a digit.
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_MENTION = re.compile(rf"(?:^|(?<=[\s(\[]))@({_LABEL}(?:\.{_LABEL})+)")
_URL = re.compile(r"(?:^|(?<=[\s(\[<]))(https?://[^\s<>\"]+)", re.IGNORECASE)
_TAG = regex.compile(r"(?:^|(?<=\s))[#＃](?![\d\ufe0f\u20e3])(\S+)")  # as the docs' example: no leading digit
_TRAILING_PUNCT = ".,;:!?'\"”’"
MAX_TAG_GRAPHEMES = 64


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the text to decorate: character offsets plus what it is."""

    start: int  # character offsets into the Python string
    end: int
    kind: str  # "mention" | "link" | "tag"
    value: str  # the handle, the URI, or the tag (without '#')


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCT:
        url = url[:-1]
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def find_spans(text: str) -> list[Span]:
    """Mentions (``@handle``), links (``http(s)://…``) and hashtags in ``text``, not overlapping."""
    spans: list[Span] = []
    for m in _MENTION.finditer(text):
        handle = m.group(1)
        if handle.rsplit(".", 1)[-1][:1].isalpha():
            spans.append(Span(m.start(1) - 1, m.end(1), "mention", handle.lower()))
    for m in _URL.finditer(text):
        url = _trim_url(m.group(1))
        if "." in url.split("://", 1)[1].split("/", 1)[0]:
            spans.append(Span(m.start(1), m.start(1) + len(url), "link", url))
    for m in _TAG.finditer(text):
        tag = m.group(1)
        if not tag:
            continue
        tag = regex.sub(r"\p{P}+$", "", tag)
        if tag and grapheme_count(tag) <= MAX_TAG_GRAPHEMES:
            start = m.start(1) - 1
            spans.append(Span(start, start + 1 + len(tag), "tag", tag))
    spans.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:  # facets must not overlap: the first (longest) one wins
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of character ``index`` in ``text``."""
    return len(text[:index].encode("utf-8"))


def facet_for(text: str, span: Span, did: str = "") -> dict:
    """An ``app.bsky.richtext.facet`` for ``span`` (mentions need the resolved ``did``)."""
    if span.kind == "mention":
        feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
    elif span.kind == "link":
        feature = {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
    else:
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}
    return {
        "index": {"byteStart": byte_offset(text, span.start), "byteEnd": byte_offset(text, span.end)},
        "features": [feature],
    }


# ---- facets: reading -----------------------------------------------------------------------


def _facet_slices(data: bytes, facets: object) -> list[tuple[int, int, dict]]:
    """Valid, non-overlapping ``(byteStart, byteEnd, feature)`` triples; bad ones are dropped."""
    found = []
    for facet in facets if isinstance(facets, list) else []:
        try:
            index, features = facet["index"], facet["features"]
            start, end = int(index["byteStart"]), int(index["byteEnd"])
            if not (0 <= start < end <= len(data)) or not isinstance(features, list):
                raise ValueError("facet range outside the text")
            data[start:end].decode("utf-8")  # must not cut a character in two
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            log.warning("Bluesky: ignoring an invalid facet (%s)", exc)
            continue
        for feature in features:
            if isinstance(feature, dict):
                found.append((start, end, feature))
                break
    found.sort(key=lambda f: f[0])
    kept: list[tuple[int, int, dict]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def expand_links(text: str, facets: object) -> str:
    """``text`` with shortened link labels replaced by their full address.

    The Bluesky app shows long links as ``example.com/some/pa...``; the facet keeps the real URI.
    A label that is not a shortening ("this site") keeps its words and gains the address.
    """
    data = text.encode("utf-8")
    out, last = [], 0
    for start, end, feature in _facet_slices(data, facets):
        uri = feature.get("uri")
        if feature.get("$type") != "app.bsky.richtext.facet#link" or not isinstance(uri, str):
            continue
        if not uri.lower().startswith(("http://", "https://")):
            continue  # never surface javascript: or other schemes as a link
        label = data[start:end].decode("utf-8")
        bare = label.rstrip(".…").strip()
        plain_uri = uri.split("://", 1)[-1]
        if label == uri:
            continue
        out.append(data[last:start].decode("utf-8"))
        if bare and (plain_uri.startswith(bare) or uri.startswith(bare)):
            out.append(uri)
        else:
            out.append(f"{label} ({uri})")
        last = end
    if not out:
        return text
    out.append(data[last:].decode("utf-8"))
    return "".join(out)


def mentioned_dids(facets: object) -> set[str]:
    """The DIDs a post mentions through ``app.bsky.richtext.facet#mention`` features."""
    dids = set()
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            if (
                isinstance(feature, dict)
                and feature.get("$type") == "app.bsky.richtext.facet#mention"
                and isinstance(feature.get("did"), str)
            ):
                dids.add(feature["did"])
    return dids


def now_iso() -> str:
    """The current time as atproto datetimes are written (``…Z``, milliseconds)."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_datetime(value: object) -> datetime | None:
    """An atproto datetime (RFC 3339, ``Z`` or offset, any fraction) as an aware UTC datetime."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    match = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", text)
    if match and match.group(2) and len(match.group(2)) > 7:  # Python takes at most 6 digits
        text = match.group(1) + match.group(2)[:7] + match.group(3)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
