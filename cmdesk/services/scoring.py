"""The built-in classifiers, run on a batch of texts in a worker process.

Scoring a comment (language, toxicity, spam, sentiment) is the costliest step of storing it:
about half a millisecond of pure Python, and py3langid's numpy calls hand the GIL back and
forth so often that the UI thread, which needs it for every event, could wait a third of a
second for it. In a process of its own the scoring neither holds the app's GIL nor competes
for it, and it runs on another core while the app stores the previous batch.

``ScoringPool.score(requests)`` returns one ``(Scores, fingerprint)`` per ``(text, lang, links)``,
or None when the worker is not available (not started, or it died: the caller then scores in its
own thread, so nothing is ever left unjudged). The fingerprint is ``RecentTexts.fingerprint``'s
digest, which "same text again" rules need for every item: the worker makes it too, off the
app's GIL. The worker is started with "spawn": forking a
process that runs Qt and threads is unsafe.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from cmdesk.core.child_process import exit_with_parent
from cmdesk.core.cpu_turn import BACKGROUND

log = logging.getLogger("cmdesk.scoring")

Request = tuple[str, str | None, tuple[str, ...]]  # (text, platform language or None, links)
# Smaller batches (the live trickle: a comment or two) are scored in the app: sending them costs
# about what scoring them does, and the worker is then only started for a real catch-up.
MIN_BATCH = 16
WORKER_TIMEOUT_S = 60.0  # a batch takes well under a second; past this the worker is stuck
WORKER_NICENESS = 10  # background work: the UI and the sync come first when cores are busy


def _warm_up() -> None:
    """In the worker: end with the app, step back in the scheduler's queue, and load the models
    once, before the first batch needs them."""
    import os

    exit_with_parent()
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    from cmdesk.core.moderation.classifiers import classify

    for text, lang in (("Merci pour la livraison", "fr"), ("Thanks for the quick reply", "en"), ("?", None)):
        classify(text, lang)


def score_batch(requests: list[Request]) -> list:
    """In the worker: ``(classify(...), fingerprint)`` of every request, in order."""
    from cmdesk.core.moderation.classifiers import classify
    from cmdesk.core.moderation.rules import RecentTexts

    return [(classify(text, lang, links=links), RecentTexts.fingerprint(text)[0]) for text, lang, links in requests]


class ScoredTexts:
    """What the worker returned for a text, ``(Scores, fingerprint)``, kept by (text, language)
    until the judge takes it. Thread-safe, bounded.

    Scores depend on nothing else (see ``ItemFacts.prescored``), so a text delivered twice, or
    by two accounts, is scored once; the oldest are dropped past ``capacity``.
    """

    def __init__(self, capacity: int = 8192) -> None:
        self.capacity = capacity
        self._scores: OrderedDict[tuple[str, str | None], object] = OrderedDict()
        self._lock = threading.Lock()

    def missing(self, requests: list[Request]) -> list[Request]:
        with self._lock:
            return [r for r in requests if (r[0], r[1]) not in self._scores]

    def add(self, requests: list[Request], scores: list) -> None:
        with self._lock:
            for (text, lang, _links), score in zip(requests, scores, strict=True):
                self._scores[(text, lang)] = score
            while len(self._scores) > self.capacity:
                self._scores.popitem(last=False)

    def take(self, text: str, lang: str | None):
        with self._lock:
            return self._scores.pop((text, lang), None)


class ScoringPool:
    """One worker process that scores batches; thread-safe; started on first use or by ``start``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._off = False  # closed, or the worker failed: score in the app

    @property
    def started(self) -> bool:
        return self._executor is not None

    def start(self) -> None:
        """Start the worker and let it load its models in the background (returns at once)."""
        with self._lock:
            if self._executor is not None or self._off:
                return
            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
                )
            except (OSError, RuntimeError) as exc:  # no processes allowed, no /dev/shm…: score in-thread
                log.warning("cannot start the scoring process (%s); scoring in the app", exc)
                self._off = True

    def score(self, requests: list[Request]) -> list | None:
        """The scores of ``requests``, in order; None when the worker cannot give them, or when
        the batch is too small to be worth sending (see ``MIN_BATCH``)."""
        if len(requests) < MIN_BATCH:
            return None
        self.start()
        executor = self._executor
        if executor is None:
            return None
        try:
            future = executor.submit(score_batch, requests)
            with BACKGROUND.released():  # waiting on the worker: other threads may use the turn
                return future.result(timeout=WORKER_TIMEOUT_S)
        except (BrokenProcessPool, TimeoutError, OSError, RuntimeError) as exc:
            log.warning("the scoring process failed (%s); scoring in the app from now on", exc)
            self._give_up()
            return None

    def _give_up(self) -> None:
        with self._lock:
            executor, self._executor, self._off = self._executor, None, True
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker for good (the app is closing)."""
        with self._lock:
            executor, self._executor, self._off = self._executor, None, True
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
