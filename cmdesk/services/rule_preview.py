"""Trying rules on the stored history before switching them on.

``preview`` runs rules over every stored item (a page at a time, constant memory), and says
how many would have matched, week by week, with samples and the matched terms, so false
positives show up before the rule touches anything. It reports progress and stops as soon
as it is cancelled; the editor runs it on a worker thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from cmdesk.core.models import Account, Item, Status
from cmdesk.core.moderation import ItemFacts, Match, RecentTexts, Rule, RuleSet
from cmdesk.core.moderation.rules import BROAD_RATE
from cmdesk.core.query import InboxQuery

MAX_SAMPLES = 40
ALL_STATUSES = tuple(Status)


class Cancelled(Exception):
    pass


@dataclass
class PreviewResult:
    total: int = 0
    matched: int = 0
    by_week: Counter = field(default_factory=Counter)  # "2026-W47" -> matches
    per_rule: Counter = field(default_factory=Counter)
    samples: list[tuple[Item, Match]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def too_broad(self) -> bool:
        return self.total >= 20 and self.rate >= BROAD_RATE


def week_of(the_item: Item) -> str:
    year, week, _ = the_item.created_at.isocalendar()
    return f"{year}-W{week:02d}"


def preview(
    store,
    rules: list[Rule],
    accounts: dict[int, Account],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = 500,
) -> PreviewResult:
    """Evaluate ``rules`` (as a set: the first match decides) over the whole stored history."""
    ruleset = RuleSet.compile([r for r in rules if r.enabled])
    recent = RecentTexts()
    result = PreviewResult()
    total = store.item_count()
    query = InboxQuery(statuses=ALL_STATUSES)
    for the_item, author_is_new in _with_author_news(store, store.iter_items(query, batch=batch), ruleset, batch):
        if cancelled is not None and result.total % batch == 0 and cancelled():
            raise Cancelled
        result.total += 1
        account = accounts.get(the_item.account_id)
        if account is None:
            continue
        facts = ItemFacts.from_item(the_item, account, author_is_new=author_is_new)
        recent.observe(facts.text, facts.author_handle)
        match = ruleset.evaluate(facts, recent)
        if match is not None:
            result.matched += 1
            result.by_week[week_of(the_item)] += 1
            result.per_rule[match.rule] += 1
            if len(result.samples) < MAX_SAMPLES:
                result.samples.append((the_item, match))
        if progress is not None and result.total % batch == 0:
            progress(result.total, total)
    if progress is not None:
        progress(result.total, max(total, result.total))
    return result


def _with_author_news(store, items: Iterable[Item], ruleset: RuleSet, batch: int) -> Iterator[tuple[Item, bool]]:
    """Each item with whether it is its author's first (asked of the store only if a rule cares)."""
    if not ruleset.uses_author_new:
        yield from ((the_item, False) for the_item in items)
        return
    items = iter(items)
    while chunk := list(islice(items, batch)):
        first = store.authors_first_items([i.id for i in chunk])
        yield from ((the_item, the_item.id in first) for the_item in chunk)
