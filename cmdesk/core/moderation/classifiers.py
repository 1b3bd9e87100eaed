"""Offline classifiers: toxicity (insults, threats, hate), spam, sentiment, language.

Everything runs from the lexicons in ``data/`` and py3langid's bundled model: nothing is
downloaded, nothing is sent anywhere. The approach, and why (figures in LEXICONS.md):

- **Language first**: lexicons are chosen by language, so that the French "retard" (delay)
  and "ma chienne" (my dog) are not read as English or French abuse.
- **Toxicity in tiers**: tier-1 words are abusive anywhere; tier-2 name-calling ("escrocs",
  "morons") only when aimed at people ("bande d'escrocs", "you complete morons"), so that
  "le service est nul" stays civil criticism; tier-3 swearing only in a negative comment, so
  that "putain c'est trop bon" is praise. Threat and hate phrases are regexes ("je sais où tu
  habites", "I know where you live"). Allow-listed phrases ("pain bâtard") neutralise hits.
- **Sentiment**: a valence lexicon per language with idioms ("pas terrible", "pas mal",
  "can't recommend enough"), negation, intensifiers, downtoners and "but" clauses, squashed to
  [-1, 1] like VADER.
- **Spam**: links (more so shorteners and throw-away domains), money/crypto/giveaway and
  "contact me elsewhere" phrases, phone numbers, copies of a recent text, money emoji.

``classify(text, lang=None)`` returns ``Scores``; every score is in [0, 1] except sentiment,
in [-1, 1]. Labels use ``TOXIC``, ``SPAM`` and ``SENTIMENT`` thresholds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from cmdesk.core.models import reduce_to_fields
from cmdesk.core.moderation import features
from cmdesk.core.moderation.language import UNDETERMINED, detect_language
from cmdesk.core.moderation.lexicon import Lexicons, PatternIndex, lexicons
from cmdesk.core.moderation.normalise import NormalisedText, normalise

__all__ = ["SENTIMENT", "SPAM", "TOXIC", "Scores", "classify", "sentiment", "spam_score", "toxicity"]

TOXIC = 0.5  # toxicity at or above: "toxic"
SPAM = 0.5  # spam at or above: "spam"
SENTIMENT = 0.3  # compound above: positive, below minus: negative
MAX_CHARS = 20_000  # the classifiers read at most this much of a text (a 100 KB paste is spam anyway)

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_BARRIER = frozenset(".!?;:,")
_PHONE = re.compile(r"(?<!\d)(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?){3,5}\d{2,4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]{2,}")
_DIGIT = re.compile(r"\d")  # a phone number needs one: one quick scan spares most texts _PHONE
_MONEY_EMOJI = frozenset("💰💸🤑💵💶💲🚀📈💎🎁🔥✅")
_BAD_TLDS = ("xyz", "top", "click", "icu", "tk", "ml", "ga", "cf", "gq", "work", "loan", "win", "bid", "ru", "su", "pw")


@dataclass(frozen=True, slots=True)
class Scores:
    """What ``classify`` says about one text. ``reasons`` explain the scores in words."""

    toxicity: float
    toxicity_label: str  # "toxic" | "ok"
    threat: float
    spam: float
    spam_label: str  # "spam" | "ok"
    sentiment: float  # -1 … 1
    sentiment_label: str  # "positive" | "neutral" | "negative"
    language: str
    reasons: tuple[str, ...] = ()

    __reduce__ = reduce_to_fields  # the scoring worker sends them back by the thousand

    def to_dict(self) -> dict:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        for key in ("toxicity", "threat", "spam", "sentiment"):
            out[key] = round(out[key], 3)
        return out


# --- tokens ------------------------------------------------------------------------------


class _Tokens:
    """Token positions of a normalised text, to measure distances between hits."""

    def __init__(self, text: str) -> None:
        matches = list(_TOKEN.finditer(text))
        self.starts = [m.start() for m in matches]
        self.texts = [m.group() for m in matches]

    def index(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def barrier_between(self, a: int, b: int) -> bool:
        return any(t in _BARRIER for t in self.texts[a + 1 : b])

    def words(self) -> list[str]:
        return [t for t in self.texts if t[0].isalnum()]


def _outside(hits, allowed: list[tuple[int, int]]):
    """Hits that do not sit inside an allow-listed phrase."""
    return [h for h in hits if not any(a <= h[1] and h[2] <= b for a, b in allowed)]


def _longest(hits):
    """Overlapping hits reduced to the longest (an idiom wins over the words in it)."""
    chosen = []
    for hit in sorted(hits, key=lambda h: (h[1], -(h[2] - h[1]))):
        if chosen and hit[1] < chosen[-1][2]:
            continue
        chosen.append(hit)
    return chosen


# --- sentiment ---------------------------------------------------------------------------


def sentiment(norm: NormalisedText, lex: Lexicons, extra: float = 0.0) -> tuple[float, list[str]]:
    """Compound valence in [-1, 1] and the words that carried it. ``extra`` adds raw valence."""
    carried = _valences(norm, lex)
    if not carried and not extra:
        return 0.0, []
    return _compound(norm.text, carried, extra), [f"{w} ({v:+.1f})" for v, w in carried]


def _valences(norm: NormalisedText, lex: Lexicons) -> list[tuple[float, str]]:
    """(valence, word) of each sentiment word once negators, scalers and contrasts are applied.

    Independent of ``extra``: ``classify`` computes it once for its two sentiment readings.
    """
    text = norm.text
    hits = _longest(lex.valence.scan(norm))
    if not hits:
        return []
    tokens = _Tokens(text)
    mods = lex.modifiers
    negators = [(tokens.index(s), tokens.index(e - 1)) for _, s, e in mods.negators.scan(norm)]
    ne_positions = [i for i, t in enumerate(tokens.texts) if t in ("ne", "n")]
    for _, s, e in mods.negators_after_ne.scan(norm) if ne_positions else ():
        i = tokens.index(s)
        if any(0 < i - j <= 4 for j in ne_positions):
            negators.append((i, tokens.index(e - 1)))
    scalers = {tokens.index(e - 1): mods.scalers.payloads[k] for k, _, e in mods.scalers.scan(norm)}
    contrasts = [tokens.index(s) for _, s, _ in mods.contrast.scan(norm)]
    last_contrast = max(contrasts) if contrasts else -1
    carried = []
    used_as_scaler: set[int] = set()
    for k, s, e in hits:
        first = tokens.index(s)
        value = lex.valence.payloads[k]
        for back in (1, 2):
            j = first - back
            if j in scalers and not tokens.barrier_between(j, first):
                value *= scalers[j]
                used_as_scaler.add(j)
                break
        last = tokens.index(e - 1)
        before = any(0 < first - end <= 4 and not tokens.barrier_between(end, first) for _, end in negators)
        # French wraps the verb: "ne plante pas", "n'est jamais froid".
        wrapped = any(0 < first - j <= 2 for j in ne_positions) and any(0 < start - last <= 2 for start, _ in negators)
        if before or wrapped:
            value *= -0.65 if value > 0 else -0.4
        if last_contrast >= 0:
            value *= 1.4 if first > last_contrast else 0.6
        carried.append((first, value, text[s:e]))
    return [(v, w) for first, v, w in carried if first not in used_as_scaler]


def _compound(text: str, carried: list[tuple[float, str]], extra: float) -> float:
    """The valences of ``_valences`` and ``extra`` squashed to [-1, 1], like VADER."""
    total = extra
    total += sum(v for v, _ in carried)
    if total:
        bangs = min(text.count("!"), 3)
        total += math.copysign(0.25 * bangs, total)
    compound = total / math.sqrt(total * total + 15)
    return max(-1.0, min(1.0, compound))


def _label(compound: float) -> str:
    if compound >= SENTIMENT:
        return "positive"
    if compound <= -SENTIMENT:
        return "negative"
    return "neutral"


# --- toxicity ----------------------------------------------------------------------------


_ELONGATED = re.compile(r"(.)\1{2,}")


def _forms(text: str) -> tuple[str, ...]:
    """A text and its de-elongated readings ("stuuupid" -> "stupid"; "coool" -> "cool")."""
    if not _ELONGATED.search(text):
        return (text,)
    return (text, _ELONGATED.sub(r"\1", text), _ELONGATED.sub(r"\1\1", text))


def _search(patterns, text: str):
    """The first match of any pattern in any reading of ``text``."""
    for form in _forms(text):
        for pattern in patterns:
            m = pattern.search(form)
            if m:
                return m
    return None


def _search_indexed(index: PatternIndex, forms: tuple[str, ...]):
    """``_search(index.patterns, text)`` for ``forms == _forms(text)``, running only the
    patterns whose literals occur (in their order, so the same first match wins)."""
    for form in forms:
        for pattern in index.candidates(form):
            m = pattern.search(form)
            if m:
                return m
    return None


def _aimed(norm: NormalisedText, lex: Lexicons, start: int, end: int, kind: str) -> bool:
    """Is the tier-2 word at ``start:end`` aimed at people? ``kind`` is its flag: "" for a
    name-calling noun, "adj" for a word that also describes things, "crit" for one that judges
    work more than the person, "2p" for one that insults only when said to the reader."""
    text = norm.text
    before = text[max(0, start - 100) : start]
    after = text[end : end + 80]
    targets = lex.targets
    if _search(targets.self_reference, before):
        return False  # "je suis con", "I was an idiot": self-deprecation, not abuse
    if kind:
        # Said to the reader ("you are useless", "vous êtes nuls", "useless, all of you"), or,
        # for an adjective, used as a noun ("ce sont des incapables"). Not "the app is a bit
        # useless", "what a stupid rule", "le service est un peu nul": civil criticism.
        if _search(targets.second, before) or _search(targets.after_second, after):
            return True
        if kind == "2p":
            return False
        if kind == "adj" and _search(targets.person_subject, before):
            return True  # name-calling of a person: "the manager is stupid"
        if _search(targets.nominal, before):
            return True  # used as a noun: "ce sont des incapables"
        if _search(targets.exclaim, before) and _search(targets.person_after, after):
            return True  # about people: "what a moronic company"
        plural = text[end - 1 : end] in ("s", "x")
        return plural and bool(_search(targets.adj_start, before) and _search(targets.adj_start_after, after))
    if _search(targets.before, before):
        return True
    if _search(targets.after, after):
        return True
    if _search(targets.before_noun, before):
        return True
    if _search(targets.start, before) and _search(targets.start_after, after):
        return True  # a vocative that opens the comment: "Escrocs !", "Thieves, refund me"
    if _search(targets.end, before) and _search(targets.end_after, after):
        return True  # a vocative that closes it: "Shut up, clown."
    # A name-calling noun that is the whole comment is aimed at its reader: "Idiots" (not
    # "Animaux acceptés ?": another word makes it a phrase about something else).
    rest = _TOKEN.findall(text[:start] + " " + text[end:])
    return not any(t[0].isalpha() for t in rest)


# Between two name-calling words joined as one: "a drunk and a liar", "des menteurs et des voleurs".
_COORDINATION = re.compile(
    r"^[\s,]*(?:and|or|nor|&|et|ou|ni|voire)?\s*(?:an?|the|un|une|des|de|d'|du|le|la|les|l')?\s*(?:[a-z'-]+\s+)?$"
)


def _coordinated(text: str, aimed_end: int, start: int) -> bool:
    """Is the word at ``start`` joined to an aimed insult that ends at ``aimed_end``?"""
    return 0 <= aimed_end <= start and start - aimed_end <= 30 and bool(_COORDINATION.match(text[aimed_end:start]))


def toxicity(norm: NormalisedText, lex: Lexicons, mood: float) -> tuple[float, float, list[str]]:
    """(toxicity, threat, reasons) for a normalised text whose sentiment compound is ``mood``."""
    allowed = [(s, e) for _, s, e in lex.allow.scan(norm)]
    text = norm.text
    reasons: list[str] = []
    parts: list[float] = []
    threat = 0.0
    forms = _forms(text)
    m = _search_indexed(lex.threat_index, forms)
    if m:
        threat = 0.92
        parts.append(threat)
        reasons.append(f"threat: {m.group()!r}")
    m = _search_indexed(lex.hate_index, forms)
    if m:
        parts.append(0.93)
        reasons.append(f"hate: {m.group()!r}")
    abuse = _outside(lex.abuse.scan(norm), allowed)
    if abuse:
        parts.append(0.9 if len(abuse) == 1 else 0.96)
        reasons.extend(f"abuse: {text[s:e]!r}" for _, s, e in abuse[:5])
    aimed_end = -1  # where the last aimed insult ended: "a drunk and a liar" aims both
    for k, s, e in sorted(_outside(lex.insults.scan(norm), allowed), key=lambda h: h[1]):
        kind = lex.insults.payloads[k]
        if _aimed(norm, lex, s, e, kind) or (kind != "2p" and _coordinated(text, aimed_end, s)):
            parts.append(0.82)
            reasons.append(f"insult aimed at people: {text[s:e]!r}")
            aimed_end = e
        else:
            parts.append(0.32 if not kind else 0.2)
    swearing = _outside(lex.swearing.scan(norm), allowed)
    if swearing:
        word = text[swearing[0][1] : swearing[0][2]]
        if mood <= -SENTIMENT:
            parts.append(0.62)
            reasons.append(f"swearing in a negative comment: {word!r}")
        else:
            parts.append(0.4 if mood < SENTIMENT else 0.12)
    reasons = list(dict.fromkeys(reasons))
    if not parts:
        return 0.0, 0.0, reasons
    parts.sort(reverse=True)
    score = parts[0] + 0.05 * sum(1 for p in parts[1:] if p >= TOXIC)
    return min(score, 0.99), threat, reasons


# --- spam --------------------------------------------------------------------------------


def spam_score(
    text: str, norm: NormalisedText, lex: Lexicons, *, repeated: int = 0, links: tuple[str, ...] = ()
) -> tuple[float, list[str]]:
    """(spam score, reasons). ``repeated`` is how often this text was seen recently."""
    reasons: list[str] = []
    score = 0.0
    found = [*links, *features.extract_links(text)]
    if found:
        domains = [features.link_domain(link) for link in found]
        score += 0.25 + 0.1 * min(len(found) - 1, 4)
        reasons.append(f"{len(found)} link(s)")
        short = [d for d in domains if d in features.SHORTENERS]
        if short:
            score += 0.3
            reasons.append(f"link shortener: {short[0]}")
        bad = [d for d in domains if d.rsplit(".", 1)[-1] in _BAD_TLDS]
        if bad:
            score += 0.2
            reasons.append(f"throw-away domain: {bad[0]}")
    phrases = {}
    for k, s, e in lex.spam.scan(norm):
        phrases.setdefault(norm.text[s:e], lex.spam.payloads[k])
    if phrases:
        score += sum(phrases.values())
        reasons.append("spam words: " + ", ".join(list(phrases)[:5]))
    if _DIGIT.search(text) and _PHONE.search(text):
        score += 0.25
        reasons.append("phone number")
    if "@" in text and _EMAIL.search(text):
        score += 0.15
        reasons.append("e-mail address")
    # (The money emoji are single code points outside ASCII: a count per emoji runs in C.)
    money = 0 if text.isascii() else sum(map(text.count, _MONEY_EMOJI))
    if money >= 2:
        score += min(0.1 * money, 0.3)
        reasons.append("money emoji")
    ratio, letters = features.caps_ratio(text)
    if letters >= 20 and ratio >= 0.7:
        score += 0.1
    if repeated >= 3:
        score += 0.45
        reasons.append(f"same text seen {repeated} times")
    elif repeated == 2:
        score += 0.2
    return min(score, 1.0), reasons


# --- all together ------------------------------------------------------------------------


def classify(text: str, lang: str | None = None, *, repeated: int = 0, links: tuple[str, ...] = ()) -> Scores:
    """Score one text. ``lang`` skips detection when the platform gave it.

    Never raises on a str; a very long text is read up to ``MAX_CHARS`` characters.
    """
    notes = []
    if len(text) > MAX_CHARS:
        notes.append(f"only the first {MAX_CHARS} of {len(text)} characters were read")
        text = text[:MAX_CHARS]
    language = (lang or "").lower().split("-")[0] or detect_language(text)
    if language == UNDETERMINED:
        notes.append("no letters to read (emoji or symbols only): language undetermined")
    lex = lexicons(language if language != UNDETERMINED else "en")
    norm = normalise(text)
    valences = _valences(norm, lex)  # read once, for both sentiment readings
    mood = _compound(norm.text, valences, 0.0) if valences else 0.0
    tox, threat, reasons = toxicity(norm, lex, mood)
    if tox >= TOXIC:
        # Abuse is negative whatever the other words say ("great job, morons").
        mood = _compound(norm.text, valences, -2.5 * (1 + tox))
    spam, spam_reasons = spam_score(text, norm, lex, repeated=repeated, links=links)
    return Scores(
        toxicity=round(tox, 4),
        toxicity_label="toxic" if tox >= TOXIC else "ok",
        threat=round(threat, 4),
        spam=round(spam, 4),
        spam_label="spam" if spam >= SPAM else "ok",
        sentiment=round(mood, 4),
        sentiment_label=_label(mood),
        language=language,
        reasons=tuple(reasons + spam_reasons + notes),
    )
