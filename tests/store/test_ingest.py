"""The idempotent upsert: what a second delivery may change, and what it must never touch."""

from dataclasses import replace

import pytest

from cmdesk.core.models import Flag, IncomingAuthor, ItemKind, Moderation, QueueState, Status, Verdict, View
from cmdesk.core.query import InboxQuery
from cmdesk.store.store import MAX_TEXT_CHARS, UNCHANGED
from tests.conftest import make_item


def test_same_batch_twice_stores_each_item_once(store, account):
    batch = [make_item(n) for n in range(30)]
    first = store.ingest(account.id, batch, cursor="c1")
    second = store.ingest(account.id, batch, cursor="c2")
    assert len(first.new_ids) == 30
    assert second.new_ids == () and second.updated == 30
    assert store.item_count() == 30
    assert store.sync_state(account.id).cursor == "c2"
    assert store.sync_state(account.id).items_synced == 30


def test_duplicates_inside_a_batch_keep_the_last_copy(store, account):
    result = store.ingest(account.id, [make_item(1, text="first"), make_item(1, text="edited")])
    assert len(result.new_ids) == 1
    assert store.item(result.new_ids[0]).text == "edited"


def test_redelivery_updates_platform_facts_but_never_local_state(store, account):
    (item_id,) = store.ingest(account.id, [make_item(1, text="typo")]).new_ids
    store.set_status([item_id], Status.DONE, actor="me")
    store.add_tag([item_id], "vip", actor="me")
    store.add_note(item_id, "called back", agent="me")
    store.ingest(account.id, [make_item(1, text="fixed typo", moderation=Moderation.HIDDEN)])
    item = store.item(item_id)
    assert item.text == "fixed typo"
    assert item.moderation == Moderation.HIDDEN
    assert item.status == Status.DONE and item.tags == ("vip",)
    assert [n.text for n in store.notes(item_id)] == ["called back"]
    assert [r.id for r in store.page(InboxQuery(search="fixed"))] == [item_id]
    assert store.page(InboxQuery(search="typo -fixed")) == []
    # Moderation only moves forward: a later "visible" from the platform does not unhide.
    store.ingest(account.id, [make_item(1, text="fixed typo")])
    assert store.item(item_id).moderation == Moderation.HIDDEN


def test_a_failed_batch_stores_nothing_and_keeps_the_cursor(store, account):
    store.ingest(account.id, [make_item(1)], cursor="before")

    def judge(entry, author_is_new):
        if entry.platform_item_id == "p5":
            raise RuntimeError("boom")
        return None

    with pytest.raises(RuntimeError):
        store.ingest(account.id, [make_item(n) for n in range(2, 8)], cursor="after", judge=judge)
    assert store.item_count() == 1
    assert store.sync_state(account.id).cursor == "before"
    # The same batch again, now that it can be judged: the authors and threads the failed
    # transaction had written (and rolled back) are written again, not taken from a stale cache.
    again = [make_item(n, thread="conversation-2") for n in range(2, 8)]
    assert len(store.ingest(account.id, again, cursor="after").new_ids) == 6
    assert store.item_count() == 7 and store.sync_state(account.id).cursor == "after"


def test_a_failed_batch_leaves_no_stale_author_or_thread_behind(store, account):
    def broken(entry, author_is_new):
        raise RuntimeError("boom")

    batch = [make_item(n, author="newcomer", thread="t-new") for n in (1, 2)]
    with pytest.raises(RuntimeError):
        store.ingest(account.id, batch, judge=broken)
    [first, _] = store.ingest(account.id, batch).new_ids
    stored = store.item(first)
    assert stored.author.handle == "newcomer@example.social" and stored.thread_id is not None


def test_cursor_is_left_alone_unless_given(store, account):
    store.ingest(account.id, [make_item(1)], cursor="c1")
    store.ingest(account.id, [make_item(2)], cursor=UNCHANGED)
    assert store.sync_state(account.id).cursor == "c1"


def test_own_items_are_done_and_outside_the_views(store, account):
    store.ingest(account.id, [make_item(1, is_own=True), make_item(2)])
    assert [r.is_own for r in store.page(InboxQuery(view=View.ALL))] == [False]
    own = store.page(InboxQuery(view=View.ALL, search="number"))
    assert {r.is_own for r in own} == {True, False}
    assert store.counts().unread_by_account[account.id] == 1


