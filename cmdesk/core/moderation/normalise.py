"""Text normalisation that defeats common evasions and remembers where each character came from.

``normalise(text)`` folds a comment into a *matching form* in which "CONNÂRD", "c0nn4rd",
"c o n n a r d", "соnnard" (Cyrillic с and о) and "con\u200bnard" all read ``connard``:

1. per character (one cached table; plain ASCII is lower-cased, Latin-1 text goes through a
   256-byte table, and only the few other characters are looked up one by one): invisible and
   zero-width characters dropped, compatibility forms unfolded (fullwidth, 𝐦𝐚𝐭𝐡 letters,
   ligatures), accents stripped, case folded, look-alike letters from other scripts (Cyrillic,
   Greek, small capitals) mapped to Latin, every kind of space and apostrophe unified;
2. letters written one by one with separators ("c o n n a r d", "f.u.c.k") joined;
3. leetspeak inside words ("c0nn4rd", "a$$", "sh!t"), and masks ("f#ck" -> "f*ck").

Repeated letters ("nuuuul") are handled by the matcher, which compares squeezed forms and then
checks the run lengths (see ``matcher``), so that "as" never becomes "ass".

The result keeps a lazy map back to the original offsets so that a match can be highlighted
in the text the moderator sees (built only for a text whose folding changed its length).
``normalise`` is idempotent. Steps 2 and 3 run only when a cheap test on a class string (one
byte-table pass) says the text could need them: most comments skip every regex here.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NormalisedText", "fold", "fold_char", "is_mixed_script", "normalise", "squeeze"]

# Characters that are invisible or only steer rendering: dropped wherever they are.
_DROP = set(
    "\u115f\u1160\u3164\uffa0\u180e\u2800"  # Hangul fillers, Mongolian vowel separator, braille blank
)
_APOSTROPHES = set("’‘ʼʻ`´′‛ʹ＇")
_DASHES = set("‐‑‒–—―−﹣－")
# Masking characters: "f#ck", "c%nnard" are read as "f*ck", "c*nnard" when inside a word.
_MASKS = "#%•·"

# Look-alike letters from other scripts, after case folding. Only letters that a reader takes
# for the Latin one at a glance: that is what an evader relies on.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "к": "k", "м": "m", "н": "h", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "ո": "n", "ս": "u", "ց": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o",
    # Latin small capitals and other IPA look-alikes used by "fancy text" generators
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ɡ": "g",
    "ı": "i", "ȷ": "j", "ɩ": "i", "ℓ": "l",
}  # fmt: skip
# Letters that neither decompose nor fold to ASCII on their own.
_LIGATURES = {"œ": "oe", "æ": "ae", "ø": "o", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t"}


def _fold_once(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch in _DROP or category in ("Cf", "Mn", "Me"):
        return ""
    if category in ("Cc", "Zs", "Zl", "Zp"):
        return " "
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    if 0x1F1E6 <= ord(ch) <= 0x1F1FF:  # regional indicator letters: 🇨🇴🇳 spell words too
        return chr(ord("a") + ord(ch) - 0x1F1E6)
    decomposed = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(_HOMOGLYPHS.get(c) or _LIGATURES.get(c) or c for c in stripped)


def fold(text: str) -> str:
    """The per-character step of ``normalise`` alone: ``fold(a + b) == fold(a) + fold(b)``."""
    return _fold(text)


def fold_char(ch: str) -> str:
    """The per-character step of ``normalise``: what one character becomes (possibly "")."""
    out = _fold_once(ch)
    for _ in range(3):  # a fold can produce characters that fold further (ŉ -> ʼn -> 'n)
        again = "".join(_fold_once(c) for c in out)
        if again == out:
            break
        out = again
    return out


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each code point (then pure C lookups)."""

    _LIMIT = 300_000  # a flood of distinct exotic characters must not grow memory without bound

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        if len(self) < self._LIMIT:
            self[code] = value
        return value


_FOLD = _FoldTable()


