"""A synthetic but realistic CMDesk history, generated deterministically for the benchmark.

What it looks like (``History(n)``):
- 20 accounts on Mastodon, Bluesky and Matrix whose sizes follow a Zipf law (the largest
  holds about 28 % of the items, the smallest under 2 %);
- 200,000 authors shared out between the accounts, a few very active and a long tail;
- a year of timestamps (growing activity, daily peaks at lunch and in the evening), ingested
  the way a daily sync would: one batch per account and per day (at most ``batch`` items);
- FR and EN text of varied length (one-liners to long reviews), built from the demo corpus
  and sentence templates with products, shops, people, order numbers, links and emoji, so
  the full-text index has a realistic long-tailed vocabulary;
- threads (the account's posts, Matrix rooms, one per direct-message correspondent), replies
  with their parent, our own replies (``is_own``), hidden and deleted items;
- the rules' verdicts, as the sync's ``judge`` hands them to ``Store.ingest``: statuses that
  depend on age (recent items mostly new or open, old ones mostly done or answered), spam,
  flags on recent abusive items (the moderation queue), and 40 tags on about a third of items.

The same batches can be written through ``Store.ingest`` or, as plain rows, with sqlite3
(``raw_rows``): the benchmark compares the two on the same data.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmdesk.core.models import (
    Flag,
    IncomingAuthor,
    IncomingItem,
    ItemKind,
    Moderation,
    QueueState,
    Status,
    Verdict,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "resources" / "demo" / "corpus.json"

ACCOUNTS = 20
AUTHORS = 200_000
END = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # fixed: the same seed gives the same history
START = END - timedelta(days=365)
DAY_MS = 86_400_000

TAGS = (
    "livraison", "remboursement", "sav", "commande", "horaires", "allergènes", "prix", "qualité",
    "accueil", "compliment", "réclamation", "question", "promo", "fidélité", "recrutement", "presse",
    "partenariat", "événement", "galette", "bûche", "gâteau", "viennoiserie", "pain", "traiteur",
    "site-web", "application", "paiement", "retard", "erreur", "hygiène", "urgent", "vip",
    "influenceur", "avis", "suggestion", "bug", "delivery", "refund", "feedback", "escalade",
)  # fmt: skip

_BRANDS = (
    ("Maison Brioche", "mastodon"), ("Maison Brioche", "bluesky"), ("Maison Brioche", "matrix"),
    ("Vélo Lyon", "mastodon"), ("Vélo Lyon", "bluesky"), ("Café Mirabelle", "mastodon"),
    ("Café Mirabelle", "bluesky"), ("Librairie Oiseau-Lyre", "mastodon"), ("Théâtre des Célestins", "bluesky"),
    ("Théâtre des Célestins", "mastodon"), ("Mairie du 7e", "mastodon"), ("Mairie du 7e", "matrix"),
    ("Fromagerie Saint-Jean", "bluesky"), ("Atelier Couture", "mastodon"), ("Kiosque Presse", "bluesky"),
    ("Fablab Gerland", "matrix"), ("Piscine Garibaldi", "mastodon"), ("Cinéma Comoedia", "bluesky"),
    ("Ludothèque Croix-Rousse", "mastodon"), ("Association Vélorution", "matrix"),
)  # fmt: skip

FIRST_NAMES = (
    "Camille", "Julien", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Nathan", "Inès", "Louis", "Sarah", "Gabriel",
    "Emma", "Arthur", "Jade", "Raphaël", "Zoé", "Théo", "Clara", "Paul", "Alice", "Maël", "Anaïs", "Noé", "Élise",
    "Tom", "Margaux", "Enzo", "Juliette", "Sacha", "Lou", "Victor", "Mathilde", "Adam", "Océane", "Jules", "Amélie",
    "Yanis", "Pauline", "Rayan", "Emily", "James", "Olivia", "Liam", "Sophie", "Noah", "Grace", "Oliver", "Ella",
    "Jack", "Mia", "Henry", "Ava", "Leo", "Ruby", "Charlie", "Isla", "Oscar", "Freya", "George", "Amira", "Karim",
    "Fatou", "Mamadou", "Aïcha", "Moussa", "Yasmine", "Bilal", "Nour", "Sofiane", "Leïla", "Mehdi", "Thi", "Minh",
    "Hoa", "Chen", "Wei", "Ines", "Joana", "Tiago", "Giulia", "Marco", "Anna", "Lukas", "Katarzyna", "Piotr",
    "Björn", "Åsa", "Søren", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin",
    "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Smith", "Jones",
    "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walker", "Wright", "Nguyen", "Tran", "Benali", "Diallo",
    "Traoré", "Haddad", "Kowalski", "Rossi", "Silva", "Schmidt", "Andersson", "Jensen",
)  # fmt: skip
EMOJI = (
    "🥐", "😊", "😡", "🙏", "👍", "❤️", "😂", "🤔", "🙄", "🚲",
    "☕", "📦", "⭐", "🎭", "🧀", "💶", "🔥", "😢", "👏", "🤬",
)  # fmt: skip

# Sentence templates; {slots} are filled from the pools below. FR and EN, by kind of message.
_FR = {
    "thanks": (
        "Merci pour {product}, c'était {adj_good} !",
        "Super accueil à la boutique de {place} ce {day}, merci à {first} 👏",
        "Toujours un plaisir de passer chez vous, {product} au top.",
        "Bravo à toute l'équipe de {place}, service impeccable.",
        "Je recommande vivement, {product} {adj_good} et prix corrects.",
        "Merci beaucoup pour la réponse rapide, problème réglé !",
        "Génial, j'ai enfin trouvé {product} comme chez ma grand-mère.",
    ),
    "question": (
        "Bonjour, la boutique de {place} est-elle ouverte {day} ?",
        "Est-ce que {product} contient des {allergen} ?",
        "Vous livrez à {place} ? Et à partir de combien ?",
        "Bonjour, quels sont vos horaires pendant les vacances ?",
        "Je peux réserver {product} pour {day} ? Nous serons {num} personnes.",
        "Ma commande n° {order} est-elle prête ?",
        "Une réponse à mon message d'hier serait appréciée, merci.",
        "C'est possible de payer par carte sans contact à {place} ?",
    ),
    "complaint": (
        "Commande n° {order} toujours pas reçue, ça fait {num} jours…",
        "Très déçu par {product}, {adj_bad} et trop cher.",
        "Livraison en retard de {num} heures et {product} écrasé.",
        "Personne ne répond au téléphone à {place}, c'est pénible.",
        "J'attends toujours mon remboursement pour la commande {order}.",
        "Le vendeur de {place} a été {adj_bad} ce {day}, inadmissible.",
        "Pas reçu ma commande et aucune réponse du service client.",
        "Deuxième fois que {product} est {adj_bad}, je ne reviendrai pas.",
    ),
    "chat": (
        "Quelqu'un a goûté {product} cette semaine ?",
        "On se retrouve à {place} {day} pour l'atelier ?",
        "Je partage : {url}",
        "Petite pensée pour {first}, qui nous a servi avec le sourire.",
        "Vous avez vu l'article sur {place} ? {url}",
        "Hâte de découvrir {product} !",
    ),
}
_EN = {
    "thanks": (
        "Thanks for the {product}, it was {adj_good}!",
        "Lovely welcome at the {place} shop this {day}, thank you {first} 👏",
        "Always a pleasure to drop by, the {product} is {adj_good}.",
        "Great service at {place}, well done to the whole team.",
        "Highly recommend, {adj_good} {product} at a fair price.",
        "Thanks for the quick reply, all sorted now!",
    ),
    "question": (
        "Hi, is the {place} shop open on {day}?",
        "Does the {product} contain any {allergen}?",
        "Do you deliver to {place}? What's the minimum order?",
        "Can I book a {product} for {day}? We'll be {num} people.",
        "Is order #{order} ready for pickup?",
        "Any news on my message from yesterday? Thanks.",
    ),
    "complaint": (
        "Order #{order} still not delivered after {num} days…",
        "Really disappointed with the {product}, {adj_bad} and overpriced.",
        "Delivery {num} hours late and the {product} was squashed.",
        "Nobody picks up the phone at {place}, very frustrating.",
        "Still waiting for my refund on order #{order}.",
        "The staff at {place} were {adj_bad} this {day}, unacceptable.",
        "Never received my order and no answer from customer service.",
    ),
    "chat": (
        "Has anyone tried the new {product} yet?",
        "Meeting at {place} on {day} for the workshop?",
        "Sharing this: {url}",
        "Shout-out to {first} for the friendly service.",
        "Can't wait to try the {product}!",
    ),
}
_POOLS = {
    "fr": {
        "product": (
            "le croissant aux amandes",
            "la galette frangipane",
            "le pain de campagne",
            "la tarte au citron",
            "le flan pâtissier",
            "la baguette tradition",
            "le pain au chocolat",
            "la bûche trois chocolats",
            "l'éclair au café",
            "le kouign-amann",
            "la brioche tressée",
            "le saint-honoré",
            "la fougasse aux olives",
            "le paris-brest",
            "le cannelé",
            "la pompe à l'huile",
            "le vélo électrique",
            "l'abonnement annuel",
            "le spectacle de samedi",
            "la visite guidée",
            "le café filtre",
            "le comté 24 mois",
            "la raclette",
            "le livre de poche",
            "l'atelier couture",
            "la séance de 20 h",
            "le forfait famille",
            "le sandwich du jour",
        ),
        "adj_good": ("délicieux", "parfait", "excellent", "génial", "top", "très réussi", "incroyable", "fondant"),
        "adj_bad": ("sec", "brûlé", "immangeable", "froid", "désagréable", "médiocre", "rassis", "impoli"),
        "day": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "matin", "soir"),
        "allergen": ("fruits à coque", "gluten", "lactose", "œufs", "arachides", "sésame"),
    },
    "en": {
        "product": (
            "almond croissant",
            "sourdough loaf",
            "lemon tart",
            "chocolate éclair",
            "custard flan",
            "cinnamon roll",
            "e-bike",
            "annual pass",
            "Saturday show",
            "guided tour",
            "filter coffee",
            "aged comté",
            "paperback",
            "sewing workshop",
            "8pm screening",
            "family ticket",
            "sandwich of the day",
            "birthday cake",
        ),
        "adj_good": ("delicious", "perfect", "excellent", "amazing", "lovely", "spot on", "gorgeous"),
        "adj_bad": ("stale", "burnt", "cold", "rude", "awful", "soggy", "overpriced", "dry"),
        "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "morning"),
        "allergen": ("nuts", "gluten", "dairy", "eggs", "peanuts", "sesame"),
    },
}
PLACES = (
    "Bellecour", "Croix-Rousse", "Part-Dieu", "Vieux Lyon", "Confluence", "Guillotière", "Monplaisir", "Vaise",
    "Villeurbanne", "Gerland", "Brotteaux", "Perrache", "Jean Macé", "Saxe-Gambetta", "Terreaux", "Cordeliers",
    "Caluire", "Écully", "Oullins", "Bron", "Vénissieux", "Tassin", "Sainte-Foy", "Fourvière",
)  # fmt: skip
_FILLERS = {
    "fr": (
        "Franchement",
        "Bref",
        "En plus",
        "Du coup",
        "Sinon",
        "Par contre",
        "Honnêtement",
        "Au passage",
        "Je dis ça",
        "C'est dommage",
        "On verra bien",
        "Merci d'avance",
        "Bonne journée",
        "Bon week-end",
    ),
    "en": (
        "Honestly",
        "Anyway",
        "Also",
        "By the way",
        "To be fair",
        "Just saying",
        "Thanks in advance",
        "Have a nice day",
        "Cheers",
        "Fingers crossed",
    ),
}
# One message in ~3,000 carries a rare word: the search benchmark looks for it too.
RARE_WORDS = ("quetsche", "kouglof", "tielle", "bugne", "pralinette", "pogne", "matefaim", "cervelle-de-canut")


@dataclass(frozen=True, slots=True)
class AccountSpec:
    name: str
    platform: str
    handle: str
    base_url: str
    share: float


@dataclass(slots=True)
class Batch:
    """One sync of one account: its items, and what the rules decided about each (the judge)."""

    account: int  # index into History.accounts
    items: list[IncomingItem]
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    def judge(self, entry: IncomingItem, author_is_new: bool = False) -> Verdict | None:
        return self.verdicts.get(entry.platform_item_id)


def account_specs() -> list[AccountSpec]:
    weights = [1 / (rank + 1) for rank in range(ACCOUNTS)]
    total = sum(weights)
    specs = []
    for (brand, platform), weight in zip(_BRANDS, weights, strict=True):
        slug = "".join(ch for ch in brand.lower() if ch.isalnum())[:18]
        handle, base = {
            "mastodon": (f"@{slug}@piaille.fr", "https://piaille.fr"),
            "bluesky": (f"{slug}.bsky.social", "https://bsky.social"),
            "matrix": (f"@community:{slug}.fr", f"https://matrix.{slug}.fr"),
        }[platform]
        specs.append(AccountSpec(f"{brand} · {platform.capitalize()}", platform, handle, base, weight / total))
    return specs


def _token(rng: random.Random, n: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz234567") -> str:
    return "".join(rng.choices(alphabet, k=n))


class TextMaker:
    """Message text: a few sentences from templates and the demo corpus, with a long tail of words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        corpus = json.loads(CORPUS.read_text("utf-8"))
        self.corpus: dict[tuple[str, str], list[str]] = {}
        for message in corpus["messages"]:
            kind = {"long": "complaint", "hostile": "insult"}.get(message["kind"], message["kind"])
            self.corpus.setdefault((message["lang"], kind), []).append(message["text"])
        self.posts = [p["text"] for p in corpus["posts"]]

    def _fill(self, template: str, lang: str) -> str:
        rng, pool = self.rng, _POOLS[lang]
        values = {
            "product": rng.choice(pool["product"]),
            "adj_good": rng.choice(pool["adj_good"]),
            "adj_bad": rng.choice(pool["adj_bad"]),
            "day": rng.choice(pool["day"]),
            "allergen": rng.choice(pool["allergen"]),
            "place": rng.choice(PLACES),
            "first": rng.choice(FIRST_NAMES),
            "num": rng.randint(2, 30),
            "order": rng.randint(10_000, 999_999),
            "url": f"https://example.{rng.choice(('fr', 'com', 'org'))}/{_token(rng, 8)}",
        }
        return template.format(**values)

    def sentence(self, lang: str, kind: str) -> str:
        rng = self.rng
        corpus = self.corpus.get((lang, kind))
        if corpus and rng.random() < 0.25:
            return rng.choice(corpus)
        templates = (_FR if lang == "fr" else _EN).get(kind) or (_FR if lang == "fr" else _EN)["chat"]
        return self._fill(rng.choice(templates), lang)

    def message(self, lang: str, kind: str) -> str:
        """One message: mostly a sentence or two, sometimes a paragraph, rarely a long review."""
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < 0.5 else 2 if roll < 0.75 else rng.randint(3, 4) if roll < 0.92 else rng.randint(5, 9)
        if roll > 0.985:
            count = rng.randint(12, 30)  # the long reviews and threads of grievances
        parts = [self.sentence(lang, kind)]
        for _ in range(count - 1):
            if rng.random() < 0.3:
                parts.append(rng.choice(_FILLERS[lang]) + ".")
            parts.append(self.sentence(lang, kind if rng.random() < 0.7 else "chat"))
        if rng.random() < 0.12:
            parts.append(rng.choice(EMOJI))
        if rng.random() < 0.05:
            parts.insert(0, "@" + rng.choice(FIRST_NAMES).lower())
        if rng.random() < 0.04:
            parts.append("#" + rng.choice(TAGS).replace("-", ""))
        if rng.random() < 1 / 3000:
            parts.append(rng.choice(RARE_WORDS))
        return " ".join(parts)