def test_verdicts_flag_tag_and_mark_spam_new_items_only(store, account):
    def judge(entry, author_is_new):
        if "spam" in entry.text:
            return Verdict(status=Status.SPAM, tags=("promo",))
        if "idiot" in entry.text:
            return Verdict(flag=Flag("Insult", ("idiot",), "insults", 80))
        return None

    ids = store.ingest(account.id, [make_item(1, text="buy spam now"), make_item(2, text="you idiot")], judge=judge)
    spam, insult = (store.item(i) for i in ids.new_ids)
    assert spam.status == Status.SPAM and spam.tags == ("promo",)
    assert insult.queue == QueueState.PENDING and insult.flag.terms == ("idiot",) and insult.flag.severity == 80
    assert [r.id for r in store.page(InboxQuery(view=View.MODERATION))] == [insult.id]
    # A second delivery does not judge again: the moderator's decision stands.
    store.set_queue([insult.id], QueueState.APPROVED)
    store.ingest(account.id, [make_item(2, text="you idiot")], judge=judge)
    assert store.item(insult.id).queue == QueueState.APPROVED


def test_huge_text_is_kept_up_to_the_limit(store, account):
    hundred_kb = "é" * 100_000
    huge = "x" * (MAX_TEXT_CHARS + 10)
    ids = store.ingest(account.id, [make_item(1, text=hundred_kb), make_item(2, text=huge)]).new_ids
    assert store.item(ids[0]).text == hundred_kb
    assert store.item(ids[1]).text.endswith("[…]") and len(store.item(ids[1]).text) < MAX_TEXT_CHARS + 10


def test_hostile_names_are_cleaned_on_the_way_in(store, account):
    hostile = IncomingAuthor("evil", "\u202eSupport\u200b Team\u2066", "\u200bsupport")
    (item_id,) = store.ingest(account.id, [replace(make_item(1), author=hostile)]).new_ids
    author = store.item(item_id).author
    assert author.display_name == "Support Team"
    assert author.handle == "support"


def test_threads_and_authors(store, account):
    ids = store.ingest(
        account.id, [make_item(n, thread="t1", author="ana" if n % 2 else "bob") for n in range(1, 7)]
    ).new_ids
    item = store.item(ids[0])
    thread = store.thread_rows(item)
    assert [r.id for r in thread] == sorted(ids, key=lambda i: store.item(i).created_at)
    history = store.author_rows(item.author.id, exclude=item.id)
    assert all(store.item(r.id).author.platform_author_id == item.author.platform_author_id for r in history)
    assert store.author_item_count(item.author.id) == 3


def test_a_busy_thread_shows_the_messages_around_the_item(store, account):
    """300 replies under one post: an early one is shown among its neighbours, not left out of
    the newest ones; near either end of the thread the room goes to the other side."""
    ids = store.ingest(account.id, [make_item(n, thread="busy") for n in range(300)]).new_ids
    oldest_first = sorted(ids, key=lambda i: store.item(i).created_at)

    def shown(position: int, limit: int = 100) -> list[int]:
        return [r.id for r in store.thread_rows(store.item(oldest_first[position]), limit=limit)]

    assert shown(120) == oldest_first[71:171]  # 50 up to it (it included), 50 after
    assert shown(10) == oldest_first[:100]  # near the start: more after
    assert shown(295) == oldest_first[200:]  # near the end: more before
    assert shown(0, limit=1) == oldest_first[:1]
    assert shown(150, limit=7) == oldest_first[148:155]


def test_parent_chain_when_there_is_no_thread(store, account):
    store.ingest(
        account.id, [make_item(3), make_item(2, parent_platform_id="p3"), make_item(1, parent_platform_id="p2")]
    )
    leaf = store.item(store.page(InboxQuery())[0].id)
    assert [store.item(r.id).platform_item_id for r in store.thread_rows(leaf)] == ["p3", "p2", "p1"]


def test_kinds_are_kept(store, account):
    store.ingest(account.id, [make_item(1, kind=ItemKind.DIRECT_MESSAGE)])
    assert store.page(InboxQuery())[0].kind == ItemKind.DIRECT_MESSAGE
