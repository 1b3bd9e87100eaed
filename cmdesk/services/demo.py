"""The demo workspace: a bakery chain's three accounts and a few hundred realistic messages.

The messages come from ``resources/demo/corpus.json`` and are spread deterministically over
the last three weeks, in threads under the brand's own posts, with the brand's replies in
some of them. ``demo_posts`` builds them as plain values; the demo then feeds them to the
platform simulators, and CMDesk's real connectors sync them in (see ``services.demo_live``),
or ``seed_store`` writes them through the same ``Store.ingest`` a sync uses.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from cmdesk import resources
from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind, Platform, Status, utcnow

DEMO_SEED = 7
DEMO_ITEMS = 330
DEMO_DAYS = 21


@dataclass(frozen=True, slots=True)
class DemoAccount:
    key: str
    name: str
    platform: Platform
    handle: str
    langs: dict[str, float]
    share: float


@dataclass(frozen=True, slots=True)
class DemoPost:
    """One message of the demo, before any platform has seen it."""

    account_key: str
    author_id: str
    author_name: str
    author_handle: str
    text: str
    created_at: datetime
    kind: ItemKind
    thread_key: str
    thread_title: str
    lang: str
    category: str  # thanks, question, complaint, insult, spam…: what the corpus says it is
    is_own: bool = False


def load_corpus() -> dict:
    return json.loads(resources.path("demo", "corpus.json").read_text("utf-8"))


def demo_accounts(corpus: dict | None = None) -> list[DemoAccount]:
    corpus = corpus or load_corpus()
    return [
        DemoAccount(a["key"], a["name"], Platform(a["platform"]), a["handle"], a["langs"], a["share"])
        for a in corpus["accounts"]
    ]


_KINDS = {
    Platform.MASTODON: ((ItemKind.MENTION, 0.55), (ItemKind.REPLY, 0.35), (ItemKind.DIRECT_MESSAGE, 0.10)),
    Platform.BLUESKY: ((ItemKind.REPLY, 0.6), (ItemKind.MENTION, 0.3), (ItemKind.COMMENT, 0.1)),
    Platform.MATRIX: ((ItemKind.COMMENT, 0.6), (ItemKind.REPLY, 0.25), (ItemKind.DIRECT_MESSAGE, 0.15)),
}
# Abuse and spam are a minority, as in a real inbox.
_CATEGORY_WEIGHT = {"thanks": 6, "question": 6, "complaint": 4, "insult": 1, "spam": 1.2, "hostile": 0.3, "long": 0.3}


def _vary(text: str, category: str, lang: str, corpus: dict, rnd: random.Random) -> str:
    """Real people do not post identical comments: fill the shop names, sometimes add a sign-off.

    (Spam and insults stay as they are: copy-paste is what spam does, and the demo shows it caught.)
    """
    for slot, values in corpus.get("slots", {}).items():
        while "{" + slot + "}" in text:
            text = text.replace("{" + slot + "}", rnd.choice(values), 1)
    if category not in ("spam", "insult", "hostile") and rnd.random() < 0.45:
        text = f"{text} {rnd.choice(corpus['signoffs'][lang])}"
    return text


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _moment(rnd: random.Random, now: datetime) -> datetime:
    """A time in the last three weeks, denser recently and during the day (Lyon time ≈ UTC+1)."""
    day = min(DEMO_DAYS - 1, int(rnd.expovariate(1 / 5)))
    hour = min(22, max(6, int(rnd.gauss(13, 4))))
    moment = (now - timedelta(days=day)).replace(hour=hour, minute=rnd.randrange(60), second=rnd.randrange(60))
    if moment > now - timedelta(minutes=2):  # later today has not happened yet: take yesterday
        moment -= timedelta(days=1)
    return moment


def demo_posts(now: datetime | None = None, count: int = DEMO_ITEMS, seed: int = DEMO_SEED) -> list[DemoPost]:
    """The demo's messages, oldest first; the same ``seed`` and ``now`` give the same list."""
    corpus = load_corpus()
    rnd = random.Random(seed)
    now = now or utcnow()
    accounts = demo_accounts(corpus)
    authors = {lang: [a for a in corpus["authors"] if a["lang"] == lang and a["id"][0] == "a"] for lang in ("fr", "en")}
    by_category_author = {
        "spam": [a for a in corpus["authors"] if a["id"][0] == "s"],
        "insult": [a for a in corpus["authors"] if a["id"][0] == "t"],
    }
    messages = corpus["messages"]
    posts: list[DemoPost] = []
    used: set[str] = set()  # real comments are not word-for-word copies (spam is, on purpose)
    for _ in range(count):
        acc = rnd.choices(accounts, [a.share for a in accounts])[0]
        lang = rnd.choices(list(acc.langs), list(acc.langs.values()))[0]
        pool = [m for m in messages if m["lang"] == lang]
        weights = [_CATEGORY_WEIGHT.get(m["kind"], 1) for m in pool]
        for _attempt in range(20):
            message = rnd.choices(pool, weights)[0]
            category = message["kind"]
            text = _vary(message["text"], category, lang, corpus, rnd)
            if category in ("spam", "insult") or _letters(text) not in used:
                break
        used.add(_letters(text))
        special = by_category_author.get(category)
        who = rnd.choice(special) if special and rnd.random() < 0.6 else rnd.choice(authors[lang] or authors["fr"])
        kinds, weights = zip(*_KINDS[acc.platform], strict=True)
        kind = rnd.choices(kinds, weights)[0]
        root = rnd.randrange(len(corpus["posts"]))
        thread_key = f"{acc.key}-dm-{who['id']}" if kind == ItemKind.DIRECT_MESSAGE else f"{acc.key}-post-{root}"
        title = "" if kind == ItemKind.DIRECT_MESSAGE else corpus["posts"][root]["text"]
        posts.append(
            DemoPost(
                acc.key,
                who["id"],
                who["name"],
                who["handle"],
                text,
                _moment(rnd, now),
                kind,
                thread_key,
                title,
                lang,
                category,
            )
        )
        # The brand answered some questions and complaints already.
        if category in ("question", "complaint", "thanks") and rnd.random() < 0.3 and kind != ItemKind.MENTION:
            reply = rnd.choice(corpus["our_replies"][lang])
            posts.append(
                DemoPost(
                    acc.key,
                    f"own-{acc.key}",
                    corpus["brand"],
                    acc.handle,
                    reply,
                    posts[-1].created_at + timedelta(minutes=rnd.randrange(5, 240)),
                    ItemKind.REPLY,
                    thread_key,
                    title,
                    lang,
                    "own",
                    is_own=True,
                )
            )
    posts = [p for p in posts if p.created_at <= now]
    posts.sort(key=lambda p: p.created_at)
    return posts


