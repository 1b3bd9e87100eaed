"""The simulator's notification and conversation pages, served from cached JSON texts and found
by walking in from one end of the notifications, are byte for byte what rendering every entity
as a dict and paging over every notification gives (the reference below), before and after
changes (edits, deletions, replies, blocks, new accounts) that must show in them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode

import pytest

from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.connectors.simulators.mastodon_entities import iso
from cmdesk.connectors.simulators.server import Request
from cmdesk.core.models import ItemKind
from tests.connectors.mastodon.mastodon_testkit import at


def _get(sim: MastodonSimulator, path: str, query: list[tuple[str, str]]):
    request = Request("GET", path, parse_qs(urlencode(query), keep_blank_values=True), _auth(sim), b"")
    response = sim.dispatch(request)
    return response.status, response.encoded(), response.headers.get("Link"), request


def _auth(sim: MastodonSimulator) -> dict[str, str]:
    return {"authorization": f"Bearer {sim.owner_token}"}


# ---- the reference: every notification filtered, sorted and paged; every entity a dict


def _reference_notifications(sim: MastodonSimulator, request: Request) -> tuple[bytes, str | None]:
    sim._tally_cache = None  # counted afresh: the reference owes nothing to the change counter
    types, excluded = set(request.args("types")), set(request.args("exclude_types"))
    live = {}
    for n in sim._notifications:
        status = sim._statuses.get(n["status_id"]) if n["status_id"] else None
        if (
            (types and n["type"] not in types)
            or n["type"] in excluded
            or (status and status["deleted"])
            or n["account_id"] in sim._blocks
            or n["account_id"] in sim._mutes
        ):
            continue
        live[int(n["id"])] = n
    rows = sim._page(list(live), request, 40, 80)
    body = []
    for key in rows:
        n = live[key]
        status = sim._statuses.get(n["status_id"]) if n["status_id"] else None
        body.append(
            {
                "id": n["id"],
                "type": n["type"],
                "created_at": iso(n["created_at"]),
                "group_key": f"ungrouped-{n['id']}",
                "account": sim._account_json(n["account_id"]),
                "status": sim._status_json(status) if status else None,
            }
        )
    link = sim._link("/api/v1/notifications", request, [str(k) for k in rows]).get("Link")
    return json.dumps(body, ensure_ascii=False).encode("utf-8"), link


def _reference_conversations(sim: MastodonSimulator, request: Request) -> tuple[bytes, str | None]:
    sim._tally_cache = None
    groups: dict[str, list[dict]] = {}
    for s in sim._statuses.values():
        visible = s["account_id"] == sim.owner_id or sim.owner_id in s["mention_ids"]
        if s["visibility"] == "direct" and not s["deleted"] and visible:
            groups.setdefault(sim._root_of(s["id"]), []).append(s)
    by_last = {}
    for root, members in groups.items():
        last = max(members, key=lambda s: int(s["id"]))
        people = {a for s in members for a in [s["account_id"], *s["mention_ids"]]} - {sim.owner_id}
        by_last[int(last["id"])] = {
            "id": sim._conversation_ids[root],  # given by the page served just before
            "unread": last["account_id"] != sim.owner_id,
            "accounts": [sim._account_json(a) for a in sorted(people)],
            "last_status": sim._status_json(last),
        }
    rows = sim._page(list(by_last), request, 20, 40)
    link = sim._link("/api/v1/conversations", request, [str(k) for k in rows]).get("Link")
    return json.dumps([by_last[k] for k in rows], ensure_ascii=False).encode("utf-8"), link


# ---- a simulator with every shape of notification and status


def _populate(sim: MastodonSimulator) -> dict[str, str]:
    sim.add_account(
        "e1", "@émile@remote.example", "Émile \u202e🥐", emojis=[{"shortcode": "blob", "url": "https://x/b"}]
    )
    ids = {}
    for n in range(30):
        ids[f"m{n}"] = sim.seed_incoming(
            author_id=f"a{n % 7}",
            author_name=f"Author {n % 7} \u200b",
            author_handle=f"author{n % 7}" if n % 3 else f"author{n % 7}@far.example",
            text=f"hello @cmdesk <b>{n}</b> & https://example.com/{n}\n\nsecond \u2067paragraph\u2069",
            created_at=at(n),
            kind=[ItemKind.MENTION, ItemKind.REPLY, ItemKind.DIRECT_MESSAGE][n % 3],
            thread_key=f"t{n % 4}" if n % 2 else None,
            lang="fr" if n % 5 else "",
        )
    ids["rich"] = sim.seed_status(
        "e1",
        html_content='<p>raw <span class="h-card">@x</span> "quoted"</p>',
        created_at=at(40),
        mentions=[sim.owner_id, "e1"],
        spoiler_text="CW: ✨",
        media=[{"id": "9", "type": "image", "description": "a cat"}],
        poll={"id": "1", "options": [{"title": "yes", "votes_count": 1}]},
        emojis=[{"shortcode": "blob"}],
    )
    ids["boost"] = sim.seed_boost("a1", ids["m1"])
    ids["fav"] = sim.seed_notification("favourite", "a2", ids["m2"])
    ids["follow"] = sim.seed_notification("follow", "a3")
    return ids


QUERIES = [
    [],
    [("limit", "5")],
    [("limit", "0")],
    [("limit", "500")],
    [("types[]", "mention")],
    [("types[]", "mention"), ("types[]", "follow"), ("limit", "3")],
    [("exclude_types[]", "mention")],
    [("types[]", "mention"), ("limit", "4"), ("min_id", "30003")],
    [("limit", "4"), ("max_id", "30010")],
    [("limit", "4"), ("since_id", "30005")],
    [("limit", "6"), ("since_id", "30002"), ("min_id", "30004"), ("max_id", "30020")],
    [("min_id", "0")],
    [("min_id", "99999")],
    [("max_id", "1")],
    [("max_id", "30012"), ("min_id", "30020")],
    [("max_id", "abc"), ("min_id", "")],
    [("limit", "2"), ("min_id", "30030")],
]


def _same_pages(sim: MastodonSimulator) -> None:
    for query in QUERIES:
        status, body, link, request = _get(sim, "/api/v1/notifications", query)
        assert status == 200, body
        assert (body, link) == _reference_notifications(sim, request), query
        status, body, link, request = _get(sim, "/api/v1/conversations", query)
        assert status == 200, body
        assert (body, link) == _reference_conversations(sim, request), query


@pytest.fixture
def sim():
    with MastodonSimulator(owner_role="admin", rate_budget=10**6) as server:
        yield server


def test_pages_are_what_the_reference_renders(sim):
    _populate(sim)
    _same_pages(sim)
    _same_pages(sim)  # served again from the cached texts


def test_texts_rendered_ahead_serve_the_same_pages_and_still_follow_changes(sim):
    ids = _populate(sim)
    sim.render_cached_texts()  # as the sync benchmark does after seeding
    _same_pages(sim)
    sim.edit_status(ids["m0"], "edited again ✏️ @cmdesk")
    _same_pages(sim)


def test_pages_follow_every_change(sim):
    ids = _populate(sim)
    _same_pages(sim)
    sim.edit_status(ids["m0"], "edited ✏️ @cmdesk")
    _same_pages(sim)
    sim.delete_status(ids["m3"])  # its notification goes, its author's statuses_count drops
    _same_pages(sim)
    sim.seed_status("a1", "hi @cmdesk and @ghost", created_at=at(45), mentions=[sim.owner_id, "ghost"])
    _same_pages(sim)
    sim.add_account("ghost", "@ghost@far.example", "Ghost")  # now listed among the mentions
    _same_pages(sim)
    sim.add_account("late", "@late", "Late Comer")
    sim.seed_incoming(
        author_id="late", author_name="Late", author_handle="late", text="hi", created_at=at(50), kind=ItemKind.REPLY
    )
    _same_pages(sim)
    form = {"status": "@author1 thanks", "in_reply_to_id": ids["m1"], "visibility": "direct"}
    headers = _auth(sim) | {"content-type": "application/x-www-form-urlencoded"}
    posted = sim.dispatch(Request("POST", "/api/v1/statuses", {}, headers, urlencode(form).encode()))
    assert posted.status == 200  # replies_count of m1 moves, a conversation gains a message
    _same_pages(sim)
    blocked = sim.dispatch(Request("POST", "/api/v1/accounts/a2/block", {}, _auth(sim), b""))
    assert blocked.status == 200  # a2's notifications go, and so does a follower
    _same_pages(sim)
    removed = sim.dispatch(
        Request("DELETE", f"/api/v1/statuses/{json.loads(posted.encoded())['id']}", {}, _auth(sim), b"")
    )
    assert removed.status == 200
    _same_pages(sim)


def test_bad_pagination_values_answer_as_before(sim):
    _populate(sim)
    for query in ([("limit", "many")], [("max_id", "²")]):
        status, body, _, _ = _get(sim, "/api/v1/notifications", query)
        assert status == 400 and b"Invalid request" in body


def test_lone_surrogates_fail_when_sent_as_before(sim):
    """The page is encoded to UTF-8 only when sent, where encoding a dict body fails too."""
    sim.seed_incoming(
        author_id="s", author_name="S", author_handle="s", text="bad \ud800", created_at=at(1), kind=ItemKind.MENTION
    )
    request = Request("GET", "/api/v1/notifications", {}, _auth(sim), b"")
    response = sim.dispatch(request)
    assert response.status == 200
    with pytest.raises(UnicodeEncodeError):
        response.encoded()


def test_iso_times():
    assert iso(datetime(2024, 5, 1, 12, 3, 4, 987654, tzinfo=UTC)) == "2024-05-01T12:03:04.987Z"
    moment = datetime(999, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)
    assert iso(moment) == moment.strftime("%Y-%m-%dT%H:%M:%S.") + "006Z"
