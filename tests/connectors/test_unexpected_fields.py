"""A newer server adds fields CMDesk has never seen to every object it sends (Mastodon's API
docs, the AT Protocol's lexicons and the Matrix spec all tell clients to ignore unknown
attributes): the connectors read the same items, threads and replies as before, and show none
of the new text.

Matrix's JSON also holds maps keyed by room and user ids (``rooms.join``, power levels,
``m.direct``): there an added key would be a new room or user, not a new field, so its simulator
names those maps and they keep their keys (``MatrixSimulator.is_keyed_map``)."""

from __future__ import annotations

import pytest

from cmdesk.core.models import ItemKind, Platform
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import target_of
from tests.services.simkit import add_simulated_account, seed


@pytest.fixture(params=[Platform.MASTODON, Platform.BLUESKY, Platform.MATRIX], ids=lambda p: p.value)
def platform_sim(request):
    if request.param == Platform.MASTODON:
        from cmdesk.connectors.simulators.mastodon import MastodonSimulator

        server = MastodonSimulator(owner_role="user")
    elif request.param == Platform.BLUESKY:
        from cmdesk.connectors.simulators.bluesky import BlueskySimulator

        server = BlueskySimulator()
    else:
        from cmdesk.connectors.simulators.matrix import MatrixSimulator

        server = MatrixSimulator()
    with server as sim:
        yield request.param, sim


def readable(item) -> tuple:
    """What CMDesk keeps of an item, without the raw reference it keeps for the platform."""
    return (
        item.platform_item_id,
        item.kind,
        item.text,
        item.created_at,
        item.author.platform_author_id,
        item.author.display_name,
        item.author.url,
        item.author.handle,
        item.thread_platform_id,
        item.parent_platform_id,
        item.is_own,
    )


def test_extra_fields_everywhere_change_nothing_read(store, platform_sim):
    platform, sim = platform_sim
    account, make = add_simulated_account(store, sim, platform)
    seed(sim, 12, kind=ItemKind.REPLY, thread="launch")
    seed(sim, 3, start=12, kind=ItemKind.MENTION)
    plain = make().fetch(None)
    plain_capabilities = make().capabilities()

    sim.faults.extra_fields = True
    newer = make()  # signs in, reads its settings and capabilities from the newer server too
    extended = newer.fetch(None)
    assert [readable(i) for i in extended.items] == [readable(i) for i in plain.items]
    assert len(extended.items) >= 15 and extended.more == plain.more  # (Matrix adds the thread's own post)
    assert not any("x_future" in i.text or "not for display" in i.text for i in extended.items)

    store.ingest(account.id, extended.items)
    rows = store.page(InboxQuery(account_id=account.id), limit=50)
    target = target_of(store.item(next(r.id for r in rows if r.kind == ItemKind.REPLY)))
    sim.faults.extra_fields = False
    thread_before = [readable(i) for i in make().context(target)]
    assert thread_before  # the post replied to, at least
    sim.faults.extra_fields = True
    assert [readable(i) for i in newer.context(target)] == thread_before
    posted = newer.reply(target, "Merci, c'est noté !", "extra-fields-1")
    assert posted.is_own and "Merci, c'est noté !" in posted.text
    assert len(sim.posted_replies()) == 1
    assert newer.capabilities() == plain_capabilities