def _kind_of_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.30:
        return "thanks"
    if roll < 0.58:
        return "question"
    if roll < 0.80:
        return "complaint"
    if roll < 0.965:
        return "chat"
    if roll < 0.985:
        return "spam"
    return "insult"


_KINDS = (ItemKind.COMMENT, ItemKind.REPLY, ItemKind.MENTION, ItemKind.DIRECT_MESSAGE, ItemKind.REVIEW)
_KIND_WEIGHTS = (60, 20, 12, 6, 2)
_KIND_CUM = [sum(_KIND_WEIGHTS[: i + 1]) / sum(_KIND_WEIGHTS) for i in range(len(_KIND_WEIGHTS))]
# Activity by hour of the day (UTC+1 in Lyon; the shape matters, not the zone).
_HOURS = (1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 10, 12, 14, 13, 10, 9, 9, 10, 12, 14, 15, 12, 7, 3)
_HOUR_CUM = [sum(_HOURS[: i + 1]) / sum(_HOURS) for i in range(24)]


class History:
    """``n`` items over a year, as batches for ``Store.ingest`` (or plain rows for sqlite3)."""

    def __init__(self, n: int, *, seed: int = 6, batch: int = 1000, sync_days: int = 1):
        self.n = n
        self.seed = seed
        self.batch = batch
        self.sync_days = sync_days  # a sync every this many days (smaller histories: larger batches)
        self.accounts = account_specs()
        self.start_ms = int(START.timestamp() * 1000)
        self.end_ms = int(END.timestamp() * 1000)
        rng = random.Random(seed)
        shares = [a.share for a in self.accounts]
        self.authors_per_account = [max(50, round(AUTHORS * s)) for s in shares]
        self.authors_per_account[0] += AUTHORS - sum(self.authors_per_account)
        self._times = self._timestamps(rng)
        cum = [sum(shares[: i + 1]) for i in range(len(shares))]
        self._account_of = [min(bisect.bisect_left(cum, rng.random()), ACCOUNTS - 1) for _ in range(n)]

    def _timestamps(self, rng: random.Random) -> list[int]:
        """Sorted creation times: activity grows over the year (density 0.6 -> 1.4) with daily peaks."""
        a, b = 0.6, 0.8
        times = []
        for _ in range(self.n):
            x = (-a + math.sqrt(a * a + 2 * b * rng.random())) / b
            day = min(int(x * 365), 364)
            hour = bisect.bisect_left(_HOUR_CUM, rng.random())
            times.append(self.start_ms + day * DAY_MS + hour * 3_600_000 + rng.randrange(3_600_000))
        times.sort()
        return times

    def batches(self) -> Iterator[Batch]:
        """Every item once, as a daily sync delivers them: per account and sync, at most ``batch``."""
        rng = random.Random(self.seed + 1)
        maker = _Maker(self, rng)
        pending: dict[int, Batch] = {}
        day = None
        for n, (created, account) in enumerate(zip(self._times, self._account_of, strict=True)):
            today = (created - self.start_ms) // (DAY_MS * self.sync_days)
            if today != day:
                yield from (pending.pop(a) for a in sorted(pending))
                day = today
            current = pending.setdefault(account, Batch(account, []))
            incoming, verdict = maker.item(n, account, created)
            current.items.append(incoming)
            if verdict is not None:
                current.verdicts[incoming.platform_item_id] = verdict
            if len(current.items) >= self.batch:
                yield pending.pop(account)
        yield from (pending.pop(a) for a in sorted(pending))

    def verdict_status(self, verdict: Verdict | None, is_own: bool) -> Status:
        """The status the store gives an item (the raw importer needs it too)."""
        if is_own:
            return Status.DONE
        return verdict.status if verdict is not None and verdict.status is not None else Status.NEW


