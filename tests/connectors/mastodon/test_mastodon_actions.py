"""Replies (visibility, mentions, idempotency, reconciliation) and moderation verbs, per account role."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cmdesk.connectors.base import NotFound, Permanent, Target, Verb
from cmdesk.connectors.mastodon import NO_DELETE_OTHERS, NO_HIDE
from cmdesk.core.models import ItemKind
from tests.connectors.mastodon.mastodon_testkit import at, make_connector


def incoming(sim, conn, kind=ItemKind.REPLY, *, author="2001", handle="@bob@other.social", text="hello", thread="t"):
    sim.seed_incoming(
        author_id=author,
        author_name="Bob",
        author_handle=handle,
        text=text,
        created_at=at(0),
        kind=kind,
        thread_key=thread,
    )
    item = conn.fetch(None).items[-1]
    return Target(
        item.platform_item_id,
        item.kind,
        item.author.platform_author_id,
        item.thread_platform_id,
        item.parent_platform_id,
        item.ref,
        item.text,
    )


# ---- replies


def test_reply_keeps_visibility_and_mentions_the_author(sim, conn):
    target = incoming(sim, conn)
    posted = conn.reply(target, "Thanks for the feedback!", "k-1")
    assert posted.is_own and posted.parent_platform_id == target.platform_item_id
    assert posted.text == "@bob Thanks for the feedback!"  # the server shows remote mentions by username
    assert sim.posted_replies() == [
        {
            "id": posted.platform_item_id,
            "in_reply_to": target.platform_item_id,
            "text": "@bob@other.social Thanks for the feedback!",
        }
    ]
    assert json.loads(posted.ref)["vis"] == "public"


def test_direct_message_reply_stays_direct(sim, conn):
    target = incoming(sim, conn, ItemKind.DIRECT_MESSAGE, thread="dm")
    posted = conn.reply(target, "@bob@other.social Let me check.", "k-dm")
    assert posted.kind == ItemKind.DIRECT_MESSAGE and json.loads(posted.ref)["vis"] == "direct"
    assert sim.posted_replies()[0]["text"] == "@bob@other.social Let me check."  # no second mention added


def test_reply_carries_the_content_warning_and_unlisted_visibility(sim, conn):
    sim.add_account("2001", "@bob@other.social", "Bob")
    parent = sim.seed_status(
        "2001",
        "spoilers inside",
        created_at=at(0),
        visibility="unlisted",
        mentions=[sim.owner_id],
        spoiler_text="Film ending",
    )
    item = conn.fetch(None).items[0]
    posted = conn.reply(Target(item.platform_item_id, item.kind, "2001", ref=item.ref), "No spoilers!", "k-cw")
    assert posted.text.startswith("CW: Film ending")
    assert json.loads(posted.ref)["vis"] == "unlisted" and posted.parent_platform_id == parent


def test_same_key_posts_once(sim, conn):
    target = incoming(sim, conn)
    first = conn.reply(target, "Once only", "same-key")
    second = conn.reply(target, "Once only", "same-key")
    assert first.platform_item_id == second.platform_item_id
    assert len(sim.posted_replies()) == 1


def test_find_reply_reconciles_after_a_crash(sim, conn):
    target = incoming(sim, conn)
    assert conn.find_reply(target, "k-crash", "We are on it") is None
    posted = conn.reply(target, "We are  on it", "k-crash")
    found = make_connector(sim).find_reply(target, "k-crash", "We are on it")  # a fresh process
    assert found is not None and found.platform_item_id == posted.platform_item_id
    assert conn.find_reply(target, "k-other", "Something else") is None
    # The text alone is not enough when the reply is older than ``since`` or already accounted for.
    later = posted.created_at + timedelta(minutes=1)
    assert conn.find_reply(target, "k-crash", "We are on it", since=later) is None
    assert conn.find_reply(target, "k-crash", "We are on it", known=frozenset({posted.platform_item_id})) is None
    earlier = posted.created_at - timedelta(minutes=1)
    assert conn.find_reply(target, "k-crash", "We are on it", since=earlier).platform_item_id == posted.platform_item_id


def test_reply_without_ref_reads_the_parent(sim, conn):
    target = incoming(sim, conn, ItemKind.DIRECT_MESSAGE, thread="dm2")
    bare = Target(target.platform_item_id, target.kind, target.author_platform_id)
    posted = conn.reply(bare, "still direct", "k-bare")
    assert json.loads(posted.ref)["vis"] == "direct"


def test_reply_errors(sim, conn):
    target = incoming(sim, conn)
    with pytest.raises(Permanent, match="at most 500"):
        conn.reply(target, "x" * 520, "k-long")
    with pytest.raises(Permanent, match="empty"):
        conn.reply(target, "   ", "k-empty")
    assert conn.capabilities().max_reply_length == 500
    sim.delete_status(target.platform_item_id)
    with pytest.raises(NotFound):
        conn.reply(target, "too late", "k-gone")
    assert sim.posted_replies() == []


def test_character_limit_comes_from_the_instance():
    from cmdesk.connectors.simulators.mastodon import MastodonSimulator

    with MastodonSimulator(max_characters=1000) as big:
        connector = make_connector(big)
        target = incoming(big, connector)
        assert connector.capabilities().max_reply_length == 1000
        connector.reply(target, "y" * 900, "k-900")
        assert len(big.posted_replies()) == 1


# ---- moderation


def test_capabilities_of_an_admin(conn):
    caps = conn.capabilities()
    assert caps.verbs == {
        Verb.REPLY,
        Verb.DELETE,
        Verb.BLOCK_AUTHOR,
        Verb.MUTE_AUTHOR,
        Verb.REPORT,
        Verb.BAN_AUTHOR,
        Verb.UNBAN_AUTHOR,
    }
    assert caps.why_not(Verb.HIDE) == caps.why_not(Verb.UNHIDE) == NO_HIDE
    assert caps.missing[Verb.DELETE] == NO_DELETE_OTHERS  # the note for others' statuses


def test_capabilities_of_a_plain_user(user_conn):
    caps = user_conn.capabilities()
    assert Verb.BAN_AUTHOR not in caps.verbs and Verb.UNBAN_AUTHOR not in caps.verbs
    assert "Manage Users" in caps.why_not(Verb.BAN_AUTHOR)
    assert {Verb.REPLY, Verb.BLOCK_AUTHOR, Verb.MUTE_AUTHOR, Verb.REPORT, Verb.DELETE} <= caps.verbs


def test_capabilities_follow_the_granted_scopes(sim):
    connector = make_connector(sim, scopes="read write:statuses")
    caps = connector.capabilities()
    assert caps.verbs == {Verb.REPLY, Verb.DELETE}
    assert "write:blocks" in caps.why_not(Verb.BLOCK_AUTHOR)
    assert "admin:write:accounts" in caps.why_not(Verb.BAN_AUTHOR)
    assert make_connector(sim, scopes="read write admin:write").capabilities().allows(Verb.BAN_AUTHOR)


def test_block_mute_report(sim, conn):
    target = incoming(sim, conn)
    conn.act(Verb.BLOCK_AUTHOR, target)
    conn.act(Verb.MUTE_AUTHOR, target)
    conn.act(Verb.REPORT, target, "spam: selling followers")
    assert sim.moderation_log() == [("block", "2001"), ("mute", "2001"), ("report", "2001")]
    report = sim.reports()[0]
    assert report["category"] == "spam" and report["comment"] == "selling followers"
    assert report["status_ids"] == [target.platform_item_id] and report["forwarded"]  # a remote account
    assert sim.account_state("2001")["blocked"] and not sim.account_state("2001")["follower"]


def test_report_of_a_local_account_is_not_forwarded(sim, conn):
    target = incoming(sim, conn, author="2002", handle="ann")
    conn.act(Verb.REPORT, target, "rude to newcomers")
    assert sim.reports()[0]["category"] == "other" and not sim.reports()[0]["forwarded"]


def test_remove_from_followers(sim, conn):
    target = incoming(sim, conn)
    conn.remove_from_followers(target)
    assert sim.moderation_log() == [("remove_from_followers", "2001")]
    assert not sim.account_state("2001")["follower"] and not sim.account_state("2001")["blocked"]


def test_delete_own_status_only(sim, conn):
    target = incoming(sim, conn)
    with pytest.raises(Permanent, match="delete other people's replies"):
        conn.act(Verb.DELETE, target)
    posted = conn.reply(target, "oops", "k-del")
    own = Target(posted.platform_item_id, posted.kind, posted.author.platform_author_id, ref=posted.ref)
    conn.act(Verb.DELETE, own)
    conn.act(Verb.DELETE, own)  # already gone is done
    assert sim.moderation_log() == [("delete", posted.platform_item_id)]
    assert not sim.status_exists(posted.platform_item_id)


def test_hide_is_not_available(sim, conn):
    target = incoming(sim, conn)
    for verb in (Verb.HIDE, Verb.UNHIDE, Verb.REPLY):
        with pytest.raises(Permanent):
            conn.act(verb, target)
    assert sim.moderation_log() == []


def test_ban_suspends_and_unban_lifts(sim, conn):
    target = incoming(sim, conn)
    conn.act(Verb.BAN_AUTHOR, target, "ban evasion")
    assert sim.account_state("2001")["suspended"]
    conn.act(Verb.UNBAN_AUTHOR, target)
    assert not sim.account_state("2001")["suspended"]
    assert sim.moderation_log() == [("admin:suspend", "2001"), ("admin:unsuspend", "2001")]


def test_ban_as_silence_when_configured(sim):
    connector = make_connector(sim, ban_type="silence")
    target = incoming(sim, connector)
    connector.act(Verb.BAN_AUTHOR, target)
    connector.act(Verb.UNBAN_AUTHOR, target)
    assert sim.moderation_log() == [("admin:silence", "2001"), ("admin:unsilence", "2001")]


def test_ban_is_refused_for_a_plain_user(user_sim, user_conn):
    target = incoming(user_sim, user_conn)
    with pytest.raises(Permanent, match="Manage Users"):
        user_conn.act(Verb.BAN_AUTHOR, target)
    assert user_sim.moderation_log() == []


def test_role_change_is_noticed_and_the_server_still_guards(sim, conn):
    target = incoming(sim, conn)
    assert conn.capabilities().allows(Verb.BAN_AUTHOR)
    sim.set_owner_role("user")
    with pytest.raises(Permanent, match="not allowed"):
        conn.act(Verb.BAN_AUTHOR, target)  # capabilities were cached; the server refuses
    conn.profile(refresh=True)
    assert not conn.capabilities().allows(Verb.BAN_AUTHOR)


def test_acting_on_unknown_accounts(sim, conn):
    ghost = Target("1", ItemKind.MENTION, "999999")
    with pytest.raises(NotFound):
        conn.act(Verb.BLOCK_AUTHOR, ghost)
