"""Cheap surface facts about a text: links and their domains, shouting, emoji-only.

Shared by the rule engine (``links``, ``caps``, ``emoji_only`` conditions) and the spam
classifier. Everything here is linear in the text and never raises on a ``str``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "SHORTENERS",
    "caps_ratio",
    "domain_in",
    "extract_links",
    "is_emoji_only",
    "link_domain",
]

# Link shorteners and "link in bio" services: they hide where a link goes, a classic of spam.
_SHORTENERS_LIST = """
bit.ly tinyurl.com t.co goo.gl ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at rb.gy
tiny.cc t.ly s.id v.gd bl.ink lnkd.in t.me wa.me linktr.ee beacons.ai shorte.st adf.ly
bc.vc clck.ru qrco.de surl.li u.to urlz.fr
"""
SHORTENERS = frozenset(_SHORTENERS_LIST.split())
_TLDS = (
    "com|net|org|io|ly|me|gl|gg|co|fr|be|ch|ca|uk|de|es|it|nl|eu|info|biz|xyz|top|club|site|online|"
    "shop|store|app|link|live|click|icu|tk|ml|ga|cf|gq|ru|cn|us|to|sh|vip|win|bid|loan|work|ai|bet|"
    "casino|cc|ws|su|pw|id|at|st"
)
# Written-out dots that hide a link from naive filters: "bit[.]ly", "site (dot) com".
_OBFUSCATED_DOT = re.compile(r"\s?[\[(]\s?(?:\.|dot|point)\s?[\])]\s?", re.IGNORECASE)
_URL = re.compile(
    rf"(?:\bhttps?://|\bwww\.)[^\s<>\"'`]+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"'`]*)?",
    re.IGNORECASE,
)
# What every link holds: a scheme's "://", "www." or a dot before a letter (a domain's last
# label; the letters IGNORECASE reads as ASCII ones are word characters too). The dots of most
# comments end sentences: one search of this spares them the costly ``_URL``.
_LINK_HINT = re.compile(r"://|www\.|\.\w", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>»\"'"
_MAX_LINKS = 200  # a text with more links than that is spam whatever the exact count


def extract_links(text: str) -> list[str]:
    """The links in a text, in order (schemes optional, obfuscated dots undone), at most 200."""
    if "." not in text and "[" not in text and "(" not in text:
        return []
    text = _OBFUSCATED_DOT.sub(".", text)
    if not _LINK_HINT.search(text):
        return []
    links = []
    for m in _URL.finditer(text):
        if m.start() and text[m.start() - 1] == "@":
            continue  # the domain of an e-mail address or a handle, not a link
        link = m.group().rstrip(_TRAILING)
        # "e.g." and initials are not links: a bare domain needs a letter in its last label.
        if "://" not in link and not link.lower().startswith("www.") and len(link.split("/")[0]) < 4:
            continue
        links.append(link)
        if len(links) >= _MAX_LINKS:
            break
    return links


def link_domain(link: str) -> str:
    """The host of a link, lower-case, without ``www.`` or a port: "https://WWW.Bit.ly/x" -> "bit.ly"."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", link.strip().lower())
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.").rstrip(".")


def domain_in(domain: str, domains: tuple[str, ...] | frozenset[str]) -> bool:
    """Is ``domain`` one of ``domains`` or a subdomain of one ("m.example.com" is in "example.com")?"""
    return any(domain == d or domain.endswith("." + d) for d in domains)


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def caps_ratio(text: str) -> tuple[float, int]:
    """(share of capitals among cased letters, number of cased letters)."""
    if text.isascii():
        # ASCII capitals are A-Z and small letters a-z: count them by deleting them (in C).
        raw = text.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        letters = upper + len(raw) - len(raw.translate(None, _ASCII_LOWER))
    else:
        # Builtins, not a Python loop. No character is both upper and lower case (the tests
        # check all of Unicode), so the two counts never overlap.
        upper = sum(map(str.isupper, text))
        letters = upper + sum(map(str.islower, text))
    return (upper / letters if letters else 0.0), letters


_EMOJI_NEUTRAL = ("Cf", "Mn", "Me", "Sk", "Zs", "Cc")


def is_emoji_only(text: str) -> bool:
    """True when the text holds at least one emoji and nothing but emoji, spaces and punctuation."""
    found = False
    for ch in text:
        category = unicodedata.category(ch)
        if category == "So":
            found = True
        elif category in _EMOJI_NEUTRAL or category[0] == "P":
            continue
        else:
            return False
    return found
