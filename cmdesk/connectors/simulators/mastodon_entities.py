"""Mastodon entities as JSON for the simulator: Account, Status, Relationship, Admin::Account.

Follows the Mastodon documentation, entities section (field names and shapes of the examples),
and renders plain text the way Mastodon does: paragraphs, ``<br>``, linked mentions (``h-card``)
and links.

Accounts and statuses are also kept as JSON text, to serve pages without encoding the same
author again for each of their statuses (``_account_text``, ``_status_text``); that text is the
very bytes ``Response.encoded()`` writes for the dicts, and it is dropped at the next change.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

ADMIN_ROLE = {"id": "3", "name": "Admin", "color": "", "permissions": "1048575", "highlighted": True}
USER_ROLE = {"id": "-99", "name": "", "color": "", "permissions": "65536", "highlighted": False}
ADMIN_ACTIONS = ("none", "sensitive", "disable", "silence", "suspend")
REPORT_CATEGORIES = ("spam", "legal", "violation", "other")

MENTION_RE = re.compile(r"(?<![\w@])@(\w+)(?:@([\w.-]+\w))?")
URL_RE = re.compile(r"https?://[^\s<>\"]+")


def iso(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime does not pad such years on every platform; keep its text
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    # Formatting the fields costs half of strftime, and a page shows a few times per status.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}."
        f"{moment.microsecond // 1000:03d}Z"
    )


# The JSON text ``Response.encoded()`` gives a value (json.dumps(value, ensure_ascii=False)); the
# cycle check is left out since entities are trees.
encode_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def join_objects(*objects: str) -> str:
    """The JSON text of one object with the members of ``objects`` (JSON object texts) in order:
    what encoding the merged dict writes, so parts encoded (and cached) apart can be assembled."""
    return "{" + ", ".join(text[1:-1] for text in objects if text != "{}") + "}"


def json_member(key: str, value_text: str) -> str:
    """``{"key": value}`` as JSON text, the value given as JSON text already."""
    return "{" + encode_json(key) + ": " + value_text + "}"


def json_list(texts: Iterable[str]) -> str:
    """A JSON array of values given as JSON texts, as encoding the list writes it."""
    return "[" + ", ".join(texts) + "]"


def has_scope(granted: set[str], needed: str) -> bool:
    parts = needed.split(":")
    return any(":".join(parts[:i]) in granted for i in range(1, len(parts) + 1))


class EntitiesMixin:
    """JSON views of the simulator's state (needs ``_accounts``, ``_statuses``, ``_followers``,
    ``_blocks``, ``_mutes``, ``owner_id`` and ``domain``; and for the cached texts ``_changes``,
    ``_account_texts`` and ``_status_texts``)."""

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
        over the statuses, redone only after a change (``_changes``; a page of 80 would otherwise
        scan every status 160 times)."""
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

    def _account_text(self, account_id: str) -> str:
        """``encode_json(self._account_json(account_id))``, kept until the next change."""
        return self._cached_text(self._account_texts, account_id, lambda: encode_json(self._account_json(account_id)))

    def _status_text(self, status: dict) -> str:
        """``encode_json(self._status_json(status))``, kept until the next change; the author's
        part is their cached ``_account_text``."""

        def render() -> str:
            before, after = self._status_members(status)
            account = json_member("account", self._account_text(status["account_id"]))
            return join_objects(encode_json(before), account, encode_json(after))

        return self._cached_text(self._status_texts, status["id"], render)

    def _cached_text(self, cache: dict[str, tuple[int, str]], key: str, render) -> str:
        """JSON text from ``cache`` when no change happened since it was rendered (every change to
        what an Account or Status shows counts one in ``_changes``), else rendered anew."""
        kept = cache.get(key)
        if kept is not None and kept[0] == self._changes:
            return kept[1]
        text = render()
        cache[key] = (self._changes, text)
        return text

    def _status_json(self, status: dict, *, with_source: bool = False) -> dict:
        before, after = self._status_members(status)
        body = {**before, "account": self._account_json(status["account_id"]), **after}
        if with_source:
            body["text"] = status["text"]
        return body

    def _status_members(self, status: dict) -> tuple[dict, dict]:
        """A Status's members before ``account`` and after it (the author is rendered apart)."""
        author = self._accounts[status["account_id"]]
        host = author["host"] or self.domain
        reblog = self._statuses.get(status["reblog_of"]) if status["reblog_of"] else None
        before = {
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
        }
        after = {
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
        return before, after

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