class _Maker:
    """Builds items one at a time, keeping the per-account state (threads, last items) it needs."""

    def __init__(self, history: History, rng: random.Random):
        self.h = history
        self.rng = rng
        self.text = TextMaker(rng)
        self.authors: dict[tuple[int, int], IncomingAuthor] = {}
        self.threads: list[list[tuple[str, str]]] = [[] for _ in history.accounts]  # (thread id, title)
        self.last_in_thread: dict[tuple[int, str], str] = {}
        self.rooms = {
            i: [(f"!{_token(rng, 18)}:{a.handle.split(':')[-1]}", f"Salon {p}") for p in PLACES[:12]]
            for i, a in enumerate(history.accounts)
            if a.platform == "matrix"
        }

    def author(self, account: int, index: int) -> IncomingAuthor:
        key = (account, index)
        found = self.authors.get(key)
        if found is not None:
            return found
        spec = self.h.accounts[account]
        digest = hashlib.blake2b(f"{account}:{index}".encode(), digest_size=8).digest()
        pick = random.Random(digest)
        first, last = pick.choice(FIRST_NAMES), pick.choice(LAST_NAMES)
        name = f"{first} {last}" + (f" {pick.choice(EMOJI)}" if pick.random() < 0.08 else "")
        user = f"{first}{last[:1]}{index}".lower()
        if spec.platform == "mastodon":
            server = pick.choice(("mastodon.social", "piaille.fr", "framapiaf.org", "mamot.fr", "eldritch.cafe"))
            found = IncomingAuthor(
                str(108_000_000_000 + index * 7919), name, f"{user}@{server}", f"https://{server}/@{user}"
            )
        elif spec.platform == "bluesky":
            did = "did:plc:" + digest.hex() + _token(pick, 8)
            found = IncomingAuthor(did, name, f"{user}.bsky.social", f"https://bsky.app/profile/{user}.bsky.social")
        else:
            server = pick.choice(("matrix.org", "tchncs.de", "imag.fr"))
            found = IncomingAuthor(
                f"@{user}:{server}", name, f"@{user}:{server}", f"https://matrix.to/#/@{user}:{server}"
            )
        self.authors[key] = found
        return found

    def _thread(self, account: int, kind: ItemKind, author: IncomingAuthor, pid: str) -> tuple[str, str]:
        rng = self.rng
        if kind is ItemKind.DIRECT_MESSAGE:
            return f"dm:{author.platform_author_id}", f"Message privé · {author.display_name}"
        if account in self.rooms:
            return rng.choice(self.rooms[account])
        if kind is ItemKind.MENTION:
            return pid, ""
        threads = self.threads[account]
        if not threads or rng.random() < 1 / 30:
            title = self.text.rng.choice(self.text.posts)[:120]
            threads.append((f"post-{account}-{len(threads)}-{_token(rng, 6)}", title))
            if len(threads) > 8:
                del threads[0]
        return threads[-1 - min(int(rng.random() ** 3 * len(threads)), len(threads) - 1)]

    def item(self, n: int, account: int, created: int) -> tuple[IncomingItem, Verdict | None]:
        rng, spec = self.rng, self.h.accounts[account]
        roll = rng.random()
        kind = _KINDS[bisect.bisect_left(_KIND_CUM, roll)]
        is_own = rng.random() < 0.03
        if is_own:
            kind = ItemKind.REPLY
            author = IncomingAuthor(f"self-{account}", spec.name, spec.handle, spec.base_url)
        else:
            count = self.h.authors_per_account[account]
            author = self.author(account, min(int(count * rng.random() ** 2.2), count - 1))
        text_kind = "thanks" if is_own else _kind_of_text(rng)
        lang = "fr" if rng.random() < 0.62 else "en"
        text = self.text.message(lang, text_kind if text_kind not in ("spam", "insult") else "complaint")
        if text_kind in ("spam", "insult"):
            text = self.text.rng.choice(self.text.corpus.get((lang, text_kind), [text])) + " " + text
        pid, url, original, ref = self._platform_fields(spec, account, n, created, author, text)
        thread_id, title = self._thread(account, kind, author, pid)
        parent = ""
        if kind is ItemKind.REPLY:
            parent = self.last_in_thread.get((account, thread_id), thread_id)
        self.last_in_thread[(account, thread_id)] = pid
        moderation = Moderation.VISIBLE
        if rng.random() < 0.013:
            moderation = Moderation.HIDDEN if rng.random() < 0.75 else Moderation.DELETED
        incoming = IncomingItem(
            platform_item_id=pid,
            kind=kind,
            text=text,
            created_at=datetime.fromtimestamp(created / 1000, UTC),
            author=author,
            thread_platform_id=thread_id,
            parent_platform_id=parent,
            url=url,
            lang=lang,
            original=original,
            is_own=is_own,
            moderation=moderation,
            thread_title=title,
            ref=ref,
        )
        return incoming, (None if is_own else self._verdict(created, text_kind))

    def _platform_fields(self, spec, account, n, created, author, text) -> tuple[str, str, str, str]:
        rng = self.rng
        if spec.platform == "mastodon":
            pid = str((created << 16) | (n & 0xFFFF))
            user, _, server = author.handle.partition("@")
            url = f"https://{server}/@{user}/{pid}"
            original = f'<p><span class="h-card"><a href="{spec.base_url}">@{spec.handle.split("@")[1]}</a></span> '
            original += html.escape(text) + "</p>"
            ref = json.dumps({"acct": author.handle, "mentions": []}, separators=(",", ":"))
            return pid, url, original, ref
        if spec.platform == "bluesky":
            tid = _token(rng, 13)
            pid = f"at://{author.platform_author_id}/app.bsky.feed.post/{tid}"
            url = f"https://bsky.app/profile/{author.handle}/post/{tid}"
            cid = "bafyrei" + _token(rng, 52)
            ref = json.dumps({"uri": pid, "cid": cid, "did": author.platform_author_id}, separators=(",", ":"))
            return pid, url, "", ref
        pid = "$" + _token(rng, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        url = f"https://matrix.to/#/{pid}"
        return pid, url, "", json.dumps({"event": pid}, separators=(",", ":"))

    def _verdict(self, created: int, text_kind: str) -> Verdict | None:
        """What the rules and the team's year of work decided: status by age, spam, flags, tags."""
        rng = self.rng
        age_days = (self.h.end_ms - created) / DAY_MS
        if text_kind == "spam":
            return Verdict(status=Status.SPAM, tags=("promo",) if rng.random() < 0.2 else ())
        flag = None
        if text_kind == "insult" and age_days < 30:
            flag = Flag("Insult or threat", ("terms",), "Abuse", severity=rng.choice((40, 70, 90)))
        roll = rng.random()
        if age_days < 3:
            status = Status.NEW if roll < 0.65 else Status.OPEN if roll < 0.8 else Status.ANSWERED
        elif age_days < 30:
            status = next(s for s, limit in ((Status.NEW, 0.35), (Status.OPEN, 0.45), (Status.ANSWERED, 0.7),
                                             (Status.DONE, 1.0)) if roll < limit)  # fmt: skip
        else:
            # Never opened is common on busy accounts: many comments need no answer.
            status = next(s for s, limit in ((Status.NEW, 0.27), (Status.OPEN, 0.31), (Status.ANSWERED, 0.47),
                                             (Status.DONE, 1.0)) if roll < limit)  # fmt: skip
        tags: tuple[str, ...] = ()
        roll = rng.random()
        if roll < 0.33:
            tags = (TAGS[min(int(rng.random() ** 1.6 * len(TAGS)), len(TAGS) - 1)],)
            if roll < 0.06:
                tags += (rng.choice(TAGS),)
        return Verdict(flag=flag, status=status, tags=tuple(dict.fromkeys(tags)), priority=1 if flag else 0)


def raw_item_row(
    item_id: int, account_id: int, e: IncomingItem, author_id: int, thread_id, fetched: int, verdict: Verdict | None
) -> tuple:
    """The item row the store writes for ``e`` (same columns, same values), for the raw importer."""
    status = Status.DONE if e.is_own else Status.NEW
    queue, flag, priority = QueueState.NONE, None, 0
    if verdict is not None:
        flag = verdict.flag
        if verdict.status is not None:
            status = verdict.status
        if flag is not None:
            queue = QueueState.PENDING
        priority = verdict.priority
    return (
        item_id, account_id, e.platform_item_id, thread_id, e.parent_platform_id, author_id,
        e.author.display_name, e.author.handle, int(e.kind), int(status), int(e.moderation), int(queue),
        priority, flag.severity if flag else 0, int(e.is_own), int(e.created_at.timestamp() * 1000), fetched,
        e.text, e.lang, e.url, e.original if e.original != e.text else "", e.ref,
        flag.reason if flag else "", json.dumps(list(flag.terms), ensure_ascii=False) if flag else "",
        flag.rule if flag else "",
    )  # fmt: skip