class _UnitTable(dict):
    """Maps characters that fold to exactly one character to nothing, the others to themselves:
    ``text.translate(_UNIT) == ""`` proves, at C speed, that folding kept every offset."""

    _LIMIT = 300_000

    def __missing__(self, code: int) -> str:
        value = "" if len(_FOLD[code]) == 1 else chr(code)
        if len(self) < self._LIMIT:
            self[code] = value
        return value


_UNIT = _UnitTable()


class _ClassTable(dict):
    """Each character's class, for cheap substring pre-checks: letter "a", digit "0",
    separator " " (space . - _ /), leet symbol "$", "!" or "|" -> "!", mask "*", other "."."""

    _LIMIT = 300_000

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isalpha():
            value = "a"
        elif ch.isdigit():
            value = "0"
        elif ch in " .-_/":
            value = " "
        elif ch in "@$€#%•·":
            value = "$"
        elif ch in "!|":
            value = "!"
        elif ch == "*":
            value = "*"
        else:
            value = "."
        if len(self) < self._LIMIT:
            self[code] = value
        return value


_CLASS = _ClassTable()


# Substring tests on the class string (C speed) before any regex: a single character between
# separators ("c o n" has one), or a digit or symbol touching a letter ("c0n"). The class
# string is always a ``str``: ``bytes in bytes`` first tries the needle as an integer and
# builds (then drops) a TypeError each time, which cost more than the search itself.
_LEET_SHAPES = ("a0", "0a", "a$", "$a", "a!a")


def _maybe_spaced(classes: str) -> bool:
    """Could the text hold letters written one by one?"""
    return " a " in classes or " 0 " in classes


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SEPARATORS = frozenset(" .-_/")


def _spaced_hint(classes: str, text: str) -> bool:
    """Does ``text`` (folded; ``classes`` is its class string) hold what any match of
    ``_SPACED`` holds: a character alone between separators, then one to three separators and
    another character alone? ("a bit" has the first, not the second.) A few ``find`` calls
    and character tests: cheaper than a regex search, which tries a match at every separator."""
    size = len(text)
    for needle in (" a ", " 0 "):
        i = classes.find(needle)
        while i >= 0:
            if text[i + 1] in _ALNUM:
                k = i + 2
                while k < size and text[k] in _SEPARATORS:
                    k += 1
                if k - (i + 2) <= 3 and k < size and text[k] in _ALNUM and (k + 1 == size or text[k + 1] not in _ALNUM):
                    return True
            i = classes.find(needle, i + 2)
    return False


# Three or more single characters separated by a space, dot, dash… : "c o n n a r d".
# (Folded text is lower-case Latin: plain [a-z0-9] classes are much faster than Unicode ones.)
_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9][ .\-_/]{1,3}){2,}[a-z0-9](?![a-z0-9])")
_SEPARATOR = re.compile(r"[ .\-_/]")
# What any match of ``_SPACED`` holds: its second character alone between separators, then
# its third one. Starting with a separator lets the engine skip to the few places worth
# trying, where ``_SPACED`` (which starts with a look-behind) tries every position.
_SPACED_HINT = re.compile(r"[ .\-_/][a-z0-9][ .\-_/]{1,3}[a-z0-9](?![a-z0-9])")
# Quick test: is there anything leet-like next to a letter? (most texts have none)
_LEET_HINT = re.compile(r"[a-z][0-9@$€#%•·]|[0-9@$€#%•·][a-z]|[a-z][!|][a-z]")
_TOKEN = re.compile(r"(?:[^\W_]|[@$€!|*#%•·])+")
_DIGIT_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_SYMBOL_LEET = {"@": "a", "$": "s", "€": "e"}
_INTERIOR_LEET = {"!": "i", "|": "l"}
_LETTER = re.compile(r"[^\W\d_]")
_LEADING_DIGITS = re.compile(r"^\d+")
_TRAILING_DIGITS = re.compile(r"\d+$")


