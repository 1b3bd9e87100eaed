"""Language detection with py3langid (its model ships inside the wheel: nothing is downloaded).

Restricting the model to the languages CMDesk moderates (French and English by default) is
what makes it reliable on short comments: with every language allowed, "Merci !" can come
out as Catalan. Texts without letters (emoji, numbers) are "und" (undetermined).
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

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
    sample = text[:MAX_CHARS]
    if any(ch.isalpha() for ch in sample):
        shortcut = _shortcut(tuple(languages))
        sure = shortcut.decide(sample) if shortcut is not None else None
        if sure is not None:
            return sure
    ranked = language_scores(text, languages)
    return ranked[0][0] if ranked else UNDETERMINED


# --- the same decision, sooner ---------------------------------------------------------
#
# py3langid scores a text in float32 numpy (a dot product, then a softmax) and, for one
# comment, spends more on numpy's per-call overhead than on the sums; its DFA tables are
# Python lists of boxed ints that miss the cache. The shortcut walks the same DFA with the
# same function over compact arrays, sums the same naive Bayes scores in float64, and
# answers only when the best language leads by far more than float32 rounding could move
# the scores (bounds below): then py3langid ranks it first too. Otherwise (a near tie, a
# text without features) it returns None and py3langid decides, exactly as before. It only
# reads its tables: no lock needed.

_ULP = 2.0**-21  # 8 units of float32 rounding (2**-24): a generous bound per operation


@dataclass(frozen=True, slots=True)
class _Shortcut:
    encode: Callable[[str], bytes]  # py3langid's text -> bytes step
    walk: Callable  # py3langid's visit_counts: feature counts in order of first occurrence
    nextmove: array
    rowbase: array  # per state, its row of ``nextmove`` (py3langid keeps a list of ints)
    output: array  # per state, its feature or -1
    classes: tuple[str, ...]
    gaps: tuple[array, ...]  # per class after the first, its weight of each feature minus the first's
    prior_gaps: tuple[float, ...]  # the same for the priors
    largest: tuple[float, ...]  # per class, its largest absolute weight…
    priors: tuple[float, ...]  # …and its prior: they bound its score

    def leads(self, data: bytes) -> tuple[list[float], list[float]] | None:
        """Each class's score minus the first class's (float64: all but exact), and per class a
        bound on what float32 rounding moves its score; None for a text without features."""
        visits = self.walk(self.nextmove, self.rowbase, self.output, data)
        if not visits:
            return None
        features = list(visits)
        logs = list(map(math.log1p, visits.values()))
        leads = [0.0]
        for gap, prior_gap in zip(self.gaps, self.prior_gaps, strict=True):
            leads.append(sum(map(mul, logs, map(gap.__getitem__, features))) + prior_gap)
        # numpy sums k float32 products (after a float32 log1p each): off by a few units of
        # 2**-24 per term of the sum of absolute terms, at most (largest weight) * sum(logs).
        scale = (len(features) + 4) * _ULP
        total = sum(logs)
        bounds = [scale * (w * total + abs(p)) for w, p in zip(self.largest, self.priors, strict=True)]
        return leads, bounds

    def decide(self, sample: str) -> str | None:
        """The language py3langid would rank first, or None when that is not certain."""
        data = self.encode(sample)
        found = self.leads(data)
        if found is None:
            return None
        leads, bounds = found
        best = max(range(len(leads)), key=leads.__getitem__)
        # Twice the rounding bounds, and a lead of 1e-4 left after the softmax temperature
        # 1/sqrt(len(data)): far more than its float32 exp and division could undo.
        slack = 1e-4 * math.sqrt(len(data))
        for other, lead in enumerate(leads):
            if other != best and leads[best] - lead <= 2 * (bounds[best] + bounds[other]) + slack:
                return None
        return self.classes[best]


_SAMPLES = ("Bonjour à tous, merci pour l'accueil !", "Thanks for the warm welcome", "Ça")


@lru_cache(maxsize=8)
def _shortcut(languages: tuple[str, ...]) -> _Shortcut | None:
    """The shortcut for ``languages``, or None if this py3langid is not laid out as expected."""
    identifier = _identifier(languages)
    try:
        import numpy as np
        from py3langid.langid import visit_counts

        table = np.asarray(identifier.nb_ptc, dtype=np.float64)  # float16 values: exact gaps
        priors = np.asarray(identifier.nb_pc, dtype=np.float64)
        classes = tuple(identifier.nb_classes)
        if identifier._alias_pairs or len(set(classes)) != len(classes):
            return None  # merged labels: rank() adds columns together
        if not (np.isfinite(table).all() and np.isfinite(priors).all()) or table.shape[1] != len(classes):
            return None
        shortcut = _Shortcut(
            encode=identifier._encode,
            walk=visit_counts,
            nextmove=identifier.tk_nextmove,
            rowbase=array("i", [row << 8 for row in identifier.tk_row]),
            output=array("i", identifier.tk_output),
            classes=classes,
            gaps=tuple(array("d", (table[:, c] - table[:, 0]).tobytes()) for c in range(1, len(classes))),
            prior_gaps=tuple(float(p - priors[0]) for p in priors[1:]),
            largest=tuple(float(x) for x in np.abs(table).max(axis=0)),
            priors=tuple(float(p) for p in priors),
        )
        # The tables must read as py3langid reads them: same scores, within the bounds.
        for sample in _SAMPLES:
            data = shortcut.encode(sample)
            found = shortcut.leads(data)
            reference = identifier._raw_score(data).tolist()
            if found is None or len(reference) != len(classes):
                return None
            leads, bounds = found
            for raw, lead, bound in zip(reference, leads, bounds, strict=True):
                if abs(raw - reference[0] - lead) > bound + bounds[0]:
                    return None
    except (AttributeError, ImportError, IndexError, OverflowError, TypeError, ValueError):
        return None
    return shortcut