def incoming_from(post: DemoPost, platform_id: str) -> IncomingItem:
    """A demo post as a connector would have delivered it."""
    return IncomingItem(
        platform_item_id=platform_id,
        kind=post.kind,
        text=post.text,
        created_at=post.created_at,
        author=IncomingAuthor(post.author_id, post.author_name, post.author_handle),
        thread_platform_id=post.thread_key,
        thread_title=post.thread_title,
        lang=post.lang,
        is_own=post.is_own,
    )


def worked_status(post: DemoPost, now: datetime, rnd: random.Random) -> Status | None:
    """What a community manager would already have done with an older demo item."""
    age = now - post.created_at
    if post.is_own or age < timedelta(days=2):
        return None
    if post.category in ("question", "complaint"):
        return rnd.choices([Status.ANSWERED, Status.DONE, Status.OPEN], [4, 4, 1])[0]
    if post.category in ("thanks",):
        return rnd.choices([Status.DONE, None], [3, 1])[0]
    return None


def seed_store(store, judge_for=None, now: datetime | None = None) -> dict[str, int]:
    """Create the demo accounts and write every demo post through ``Store.ingest``.

    Returns the account ids by corpus key. Used when the demo runs without its simulators
    (``cmdesk demo --offline``) and by tests that need a realistic history quickly.
    ``judge_for(account)`` gives the rules to run on each account's new items.
    """
    now = now or utcnow()
    corpus = load_corpus()
    ids = {}
    for acc in demo_accounts(corpus):
        ids[acc.key] = store.add_account(
            acc.platform, acc.name, handle=acc.handle, base_url="demo:", settings={"demo": True}
        ).id
    posts = demo_posts(now)
    for key, account_id in ids.items():
        mine = [p for p in posts if p.account_key == key]
        judge = judge_for(store.account(account_id)) if judge_for else None
        store.ingest(account_id, [incoming_from(p, f"demo-{key}-{n}") for n, p in enumerate(mine)], judge=judge)
    apply_worked_statuses(store, ids, posts, now)
    return ids


def apply_worked_statuses(store, account_ids: dict[str, int], posts: list[DemoPost], now: datetime) -> None:
    """Mark older demo items answered/done, as if the team had been working for weeks."""
    rnd = random.Random(DEMO_SEED + 1)
    by_status: dict[Status, list[int]] = {}
    for key, account_id in account_ids.items():
        mine = [p for p in posts if p.account_key == key]
        texts_to_ids = _ids_by_created(store, account_id)
        for post in mine:
            status = worked_status(post, now, rnd)
            item_id = texts_to_ids.get((int(post.created_at.timestamp() * 1000), post.text[:240]))
            if status is not None and item_id is not None:
                by_status.setdefault(status, []).append(item_id)
    for status, item_ids in by_status.items():
        store.set_status(item_ids, status, actor="demo")


def _ids_by_created(store, account_id: int) -> dict[tuple[int, str], int]:
    from cmdesk.core.query import InboxQuery

    found = {}
    for status in Status:
        for row in store.iter_rows(InboxQuery(account_id=account_id, statuses=(status,))):
            found[(row.created_at, row.excerpt)] = row.id
    return found
