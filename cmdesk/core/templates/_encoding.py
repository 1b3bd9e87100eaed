"""Guess how an import file is encoded: what spreadsheets really write, not only UTF-8.

Order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without a mark (every other byte
NUL in mostly-ASCII text); strict UTF-8; Windows-1252 (what Excel writes on a French or
English Windows); Latin-1 for the five bytes cp1252 leaves undefined. UTF-8 is tried before
cp1252 because a cp1252 file with accents is almost never valid UTF-8, while the reverse
decodes to mojibake without error.
"""

from __future__ import annotations

import codecs

_SAMPLE = 4096


class EncodingError(ValueError):
    pass


def _utf16_without_bom(data: bytes) -> str:
    sample = data[:_SAMPLE]
    if len(sample) < 4 or b"\x00" not in sample:
        return ""
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    quarter = len(sample) // 4
    if odd_nuls > quarter and even_nuls * 4 < odd_nuls:
        return "utf-16-le"  # "a\0b\0": ASCII low byte first
    if even_nuls > quarter and odd_nuls * 4 < even_nuls:
        return "utf-16-be"
    return ""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding name)``; raises ``EncodingError`` when nothing fits."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode(data[len(bom) :], name.replace("-sig", ""), name)
    if guessed := _utf16_without_bom(data):
        return _decode(data, guessed, guessed)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # decodes any byte: the last resort


def _decode(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise EncodingError(f"the file looks like {name.upper()} but byte {exc.start} is not valid in it") from None
