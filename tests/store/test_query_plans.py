"""Regression guard for the scale benchmark: the statements the store really runs use the intended indexes.

A 20,000-item version of the benchmark's history (benchmarks/history.py) is written through
``Store.ingest``; every SELECT the store sends for inbox pages, filtered pages, searches and
sidebar badges is captured (SQLAlchemy ``before_cursor_execute``) and checked with EXPLAIN QUERY
PLAN: no full scan of the item table, and no temporary b-tree sort on inbox pages or badges —
with the planner's statistics absent (a new profile) and present (``PRAGMA optimize`` at close).
No timings: speed is the benchmark's business (benchmarks/run.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event

from benchmarks.history import END, History
from cmdesk.core.models import Platform, Status, View, to_millis
from cmdesk.core.query import InboxQuery
from cmdesk.store.store import Store
from tests.conftest import make_item

pytestmark = pytest.mark.slow
ITEMS = 20_000


@pytest.fixture(scope="module")
def history_store(tmp_path_factory):
    """The benchmark's history at N = 20,000 (a sync every 30 days: larger batches, a quicker build)."""
    history = History(ITEMS, sync_days=30)
    store = Store(tmp_path_factory.mktemp("history") / "cmdesk.db")
    ids = [
        store.add_account(Platform(a.platform), a.name, handle=a.handle, base_url=a.base_url).id
        for a in history.accounts
    ]
    for batch in history.batches():
        store.ingest(ids[batch.account], batch.items, judge=batch.judge)
    yield store, ids
    store.close()


def plans(store: Store, call) -> list[tuple[str, list[str]]]:
    """Run ``call`` and return (statement, EXPLAIN QUERY PLAN lines) for each SELECT it sent."""
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert sent, "the call sent no SELECT"
    out = []
    with store.engine.connect() as conn:
        for statement, parameters in sent:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            out.append((statement, [row[3] for row in rows]))
    return out


def full_scans(lines: list[str]) -> list[str]:
    """Plan lines that read a whole table of items (a bare SCAN, not an index walk)."""
    tables = ("item", "item_tag", "newer", "sample")
    return [ln for ln in lines if ln.startswith("SCAN ") and ln.split()[1] in tables and " USING " not in ln]


def sorts(lines: list[str]) -> list[str]:
    return [ln for ln in lines if "TEMP B-TREE" in ln]


def largest_account(ids):
    return ids[0]  # the history's accounts are in decreasing size


def page_queries(ids) -> dict[str, InboxQuery]:
    account = largest_account(ids)
    recent = (END - timedelta(days=90), END - timedelta(days=30))
    return {
        "all": InboxQuery(),
        "unanswered": InboxQuery(view=View.UNANSWERED),
        "unanswered, one account": InboxQuery(view=View.UNANSWERED, account_id=account),
        "all, one account": InboxQuery(account_id=account),
        "moderation": InboxQuery(view=View.MODERATION),
        "moderation, most severe first": InboxQuery(view=View.MODERATION, most_severe_first=True),
        "mentions": InboxQuery(view=View.MENTIONS),
        "done, one account": InboxQuery(view=View.DONE, account_id=account),
        "spam": InboxQuery(view=View.SPAM),
        "platform": InboxQuery(view=View.UNANSWERED, platform=Platform.BLUESKY),
        "status + tag + dates": InboxQuery(statuses=(Status.NEW,), tag="livraison", since=recent[0], until=recent[1]),
        "unanswered + tag": InboxQuery(view=View.UNANSWERED, tag="remboursement"),
        "dates": InboxQuery(view=View.UNANSWERED, account_id=account, since=recent[0], until=recent[1]),
    }


@pytest.mark.parametrize("analysed", [False, True], ids=["no statistics", "after ANALYZE"])
def test_inbox_pages_walk_an_index_in_order(history_store, analysed):
    store, ids = history_store
    if analysed:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    deep_time = (to_millis(END - timedelta(days=200)), 10**9)
    for name, query in page_queries(ids).items():
        deep = (50, *deep_time) if query.by_severity() else deep_time
        for after in (None, deep):
            for statement, lines in plans(store, lambda q=query, a=after: store.page(q, a, 50)):
                assert not full_scans(lines), (name, statement, lines)
                assert not sorts(lines), (name, statement, lines)
        for statement, lines in plans(store, lambda q=query, d=deep: store.newer(q, d)):
            assert not full_scans(lines), (name, statement, lines)
            assert not sorts(lines), (name, statement, lines)


