"""Safe text: platform markup to plain text, names that cannot be disguised, excerpts.

Everything that comes from a platform is shown as text, never as live HTML. These helpers
are the one place where that text is cleaned.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from html.parser import HTMLParser

# Characters that change how neighbouring text is ordered or that are invisible. In names
# they can make "Support Team" out of anything, so names lose them all.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0"
_NAME_STRIP = _BIDI_CONTROLS + _INVISIBLE + "\u200c\u200d"
# In message text, joiners are needed for emoji sequences and some scripts: keep them, but
# drop the overrides that reorder text and the plainly invisible characters.
_TEXT_STRIP = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" + _INVISIBLE

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate / pop directional isolate
MAX_NAME_CHARS = 80


# Unicode category Cc is exactly these ranges; a regex is ~50x faster than testing each character.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps tab and newline
# Deleting characters with a regex costs a fraction of ``str.translate`` with a table, which looks
# every character of the text up in a dict (6 us for a 140-character status with an accent).
_NAME_STRIP_RE = re.compile(f"[{_NAME_STRIP}]")
_TEXT_STRIP_RE = re.compile(f"[{_TEXT_STRIP}]")
# Without "\r" (which becomes "\n" first) cleaning text is one deletion of both sets.
_TEXT_STRIP_AND_CONTROLS_RE = re.compile(f"[{_TEXT_STRIP}\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_name(name: str) -> str:
    """A display name with no invisible or direction-changing characters, on one line."""
    return _clean_short_name(name) if len(name) <= _CACHED_NAME_CHARS else _clean_name(name)


# The same few names come back all the time: an author on each of their comments, every row of
# the list at every paint (two regexes and a split: about 2 µs a name, from a cache 0.1 µs).
# Only short names are kept, so that hostile 100 KB names cannot fill the memory.
_CACHED_NAME_CHARS = 4 * MAX_NAME_CHARS


@functools.lru_cache(maxsize=4096)
def _clean_short_name(name: str) -> str:
    return _clean_name(name)


def _clean_name(name: str) -> str:
    name = " ".join(_CONTROLS.sub(" ", _NAME_STRIP_RE.sub("", name)).split())
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 1] + "…"
    return name


def isolate(text: str) -> str:
    """Wrap text in a Unicode isolate so right-to-left content cannot reorder what follows it."""
    return f"{FSI}{text}{PDI}"


def display_author(name: str, handle: str) -> str:
    """How an author is shown everywhere: the cleaned name, isolated, then the handle."""
    shown = clean_name(name) or clean_name(handle) or "?"
    handle = clean_name(handle)
    if handle and handle != shown:
        return f"{isolate(shown)} ({isolate(handle)})"
    return isolate(shown)


def clean_text(text: str) -> str:
    """Message text made safe to show: no bidi overrides, no invisible characters, no C0 controls."""
    if "\r" not in text:
        return _TEXT_STRIP_AND_CONTROLS_RE.sub("", text)
    text = _TEXT_STRIP_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_BUT_LAYOUT.sub("", text)


def excerpt(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters for list rows."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def fold(text: str) -> str:
    """Lower-case and strip accents: "Réponse" -> "reponse" (the same folding as the search index)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _TextExtractor(HTMLParser):
    _BLOCK = frozenset({"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})
    _DROP = frozenset({"script", "style", "template", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._invisible = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        classes = dict(attrs).get("class") or ""
        if tag in self._DROP:
            self._dropping += 1
        elif tag == "span" and "invisible" in classes.split():
            # Mastodon hides the scheme of long links in such spans; keep them, they are the URL.
            pass
        elif tag == "br" or (tag in self._BLOCK and self.parts and not self.parts[-1].endswith("\n")):
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._DROP:
            self._dropping = max(0, self._dropping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


_MANY_NEWLINES = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Platform HTML (Mastodon statuses, Matrix formatted bodies…) to plain text.

    Tags are dropped, entities decoded, paragraphs and line breaks kept as newlines,
    scripts and styles removed with their content. The result is only ever shown as text.
    """
    if "<" not in markup and "&" not in markup:
        return clean_text(markup)
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # HTMLParser is lenient; this is a last resort for pathological input
        text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return tidy_extracted_text(text)


def tidy_extracted_text(text: str) -> str:
    """The last step of ``html_to_text``, given the text its parser extracted: no-break spaces
    as spaces, at most one blank line in a row, cleaned, trimmed. Shared with the connectors'
    fast paths for their platform's own markup, so that both give the same text."""
    text = _MANY_NEWLINES.sub("\n\n", text.replace("\xa0", " "))
    return clean_text(text).strip()
