"""Mastodon entities as JSON for the simulator: Account, Status, Relationship, Admin::Account.

Follows the Mastodon documentation, entities section (field names and shapes of the examples),
and renders plain text the way Mastodon does: paragraphs, ``<br>``, linked mentions (``h-card``)
and links.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime

ADMIN_ROLE = {"id": "3", "name": "Admin", "color": "", "permissions": "1048575", "highlighted": True}
USER_ROLE = {"id": "-99", "name": "", "color": "", "permissions": "65536", "highlighted": False}
ADMIN_ACTIONS = ("none", "sensitive", "disable", "silence", "suspend")
REPORT_CATEGORIES = ("spam", "legal", "violation", "other")

MENTION_RE = re.compile(r"(?<![\w@])@(\w+)(?:@([\w.-]+\w))?")
URL_RE = re.compile(r"https?://[^\s<>\"]+")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def has_scope(granted: set[str], needed: str) -> bool:
    parts = needed.split(":")
    return any(":".join(parts[:i]) in granted for i in range(1, len(parts) + 1))


class EntitiesMixin:
    """JSON views of the simulator's state (needs ``_accounts``, ``_statuses``, ``_followers``,
    ``_blocks``, ``_mutes``, ``owner_id`` and ``domain``)."""

    def _render(self, text: str) -> str:
        """Plain text -> Mastodon-style HTML (paragraphs, <br>, linked mentions and URLs)."""

        def inline(chunk: str) -> str:
            out, pos = [], 0
            for match in re.finditer(f"{URL_RE.pattern}|{MENTION_RE.pattern}", chunk):
                out.append(html.escape(chunk[pos : match.start()], quote=False))
                token = match.group(0)
                if token.startswith("@"):
                    user = token[1:].split("@")[0]
                    out.append(
                        f'<span class="h-card"><a href="https://{self.domain}/@{html.escape(user)}" '
                        f'class="u-url mention">@<span>{html.escape(user)}</span></a></span>'
                    )
                else:
                    out.append(
                        f'<a href="{html.escape(token)}" rel="nofollow noopener" target="_blank">'
                        f"{html.escape(token)}</a>"
                    )
                pos = match.end()
            out.append(html.escape(chunk[pos:], quote=False))
            return "".join(out)

        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p]
        return "".join("<p>" + "<br>".join(inline(line) for line in p.split("\n")) + "</p>" for p in paragraphs)

    # ================================================================ internals: JSON

    def _tallies(self) -> tuple[Counter, dict, Counter]:
        """Statuses per account, each account's last status time, replies per status: one pass
        over the statuses, redone only after one was added or deleted (a page of 80 would
        otherwise scan every status 160 times)."""
        cached = getattr(self, "_tally_cache", None)
        if cached is not None and cached[0] == self._changes:
            return cached[1]
        counts, last, replies = Counter(), {}, Counter()
        for s in self._statuses.values():
            if s["deleted"]:
                continue
            counts[s["account_id"]] += 1
            if s["account_id"] not in last or s["created_at"] > last[s["account_id"]]:
                last[s["account_id"]] = s["created_at"]
            if s["in_reply_to_id"]:
                replies[s["in_reply_to_id"]] += 1
        self._tally_cache = (self._changes, (counts, last, replies))
        return counts, last, replies

    def _account_json(self, account_id: str) -> dict:
        a = self._accounts[account_id]
        host = a["host"] or self.domain
        url = f"https://{host}/@{a['username']}"
        counts, last, _replies = self._tallies()
        return {
            "id": a["id"],
            "username": a["username"],
            "acct": self._acct(a),
            "display_name": a["display_name"],
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": iso(a["created_at"]),
            "note": "",
            "url": url,
            "uri": f"https://{host}/users/{a['username']}",
            "avatar": f"https://{host}/avatars/original/missing.png",
            "avatar_static": f"https://{host}/avatars/original/missing.png",
            "header": f"https://{host}/headers/original/missing.png",
            "header_static": f"https://{host}/headers/original/missing.png",
            "followers_count": len(self._followers) if account_id == self.owner_id else 0,
            "following_count": 0,
            "statuses_count": counts[account_id],
            "last_status_at": last.get(account_id, a["created_at"]).date().isoformat(),
            "emojis": a["emojis"],
            "fields": [],
        }

    def _status_json(self, status: dict, *, with_source: bool = False) -> dict:
        author = self._accounts[status["account_id"]]
        host = author["host"] or self.domain
        reblog = self._statuses.get(status["reblog_of"]) if status["reblog_of"] else None
        body = {
            "id": status["id"],
            "created_at": iso(status["created_at"]),
            "in_reply_to_id": status["in_reply_to_id"],
            "in_reply_to_account_id": status["in_reply_to_account_id"],
            "sensitive": bool(status["spoiler_text"]),
            "spoiler_text": status["spoiler_text"],
            "visibility": status["visibility"],
            "language": status["language"],
            "uri": f"https://{host}/users/{author['username']}/statuses/{status['id']}",
            "url": f"https://{host}/@{author['username']}/{status['id']}",
            "replies_count": self._tallies()[2][status["id"]],
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": iso(status["edited_at"]) if status["edited_at"] else None,
            "favourited": False,
            "reblogged": False,
            "muted": False,
            "bookmarked": False,
            "content": "" if reblog else status["html"],
            "filtered": [],
            "reblog": self._status_json(reblog) if reblog else None,
            "application": {"name": "Web", "website": None},
            "account": self._account_json(status["account_id"]),
            "media_attachments": status["media"],
            "mentions": [
                {
                    "id": i,
                    "username": self._accounts[i]["username"],
                    "acct": self._acct(self._accounts[i]),
                    "url": f"https://{self._accounts[i]['host'] or self.domain}/@{self._accounts[i]['username']}",
                }
                for i in status["mention_ids"]
                if i in self._accounts
            ],
            "tags": [],
            "emojis": status["emojis"],
            "card": None,
            "poll": status["poll"],
        }
        if with_source:
            body["text"] = status["text"]
        return body

    def _relationship(self, account_id: str) -> dict:
        return {
            "id": account_id,
            "following": False,
            "showing_reblogs": False,
            "notifying": False,
            "languages": None,
            "followed_by": account_id in self._followers,
            "blocking": account_id in self._blocks,
            "blocked_by": False,
            "muting": account_id in self._mutes,
            "muting_notifications": account_id in self._mutes,
            "requested": False,
            "requested_by": False,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }

    def _admin_account_json(self, account_id: str) -> dict:
        a = self._accounts[account_id]
        return {
            "id": account_id,
            "username": a["username"],
            "domain": a["host"],
            "created_at": iso(a["created_at"]),
            "email": None if a["host"] else f"{a['username']}@{self.domain}",
            "ip": None,
            "ips": [],
            "locale": None,
            "invite_request": None,
            "role": USER_ROLE,
            "confirmed": True,
            "approved": True,
            "disabled": a["disabled"],
            "silenced": a["silenced"],
            "suspended": a["suspended"],
            "sensitized": a["sensitized"],
            "account": self._account_json(account_id),
        }