def test_each_view_uses_its_index(history_store):
    store, ids = history_store
    expected = {
        "unanswered, one account": "ix_item_account_status_created (account_id=? AND status=?)",
        "unanswered": "ix_item_status_created (status=?)",
        "status + tag + dates": "ix_item_tag_tag_created (tag_id=? AND created_at>? AND created_at<?)",
        "unanswered + tag": "ix_item_tag_tag_created (tag_id=?)",
        "dates": "ix_item_account_status_created (account_id=? AND status=? AND created_at>? AND created_at<?)",
        "moderation": "ix_item_queue_created (queue=?)",
        "moderation, most severe first": "ix_item_queue_severity_created (queue=?)",
    }
    queries = page_queries(ids)
    for name, index in expected.items():
        [(statement, lines)] = plans(store, lambda q=queries[name]: store.page(q, None, 50))
        assert any(index in ln for ln in lines), (name, statement, lines)
    # The keyset continues inside the index range instead of filtering rows already read.
    [(statement, lines)] = plans(store, lambda: store.page(queries["unanswered, one account"], (1, 1), 50))
    assert any("created_at<?" in ln for ln in lines), (statement, lines)


def test_badges_read_the_counters_not_the_items(history_store):
    store, _ids = history_store
    [(statement, lines)] = plans(store, store.counts)
    assert "view_count" in statement and " item " not in statement
    assert not sorts(lines) and not full_scans(lines), lines


@pytest.mark.parametrize("text", ["merci", '"pas reçu"', "rembours*", "decu", "quetsche"])
def test_search_reads_hits_newer_than_a_bound_not_every_hit(history_store, text):
    store, ids = history_store
    for query in (InboxQuery(search=text), InboxQuery(search=text, view=View.UNANSWERED, account_id=ids[0])):
        [(statement, lines)] = plans(store, lambda q=query: store.page(q, None, 50))
        assert not full_scans(lines), (statement, lines)
        assert any("VIRTUAL TABLE" in ln for ln in lines), lines
        # The bound on ids is read from the time index, never by walking the table in id order.
        assert any("ix_item_created (created_at>?)" in ln for ln in lines), lines


def brute_force(store: Store, text: str) -> list[int]:
    """Every hit sorted newest first, the slow way."""
    flt = store.inbox_filter(InboxQuery(search=text))
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT item.id FROM item JOIN item_fts ON item_fts.rowid = item.id "
            "WHERE item_fts MATCH ? AND item.status != 4 ORDER BY item.created_at DESC, item.id DESC",
            (flt.fts.match,),
        ).all()
    return [r[0] for r in rows]


@pytest.mark.parametrize("text", ["merci", '"pas reçu"', "rembours*", "decu", "croissant"])
def test_search_pages_are_exactly_newest_first(history_store, text):
    store, _ids = history_store
    expected = brute_force(store, text)
    got, after = [], None
    while page := store.page(InboxQuery(search=text), after, 50):
        got += [r.id for r in page]
        after = page[-1].key
        if len(got) >= 400:
            break
    assert got == expected[: len(got)]
    assert len(got) == min(400, len(expected))


def test_search_is_exact_when_ids_do_not_follow_time(store, account, monkeypatch):
    """An account synced late gets high ids for old items: the newest hits must still come first."""
    import cmdesk.store.search as search

    monkeypatch.setattr(search, "FEW_HITS", 10)  # take the bounded path even on a small history
    recent = [replace(make_item(n, text=f"merci {n}"), platform_item_id=f"r{n}") for n in range(0, 300)]
    store.ingest(account.id, recent)  # minutes 0..299 before NOW, low ids
    old = [replace(make_item(n, text=f"merci {n}"), platform_item_id=f"o{n}") for n in range(300, 900)]
    store.ingest(account.id, old)  # older, higher ids
    late = [replace(make_item(n, text=f"merci late {n}", minutes=n - 1000), platform_item_id=f"l{n}")
            for n in range(0, 40)]  # fmt: skip
    store.ingest(account.id, late)  # newest of all, highest ids
    backfill = [replace(make_item(n, text=f"merci {n}", minutes=n + 0.5), platform_item_id=f"b{n}")
                for n in range(0, 300, 3)]  # fmt: skip
    store.ingest(account.id, backfill)  # interleaved with the recent ones, highest ids
    expected = brute_force(store, "merci")
    got, after = [], None
    while page := store.page(InboxQuery(search="merci"), after, 50):
        got += [r.id for r in page]
        after = page[-1].key
    assert got == expected
    newer = store.newer(InboxQuery(search="merci"), store.page(InboxQuery(search="merci"), None, 50)[-1].key)
    assert [r.id for r in newer] == expected[:49]