def _deleet_token(token: str) -> str:
    letters = len(_LETTER.findall(token))
    if not letters:
        return token
    last = len(token) - 1
    # Symbols that become letters count as letters, so that a second pass decides the same.
    letters += sum(1 for ch in token if ch in _SYMBOL_LEET)
    letters += sum(1 for i, ch in enumerate(token) if ch in _INTERIOR_LEET and 0 < i < last)
    # Digits are read as letters only inside a word with at least two real letters, and never
    # in a trailing number ("connard93", "mp3") or a leading one of two digits or more ("10am").
    lead = _LEADING_DIGITS.match(token)
    trail = _TRAILING_DIGITS.search(token)
    lead_end = lead.end() if lead and lead.end() > 1 else 0
    trail_start = trail.start() if trail else len(token)
    if trail and trail.end() - trail.start() == 1 and trail.start() >= 3:
        trail_start = len(token)  # one final digit after a word is leet ("abrut1"), not a number
    out = []
    for i, ch in enumerate(token):
        if ch in _DIGIT_LEET and letters >= 2 and lead_end <= i < trail_start:
            out.append(_DIGIT_LEET[ch])
        elif ch in _SYMBOL_LEET:
            out.append(_SYMBOL_LEET[ch])
        elif 0 < i < last and (ch in _INTERIOR_LEET or ch in _MASKS):
            out.append(_INTERIOR_LEET.get(ch, "*"))
        else:
            out.append(ch)
    return "".join(out)


def _deleet(text: str) -> str:
    """De-leet the words that hold a hint (a hint never spans two words)."""
    hints = [m.start() for m in _LEET_HINT.finditer(text)]
    if not hints:
        return text
    parts: list[str] = []
    last = 0
    pending = iter(hints)
    at = next(pending)
    for m in _TOKEN.finditer(text):
        if at >= m.end():
            continue
        if at >= m.start():
            parts.append(text[last : m.start()])
            parts.append(_deleet_token(m.group()))
            last = m.end()
        at = next((h for h in pending if h >= m.end()), None)
        if at is None:
            break
    parts.append(text[last:])
    return "".join(parts)


def _join_spaced(text: str) -> tuple[str, tuple[int, ...]]:
    """Join letters written one by one; return the text and the positions that were removed."""
    if not _SPACED_HINT.search(text) or not _SPACED.search(text):
        return text, ()
    removed: list[int] = []
    parts: list[str] = []
    last = 0
    for m in _SPACED.finditer(text):
        parts.append(text[last : m.start()])
        for sep in _SEPARATOR.finditer(text, m.start(), m.end()):
            removed.append(sep.start())
        parts.append(_SEPARATOR.sub("", m.group()))
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), tuple(removed)


_SQUEEZE = re.compile(r"(.)\1+", re.DOTALL)


def squeeze(text: str) -> str:
    """Every run of one repeated character reduced to one character: "nuuuul" -> "nul"."""
    return _SQUEEZE.sub(r"\1", text)


