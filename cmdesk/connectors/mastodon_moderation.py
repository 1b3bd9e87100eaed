"""Moderation on Mastodon: what an account owner (and, with the right role, an admin) can do.

Follows the Mastodon documentation: methods/accounts (``POST /api/v1/accounts/:id/block``,
``/mute``, ``/remove_from_followers``), methods/reports (``POST /api/v1/reports`` with
``account_id``, ``status_ids[]``, ``comment``, ``category``, ``forward``), methods/statuses
(``DELETE /api/v1/statuses/:id``, own statuses only) and methods/admin/accounts
(``POST /api/v1/admin/accounts/:id/action``, ``GET …/:id``, ``POST …/unsuspend`` /
``…/unsilence``; they need the "Manage Users" permission and ``admin:*:accounts`` scopes).

Mastodon cannot hide replies, nor delete other people's statuses. BAN_AUTHOR suspends the
author on our instance (for a remote account: this instance stops federating with it);
the account setting ``ban_type: "silence"`` limits them instead. UNBAN_AUTHOR lifts
whichever of the two is in force. Blocking already removes the author from our followers
(Mastodon does it); ``remove_from_followers`` is the "soft block" without a block.
"""

from __future__ import annotations

from cmdesk.connectors.base import NotFound, Permanent, Target, Transient, Verb
from cmdesk.connectors.mastodon_parse import load_ref

NO_HIDE = "Mastodon cannot hide replies to your posts; block or mute the author, or report the post instead."
NO_DELETE_OTHERS = "Mastodon does not let an account delete other people's replies"
REPORT_CATEGORIES = ("spam", "legal", "other")
MAX_REPORT_COMMENT = 1000


class ModerationMixin:
    """The moderation verbs of ``MastodonConnector`` (which provides ``_call``, ``_json``,
    ``_me``, ``_status_id``, ``_settings``, ``_host`` and ``capabilities``)."""

    def act(self, verb: Verb, target: Target, reason: str = "") -> None:
        """Run a moderation verb; raises ``Permanent`` with the user-facing reason when not possible."""
        if verb == Verb.REPLY:
            raise Permanent("Replies are sent with reply(), not act().")
        caps = self.capabilities()
        if not caps.allows(verb):
            raise Permanent(caps.why_not(verb) or f"Mastodon cannot {verb.value.replace('_', ' ')}.")
        ref = load_ref(target.ref)
        author = str(ref.get("aid") or target.author_platform_id)
        if verb == Verb.BLOCK_AUTHOR:
            self._call("POST", f"/api/v1/accounts/{author}/block")
        elif verb == Verb.MUTE_AUTHOR:
            self._call("POST", f"/api/v1/accounts/{author}/mute", data={"notifications": "true"})
        elif verb == Verb.REPORT:
            self._report(author, self._status_id(target), str(ref.get("acct") or ""), reason)
        elif verb == Verb.DELETE:
            self._delete_own(target, ref, author)
        elif verb == Verb.BAN_AUTHOR:
            kind = "silence" if self._settings.get("ban_type") == "silence" else "suspend"
            form = {"type": kind, "send_email_notification": "false"}
            if reason:
                form["text"] = reason
            self._call("POST", f"/api/v1/admin/accounts/{author}/action", data=form)
        elif verb == Verb.UNBAN_AUTHOR:
            self._lift(author)

    def _report(self, account_id: str, status_id: str, acct: str, reason: str) -> None:
        """``category`` comes from a ``spam:`` / ``legal:`` / ``other:`` prefix of the reason (default
        other); reports about remote accounts are forwarded to their instance too."""
        category, comment = "other", reason.strip()
        head, sep, rest = comment.partition(":")
        if sep and head.strip().casefold() in REPORT_CATEGORIES:
            category, comment = head.strip().casefold(), rest.strip()
        form = [
            ("account_id", account_id),
            ("status_ids[]", status_id),
            ("comment", comment[:MAX_REPORT_COMMENT]),
            ("category", category),
            ("forward", "true" if "@" in acct else "false"),
        ]
        self._call("POST", "/api/v1/reports", data=form)

    def _delete_own(self, target: Target, ref: dict, author: str) -> None:
        me = self._me()
        if not (ref.get("own") or author == me.account_id):
            raise Permanent(NO_DELETE_OTHERS + ".")
        try:
            self._call("DELETE", f"/api/v1/statuses/{self._status_id(target)}")
        except NotFound:
            pass  # already gone: what we wanted

    def _lift(self, account_id: str) -> None:
        admin = self._json("GET", f"/api/v1/admin/accounts/{account_id}")
        if not isinstance(admin, dict):
            raise Transient(f"{self._host} sent an account CMDesk cannot read.")
        if admin.get("suspended"):
            self._call("POST", f"/api/v1/admin/accounts/{account_id}/unsuspend")
        if admin.get("silenced"):
            self._call("POST", f"/api/v1/admin/accounts/{account_id}/unsilence")

    def remove_from_followers(self, target: Target) -> None:
        """Make the author stop following us without blocking them (a "soft block")."""
        author = str(load_ref(target.ref).get("aid") or target.author_platform_id)
        self._call("POST", f"/api/v1/accounts/{author}/remove_from_followers")
