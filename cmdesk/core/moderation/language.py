"""Language detection with py3langid (its model ships inside the wheel: nothing is downloaded).

Restricting the model to the languages CMDesk moderates (French and English by default) is
what makes it reliable on short comments: with every language allowed, "Merci !" can come
out as Catalan. Texts without letters (emoji, numbers) are "und" (undetermined).
"""

from __future__ import annotations

import threading
from functools import lru_cache

__all__ = ["LANGUAGES", "UNDETERMINED", "detect_language", "language_scores"]

LANGUAGES = ("fr", "en")
UNDETERMINED = "und"
MAX_CHARS = 2000  # the start of a long text says its language as well as the whole
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def language_scores(text: str, languages: tuple[str, ...] = LANGUAGES) -> list[tuple[str, float]]:
    """Each allowed language with its probability, best first ([] for a text without letters)."""
    sample = text[:MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return []
    with _lock:  # the identifier keeps per-call state in numpy buffers
        ranked = _identifier(tuple(languages)).rank(sample)
    return [(lang, float(p)) for lang, p in ranked]


def detect_language(text: str, languages: tuple[str, ...] = LANGUAGES) -> str:
    """The most likely of ``languages`` ("fr", "en"…), or ``UNDETERMINED`` without letters."""
    ranked = language_scores(text, languages)
    return ranked[0][0] if ranked else UNDETERMINED
