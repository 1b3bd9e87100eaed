"""The page worker: a large page is parsed in another process, with the same items and the same
errors as in the calling thread; a worker that dies or is shut down costs speed, never a page."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
import requests

from cmdesk.connectors.base import Transient
from cmdesk.connectors.mastodon import NOTIFICATION_PAGE
from cmdesk.connectors.mastodon_parse import Malformed, Me, notifications_page
from cmdesk.connectors.page_worker import MIN_BYTES, PageWorker
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import ItemKind
from tests.connectors.mastodon.mastodon_testkit import at, make_connector


def parser_pid(body: bytes) -> int:
    """A "parser" that tells which process ran it (module level: the worker imports it)."""
    return os.getpid()


def imported(body: bytes, names: tuple[str, ...]) -> list[bool]:
    """A "parser" that tells which of ``names`` its process had imported before it ran."""
    import sys

    return [name in sys.modules for name in names]


def slow_in_worker(body: bytes, parent_pid: int) -> int:
    """A parser that hangs in the worker only (in the calling process it answers at once)."""
    if os.getpid() != parent_pid:
        time.sleep(120)
    return os.getpid()


@pytest.fixture
def worker():
    pages = PageWorker()
    yield pages
    pages.shutdown()


@pytest.fixture(scope="module")
def mentions():
    """A full page of mention notifications as the simulator sends it, and who reads it."""
    with MastodonSimulator(owner_role="user") as sim:
        for i in range(NOTIFICATION_PAGE):
            sim.seed_incoming(
                author_id=f"30{i % 7}",
                author_name=f"Client {i % 7} <b>bold</b>",
                author_handle=f"@client{i % 7}@other.social",
                text=f"Commande n°{i} pas encore livrée\u200b \u202eélas https://example.org/{i}",
                created_at=at(i),
                kind=ItemKind.MENTION,
            )
        conn = make_connector(sim)
        me = conn._me()
        response = requests.get(
            f"{sim.base_url}/api/v1/notifications",
            params={"types[]": "mention", "limit": str(NOTIFICATION_PAGE)},
            headers={"Authorization": f"Bearer {conn.vault.get('access_token')}"},
            timeout=10,
        )
        response.raise_for_status()
        yield response.content, Me(me.account_id, me.acct, me.domain)


def test_a_large_page_is_parsed_in_the_worker_and_a_small_one_here(worker):
    assert worker.run(parser_pid, b"x" * MIN_BYTES) != os.getpid()
    assert worker.run(parser_pid, b"x" * (MIN_BYTES - 1)) == os.getpid()


def test_start_readies_the_worker_and_its_parsers_before_the_first_page(worker):
    worker.parser_modules.add("colorsys")  # a module nothing else here imports
    assert not worker.started
    worker.start()
    assert worker.started
    assert worker.run(imported, b"x" * MIN_BYTES, ("colorsys",)) == [True]
    worker.start()  # again: the same worker, nothing lost
    assert worker.run(parser_pid, b"x" * MIN_BYTES) not in (os.getpid(), None)


def test_the_worker_gives_the_items_the_calling_thread_would(worker, mentions):
    body, me = mentions
    assert len(body) >= MIN_BYTES  # a full page is large enough to be sent
    result, ids, count = worker.run(notifications_page, body, "social.example", me)
    assert (result, ids, count) == notifications_page(body, "social.example", me)
    assert count == len(ids) == len(result.items) == NOTIFICATION_PAGE


def test_errors_raised_in_the_worker_reach_the_caller_unchanged(worker):
    truncated = b'[{"id": "1", "type": "mention", "status": {"content": "' + b"a" * MIN_BYTES
    with pytest.raises(Transient, match=r"social\.example sent a malformed answer"):
        worker.run(notifications_page, truncated, "social.example", Me("1", "me", "social.example"))
    not_a_list = b'{"error": "' + b"a" * MIN_BYTES + b'"}'
    with pytest.raises(Malformed, match="not a list"):
        worker.run(notifications_page, not_a_list, "social.example", Me("1", "me", "social.example"))
    assert worker.run(parser_pid, b"x" * MIN_BYTES) != os.getpid()  # an error is not a broken worker


def test_a_killed_worker_costs_no_page_and_pages_are_then_parsed_here(worker, mentions):
    body, me = mentions
    os.kill(worker.run(parser_pid, b"x" * MIN_BYTES), signal.SIGKILL)
    assert worker.run(notifications_page, body, "social.example", me) == notifications_page(body, "social.example", me)
    assert worker.run(parser_pid, b"x" * MIN_BYTES) == os.getpid()


def test_after_a_shutdown_the_next_large_page_starts_a_new_worker(worker):
    first = worker.run(parser_pid, b"x" * MIN_BYTES)
    worker.shutdown()
    second = worker.run(parser_pid, b"x" * MIN_BYTES)
    assert second not in (first, os.getpid())


def test_a_catch_up_sends_its_full_pages_to_the_worker(monkeypatch):
    class CountingWorker(PageWorker):
        sent = 0

        def _executor_for(self, body):
            executor = super()._executor_for(body)
            self.sent += executor is not None
            return executor

    pages = CountingWorker()
    monkeypatch.setattr("cmdesk.connectors.mastodon.PAGES", pages)
    try:
        with MastodonSimulator(owner_role="user") as sim:
            conn = make_connector(sim)
            first = conn.fetch(None)  # the first sync: everything after it is new
            for i in range(2 * NOTIFICATION_PAGE + 5):
                sim.seed_incoming(
                    author_id="3001",
                    author_name="Client",
                    author_handle="@client@other.social",
                    text=f"Bonjour, où en est ma commande n°{i} ? " + "Merci d'avance. " * 8,
                    created_at=at(i),
                    kind=ItemKind.MENTION,
                )
            cursor, texts = first.cursor, []
            while True:
                batch = conn.fetch(cursor)
                texts += [item.text for item in batch.items]
                cursor = batch.cursor
                if not batch.more:
                    break
    finally:
        pages.shutdown()
    assert len(texts) == len(set(texts)) == 2 * NOTIFICATION_PAGE + 5
    assert pages.sent == 2  # the two full pages; the last five were read here


def test_a_stuck_worker_is_killed_and_the_page_is_parsed_here():
    pages = PageWorker(timeout_s=1.0)
    try:
        stuck = pages.run(parser_pid, b"x" * MIN_BYTES)
        assert pages.run(slow_in_worker, b"x" * MIN_BYTES, os.getpid()) == os.getpid()
        deadline = time.monotonic() + 10
        while stuck in [p.pid for p in multiprocessing.active_children()] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stuck not in [p.pid for p in multiprocessing.active_children()]  # not left to block the exit
        assert pages.run(parser_pid, b"x" * MIN_BYTES) == os.getpid()  # parsed here from now on
    finally:
        pages.shutdown()