class NormalisedText:
    """A normalised text, its original and the way back from one to the other.

    ``text`` is the matching form. ``to_original(start, end)`` turns a span of ``text`` into
    the span of ``original`` that produced it (for highlighting). The offset map is computed
    only when first asked for, because most texts never match anything.
    """

    __slots__ = ("_folded", "_offsets", "_removed", "_unit", "has_digit", "original", "text")

    def __init__(self, original: str, text: str, folded: str, removed: tuple[int, ...]) -> None:
        self.original = original
        self.text = text
        self._folded = folded  # after step 1, before joining spaced letters
        self._removed = removed  # positions of ``_folded`` deleted by the join
        self._offsets: list[int] | None = None
        self._unit: bool | None = None  # does every character of ``original`` fold to one character?
        self.has_digit = True  # set by ``normalise``: False only when the text has no digit at all

    def __repr__(self) -> str:
        return f"NormalisedText({self.text!r})"

    @property
    def folded(self) -> str:
        """The text after the per-character step only (case, accents, look-alikes, invisibles)."""
        return self._folded

    def _is_unit(self) -> bool:
        """Did folding keep every offset (each character of ``original`` became one character)?"""
        if self._unit is None:
            self._unit = len(self._folded) == len(self.original) and _one_to_one(self.original)
        return self._unit

    @property
    def offsets(self) -> list[int]:
        """For each character of ``text``, the index in ``original`` of the character it came from."""
        if self._offsets is None:
            folded: list[int] = []
            if self._is_unit():
                folded = list(range(len(self.original)))
            else:
                for i, ch in enumerate(self.original):
                    folded.extend([i] * len(_FOLD[ord(ch)]))
            if self._removed:
                gone = set(self._removed)
                folded = [o for j, o in enumerate(folded) if j not in gone]
            self._offsets = folded
        return self._offsets

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` behind ``text[start:end]`` (end exclusive)."""
        if self._offsets is None and self.text is self._folded and self._is_unit():
            return start, end  # folding kept every offset: the common case, no map needed
        offsets = self.offsets
        if not offsets or start >= end:
            point = offsets[start] if start < len(offsets) else len(self.original)
            return point, point
        return offsets[start], offsets[min(end, len(offsets)) - 1] + 1


# Combining marks of the Latin, Greek and Cyrillic diacritics blocks (what accents decompose to).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_COMMON = (("’", "'"), ("´", "'"), ("–", "-"), ("—", "-"))  # frequent in French text
_ASCII_FIX = {code: " " for code in range(32)} | {127: " ", ord("`"): "'"}


def _fold_fast(text: str) -> str | None:
    """The per-character fold done whole-string (NFKD, strip accents, casefold), or None when
    the text holds a character that needs the table (look-alikes, invisibles, ligatures…).

    Valid because each step maps characters independently; the result is accepted only if
    every character left is one the table would keep as it is.
    """
    for a, b in _COMMON:
        if a in text:
            text = text.replace(a, b)
    out = _MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    if not out.isascii():
        for ch in set(out):
            if ord(ch) > 127 and _FOLD[ord(ch)] != ch:
                return None
    if not out.isprintable() or "`" in out:
        out = out.translate(_ASCII_FIX)
    return out


_QUESTION = ord("?")


def _latin1_tables() -> tuple[bytes, bytes, bytes]:
    """Byte tables for Latin-1 text: the fold of each character that folds to one Latin-1
    character ("?" for the others: they go through the character table), the bytes that are
    such others, and the character classes ("?" kept as "?": it marks a place to look up)."""
    table = bytearray(range(256))
    complex_bytes = bytearray()
    for byte in range(256):
        folded = fold_char(chr(byte))
        if len(folded) == 1 and ord(folded) < 256:
            table[byte] = ord(folded)
        else:
            table[byte] = _QUESTION
            complex_bytes.append(byte)
    classes = bytearray(ord(_CLASS[i]) for i in range(256))
    classes[_QUESTION] = _QUESTION
    # Never in folded text (they fold to " " and "'"): "~" marks them when an ASCII original
    # is classed before folding, to tell that its fold is not simply its lower case.
    for byte in (*range(32), 127, ord("`")):
        classes[byte] = ord("~")
    return bytes(table), bytes(complex_bytes), bytes(classes)


_LATIN1_FOLD, _LATIN1_COMPLEX, _LATIN1_CLASSES = _latin1_tables()
if _LATIN1_FOLD[_QUESTION] != _QUESTION or any(b < 128 for b in _LATIN1_COMPLEX):  # the fast paths rely on it
    raise RuntimeError("normalise: '?' must fold to itself and every ASCII character to one character")


def _latin1_translate(text: str, table: bytes, lookup: dict) -> str | None:
    """``text`` translated character by character, for a text that is mostly Latin-1.

    One pass through the byte ``table`` (Latin-1 encoding with errors="replace" keeps one byte
    per character, "?" for the others); every "?" in the result marks a character to look up
    in ``lookup`` instead: a real "?", a character outside Latin-1 (emoji, typographic quotes,
    "œ") or one the table leaves out. None when there are too many of them to be worth it.
    """
    out = text.encode("latin-1", "replace").translate(table).decode("latin-1")
    if "?" not in out:
        return out
    parts = out.split("?")
    if len(parts) * 8 > len(text) + 16:
        return None
    pieces = [parts[0]]
    pos = len(parts[0])
    for part in parts[1:]:
        pieces.append(lookup[ord(text[pos])])
        pieces.append(part)
        pos += len(part) + 1
    return "".join(pieces)


