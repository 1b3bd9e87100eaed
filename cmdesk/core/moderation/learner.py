"""Learning from the moderator: a small naive Bayes model over character n-grams.

Every decision a moderator takes (approve, hide, delete, mark spam, "not abusive", ban) is a
``Label``. ``NaiveBayes.train(labels)`` fits a multinomial naive Bayes model on character
2–4-grams of the normalised text plus its words, in pure Python: a few thousand labels train
in well under a second. ``score(text)`` is the probability that the moderator would act on
the text; the rules use it as the ``learned`` score. ``evaluate`` holds back part of the
labels and returns precision and recall for the settings screen.

Character n-grams of the *normalised* text make the model robust to the evasions the
normaliser undoes and to inflections ("escroc", "escrocs", "escroquerie" share n-grams).
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cmdesk.core.moderation.normalise import normalise, squeeze

__all__ = ["Decision", "Label", "Metrics", "NaiveBayes", "evaluate", "features"]

MAX_CHARS = 2000  # enough to learn from; keeps training time bounded on huge pastes
MIN_PER_CLASS = 5  # below that, precision and recall mean nothing


class Decision(StrEnum):
    """What a moderator did with an item."""

    APPROVE = "approve"
    NOT_ABUSIVE = "not_abusive"
    HIDE = "hide"
    DELETE = "delete"
    SPAM = "spam"
    BAN = "ban"


_ACTED = {Decision.HIDE, Decision.DELETE, Decision.SPAM, Decision.BAN}
TARGETS = {
    # "action": would the moderator remove it (any reason); "abuse": abusive (spam left out);
    # "spam": marked as spam, against everything else.
    "action": (lambda d: d in _ACTED, lambda d: True),
    "abuse": (lambda d: d in (Decision.HIDE, Decision.DELETE, Decision.BAN), lambda d: d is not Decision.SPAM),
    "spam": (lambda d: d is Decision.SPAM, lambda d: True),
}


@dataclass(frozen=True, slots=True)
class Label:
    """One moderator decision on one text."""

    text: str
    decision: Decision

    @classmethod
    def of(cls, text: str, decision: str | Decision) -> Label:
        return cls(text, Decision(decision))


def features(text: str) -> Counter[str]:
    """Character 2–4-grams inside words, plus the words themselves, of the normalised text."""
    norm = squeeze(normalise(text[:MAX_CHARS]).text)
    counts: Counter[str] = Counter()
    for word in norm.split():
        word = word.strip(".,;:!?()[]{}\"'«»")
        if not word:
            continue
        counts["w:" + word] += 1
        padded = f" {word} "
        for n in (2, 3, 4):
            for i in range(len(padded) - n + 1):
                counts[padded[i : i + n]] += 1
    return counts


class NaiveBayes:
    """Binary multinomial naive Bayes with Laplace smoothing. ``score`` is in [0, 1]."""

    VERSION = 1

    def __init__(self, target: str = "action", alpha: float = 0.5) -> None:
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}; known: {', '.join(TARGETS)}")
        self.target = target
        self.alpha = alpha
        self.docs = [0, 0]  # negative, positive
        self.totals = [0, 0]
        self.counts: dict[str, list[int]] = {}

    @property
    def trained(self) -> bool:
        return all(self.docs)

    def train(self, labels: Iterable[Label]) -> NaiveBayes:
        """Fit on ``labels`` (replacing what was learned before); returns self."""
        positive, kept = TARGETS[self.target]
        self.docs, self.totals, self.counts = [0, 0], [0, 0], {}
        for label in labels:
            if not kept(label.decision):
                continue
            cls = 1 if positive(label.decision) else 0
            self.docs[cls] += 1
            for feature, count in features(label.text).items():
                slot = self.counts.setdefault(feature, [0, 0])
                slot[cls] += count
                self.totals[cls] += count
        return self

    def log_odds(self, text: str) -> float:
        """log P(act | text) - log P(keep | text), averaged per feature to stay calibrated."""
        if not self.trained:
            return 0.0
        vocabulary = len(self.counts) or 1
        denominators = [self.totals[c] + self.alpha * vocabulary for c in (0, 1)]
        prior = math.log(self.docs[1] / self.docs[0])
        evidence = 0.0
        total = 0
        for feature, count in features(text).items():
            total += count
            slot = self.counts.get(feature)
            if slot is None:
                continue  # never seen in training: no evidence either way (but it dilutes)
            evidence += count * (
                math.log((slot[1] + self.alpha) / denominators[1]) - math.log((slot[0] + self.alpha) / denominators[0])
            )
        # Naive Bayes double-counts overlapping n-grams; dividing by sqrt(n) keeps long texts
        # from being pushed to 0 or 1 by sheer length, and counting unseen n-grams in n keeps
        # a text unlike anything learned close to the prior.
        return prior + (evidence / math.sqrt(total) if total else 0.0)

    def score(self, text: str) -> float:
        """Probability-like score that the moderator would act on ``text`` (0.5 if untrained)."""
        z = max(-30.0, min(30.0, self.log_odds(text)))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.VERSION,
                "target": self.target,
                "alpha": self.alpha,
                "docs": self.docs,
                "totals": self.totals,
                "counts": self.counts,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> NaiveBayes:
        data = json.loads(text)
        if data.get("version") != cls.VERSION:
            raise ValueError(f"unsupported model version {data.get('version')!r}")
        model = cls(data["target"], float(data["alpha"]))
        model.docs = [int(x) for x in data["docs"]]
        model.totals = [int(x) for x in data["totals"]]
        model.counts = {k: [int(v[0]), int(v[1])] for k, v in data["counts"].items()}
        return model


@dataclass(frozen=True, slots=True)
class Metrics:
    """Precision and recall of the learned model on held-back labels."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    n_train: int
    n_test: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    message: str = ""  # why the figures are missing, when they are

    @property
    def enough(self) -> bool:
        return not self.message


def evaluate(
    labels: Iterable[Label], holdout: float = 0.2, seed: int = 0, *, target: str = "action", threshold: float = 0.5
) -> Metrics:
    """Train on (1 - ``holdout``) of the labels, measure on the rest (stratified, seeded)."""
    if not 0 < holdout < 1:
        raise ValueError("holdout must be between 0 and 1")
    positive, kept = TARGETS[target]
    usable = [label for label in labels if kept(label.decision)]
    groups: dict[bool, list[Label]] = {True: [], False: []}
    for label in usable:
        groups[positive(label.decision)].append(label)
    need = max(MIN_PER_CLASS, math.ceil(2 / holdout))
    if any(len(g) < need for g in groups.values()):
        return Metrics(
            0.0, 0.0, 0.0, 0.0, len(usable), 0,
            message=f"need at least {need} labels of each kind (acted on: {len(groups[True])}, "
            f"kept: {len(groups[False])})",
        )  # fmt: skip
    rng = random.Random(seed)
    train: list[Label] = []
    test: list[Label] = []
    for group in groups.values():
        shuffled = group[:]
        rng.shuffle(shuffled)
        cut = max(1, round(len(shuffled) * holdout))
        test += shuffled[:cut]
        train += shuffled[cut:]
    model = NaiveBayes(target).train(train)
    tp = fp = fn = tn = 0
    for label in test:
        truth = positive(label.decision)
        guess = model.score(label.text) >= threshold
        tp += truth and guess
        fp += (not truth) and guess
        fn += truth and not guess
        tn += (not truth) and not guess
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, (tp + tn) / len(test), len(train), len(test), tp, fp, fn, tn)