def _fold(text: str) -> str:
    """The per-character fold of a whole text, by the cheapest route that gives the same result."""
    if text.isascii():
        # Printable ASCII without a backquote folds to its lower case: skip the table lookups.
        if text.isprintable() and "`" not in text:
            return text.lower()
        return text.encode("ascii").translate(_LATIN1_FOLD).decode("latin-1")
    # Accented Latin-1 text (most French), maybe with a few emoji or typographic quotes.
    folded = _latin1_translate(text, _LATIN1_FOLD, _FOLD)
    if folded is not None:
        return folded
    fast = _fold_fast(text)
    return fast if fast is not None else text.translate(_FOLD)


def _one_to_one(original: str) -> bool:
    """Does every character of ``original`` fold to exactly one character?"""
    if original.isascii():
        return True  # (checked above: no ASCII character is complex)
    raw = original.encode("latin-1", "replace")  # one byte per character, "?" for the others
    if len(raw.translate(None, _LATIN1_COMPLEX)) != len(raw):  # "ß", "æ", a soft hyphen…
        return not original.translate(_UNIT)
    i = raw.find(_QUESTION)
    while i >= 0:
        if len(_FOLD[ord(original[i])]) != 1:
            return False
        i = raw.find(_QUESTION, i + 1)
    return True


def _classes(folded: str) -> str:
    """The class string of a folded text (see ``_ClassTable``), one character per character."""
    if folded.isascii():
        return folded.encode("ascii").translate(_LATIN1_CLASSES).decode("ascii").replace("?", ".")
    classes = _latin1_translate(folded, _LATIN1_CLASSES, _CLASS)
    return classes if classes is not None else folded.translate(_CLASS)


def normalise(text: str) -> NormalisedText:
    """Fold ``text`` into its matching form (see the module docstring). Never raises on a str."""
    # Cheap substring tests on a class string spare most texts the costlier regex passes
    # (written out here rather than through the helpers above: this runs once per item).
    classes = ""
    if text.isascii():
        # Case does not change a class; "~" marks control characters and the backquote.
        classes = text.encode("ascii").translate(_LATIN1_CLASSES).decode("ascii")  # ("?" stays "?")
    if classes and "~" not in classes:
        folded = text.lower()  # printable ASCII folds to its lower case
    else:
        folded = _fold(text)
        classes = _classes(folded)
    joined = folded
    removed: tuple[int, ...] = ()
    if (" a " in classes or " 0 " in classes) and _spaced_hint(classes, folded):
        joined, removed = _join_spaced(folded)
        if removed:
            classes = _classes(joined)
    digit = "0" in classes
    if (digit or "$" in classes or "!" in classes) and (
        "a0" in classes or "0a" in classes or "a$" in classes or "$a" in classes or "a!a" in classes
    ):
        joined = _deleet(joined)
    result = NormalisedText(text, joined, folded, removed)
    result.has_digit = digit
    return result


_SCRIPT_OF = {"LATIN": "Latin", "CYRILLIC": "Cyrillic", "GREEK": "Greek"}


_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]")


def is_mixed_script(text: str) -> bool:
    """True when one word mixes Latin letters with Cyrillic or Greek ones (a homoglyph trick)."""
    if text.isascii() or len(text.encode("latin-1", "ignore")) == len(text):
        return False  # (Greek and Cyrillic are outside Latin-1)
    if not _GREEK_OR_CYRILLIC.search(text):
        return False
    for word in text.split():
        scripts = set()
        for ch in word:
            if ch.isalpha():
                name = unicodedata.name(ch, "")
                scripts.add(_SCRIPT_OF.get(name.split(" ", 1)[0], "other"))
        if "Latin" in scripts and ({"Cyrillic", "Greek"} & scripts):
            return True
    return False
