"""The rule engine: compile rules once, evaluate every new item against them.

``RuleSet.compile(rules)`` builds, for all rules together, one Aho-Corasick automaton over
every keyword (normalised), the regular expressions (checked, with time-outs) and a second
automaton over the literals those regexes need. Evaluating an item then costs one
normalisation and, for most texts, one pass of an automaton that holds both the exact keyword
spellings and the regex literals (and the "markers" that send the rare elongated text to the
slower squeezed path); a rule is looked at only if one of its keywords or regex literals is
in the text, or if it has conditions that no keyword can rule out (links, capitals,
scores…), and a regex runs only when every literal set it needs is there. Nothing is built
for an item that no rule needs to look at. Costly facts (language, classifier scores) are
computed only when a rule reaches a condition that needs them.

``evaluate`` answers with the first matching rule (its reason and actions) and every term
matched by any matching rule; ``evaluate_all`` lists every matching rule. ``plan_actions``
keeps the actions a platform can carry out, ``match_rate`` tells the editor's preview how
broad a rule is. The caller owns a ``RecentTexts`` for the ``repeated`` condition.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import ahocorasick

from cmdesk.core.models import Account, Flag, IncomingItem, Item, ItemKind, Platform
from cmdesk.core.moderation import features
from cmdesk.core.moderation.conditions import Action, Condition, Problem, Rule, RuleError
from cmdesk.core.moderation.matcher import Hit, KeywordMatcher, plural_end, with_markers
from cmdesk.core.moderation.normalise import NormalisedText, fold, is_mixed_script, normalise, squeeze
from cmdesk.core.moderation.regexes import DIGITS, RegexError, SafeRegex


@functools.cache
def _classifiers():
    """The classifiers, imported when a rule first needs them (they bring numpy and py3langid);
    once, not per item: an import statement costs a lookup through Qt's import hook."""
    from cmdesk.core.moderation import classifiers

    return classifiers


# The spam score counts copies of a text from its second sighting on: below that, scores computed
# ahead without the count are the scores (tests/core/moderation/test_prescored.py checks it).
REPEAT_COUNTS_FROM = 2

__all__ = [
    "ActionPlan",
    "ItemFacts",
    "Match",
    "MatchRate",
    "RecentTexts",
    "RuleSet",
    "Scorer",
    "match_rate",
    "plan_actions",
]

_NOT_WORD = re.compile(r"[\W_]+")


class Scorer(Protocol):
    """Anything with ``score(text) -> float in [0, 1]``: the learned model, typically."""

    def score(self, text: str) -> float: ...


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What the rules look at. Build one with ``from_incoming``/``from_item`` or by hand.

    ``lang`` is the platform's language tag if it gave one ("" = detect when a rule asks);
    ``links`` are links the platform reported beside the text (cards, attachments).
    ``prescored`` is ``classify(text, lang or None, links=links)`` computed ahead of time (the
    sync scores a batch in a worker process); it stands for the scores unless the text was
    seen twice or more recently, when the spam score counts the copies.
    """

    text: str
    lang: str = ""
    platform: str = ""
    account: str = ""
    kind: ItemKind | None = None
    author_id: str = ""
    author_handle: str = ""
    author_is_new: bool = False
    links: tuple[str, ...] = ()
    prescored: Any = None  # classifiers.Scores

    @classmethod
    def from_incoming(
        cls, item: IncomingItem, account: Account, *, author_is_new: bool = False, prescored: Any = None
    ) -> ItemFacts:
        return cls(
            text=item.text,
            lang=item.lang,
            platform=Platform(account.platform).value,
            account=account.name,
            kind=item.kind,
            author_id=item.author.platform_author_id,
            author_handle=item.author.handle,
            author_is_new=author_is_new,
            prescored=prescored,
        )

    @classmethod
    def from_item(cls, item: Item, account: Account, *, author_is_new: bool = False) -> ItemFacts:
        return cls(
            text=item.text,
            lang=item.lang,
            platform=Platform(account.platform).value,
            account=account.name,
            kind=item.kind,
            author_id=item.author.platform_author_id,
            author_handle=item.author.handle,
            author_is_new=author_is_new,
        )


class RecentTexts:
    """A bounded memory of recent texts, for "the same text posted again and again".

    Texts are compared by a fingerprint of their normalised, squeezed letters and digits, so
    that changing case, spacing or punctuation does not make a copy look new. At most
    ``capacity`` fingerprints are kept (least recently seen dropped first): memory stays
    constant however long the stream. Call ``observe`` once per new item, before evaluating.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[bytes, tuple[int, frozenset[str]]] = OrderedDict()
        self._last: tuple[str, bytes] = ("", b"")  # an item's text is observed, then counted, often twice

    def _key(self, text: str) -> bytes:
        last_text, last_key = self._last
        if text is last_text or text == last_text:
            return last_key
        key = self.fingerprint(text)[0]
        self._last = (text, key)
        return key

    def __len__(self) -> int:
        return len(self._seen)

    @staticmethod
    def fingerprint(text: str) -> tuple[bytes, int]:
        """(digest, length of the compared form)."""
        core = _NOT_WORD.sub("", squeeze(normalise(text).text))
        return hashlib.blake2b(core.encode("utf-8", "surrogatepass"), digest_size=12).digest(), len(core)

    def observe(self, text: str, author: str = "", *, fingerprint: bytes | None = None) -> int:
        """Record one more sighting of ``text`` by ``author``; return how many times it was seen.

        ``fingerprint`` is ``fingerprint(text)[0]`` when the caller already has it (the scoring
        worker makes it)."""
        if fingerprint is not None:
            self._last = (text, fingerprint)
        key = self._key(text)
        count, authors = self._seen.pop(key, (0, frozenset()))
        if author and len(authors) < 64:
            authors = authors | {author}
        self._seen[key] = (count + 1, authors)
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return count + 1

    def count(self, text: str) -> tuple[int, int]:
        """(times seen, distinct authors) for ``text``."""
        count, authors = self._seen.get(self._key(text), (0, frozenset()))
        return count, len(authors)


@dataclass(frozen=True)
class Match:
    """A rule that matched one item, with the evidence.

    ``terms`` are the keyword and regex hits with their spans in the original text (for
    highlighting); ``why`` says in words which conditions held; ``also`` names the other rules
    that matched (``evaluate`` only).
    """

    rule: str
    reason: str
    actions: tuple[Action, ...]
    terms: tuple[Hit, ...] = ()
    why: tuple[str, ...] = ()
    priority: int = 50
    also: tuple[str, ...] = ()

    @property
    def term_texts(self) -> tuple[str, ...]:
        """The matched terms, each once, as the rules wrote them (regexes as /pattern/)."""
        return tuple(dict.fromkeys(h.term for h in self.terms))

    def to_flag(self) -> Flag:
        """The ``Flag`` kept on the item: first rule's reason, every matched term."""
        return Flag(reason=self.reason, terms=self.term_texts, rule=self.rule, severity=self.priority)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": self.reason,
            "terms": [{"term": h.term, "matched": h.matched, "start": h.start, "end": h.end} for h in self.terms],
            "why": list(self.why),
            "actions": [a.to_dict() for a in self.actions],
            "priority": self.priority,
            "also": list(self.also),
        }


# Frozen dataclasses build their instances through ``object.__setattr__``, one call per field:
# that was a good part of the cost of a matching item. These build the very same instances
# (same fields, same values; a test checks equality) with the field setters directly.
_new = object.__new__
_HIT_SETTERS = tuple(Hit.__dict__[name].__set__ for name in ("term", "start", "end", "matched", "payload"))


def _hit(term: str, start: int, end: int, matched: str) -> Hit:
    hit = _new(Hit)
    set_term, set_start, set_end, set_matched, set_payload = _HIT_SETTERS
    set_term(hit, term)
    set_start(hit, start)
    set_end(hit, end)
    set_matched(hit, matched)
    set_payload(hit, None)
    return hit


def _match(rule, reason, actions, terms, why, priority, also) -> Match:
    match = _new(Match)
    fields = match.__dict__
    fields["rule"] = rule
    fields["reason"] = reason
    fields["actions"] = actions
    fields["terms"] = terms
    fields["why"] = why
    fields["priority"] = priority
    fields["also"] = also
    return match


# --- compilation -------------------------------------------------------------------------

_Node = Callable[["_Context"], bool]
_Gate = frozenset[int] | None  # signals one of which must fire for the rule to match; None = always look


@dataclass
class _Compiled:
    rule: Rule
    node: _Node
    gate: _Gate
    label: str = ""  # the rule's label and priority, read once (they are properties)
    priority: int = 50


@dataclass
class _Regex:
    safe: SafeRegex
    on_normalised: bool
    label: str
    # Further literal sets a match needs, folded like the text it is searched in (None for
    # "some digit"): a candidate lacking one is not searched at all.
    needs: tuple[tuple[str, ...] | None, ...] = ()


class RuleSet:
    """Rules compiled for fast, repeated evaluation. Build with ``RuleSet.compile``."""

    def __init__(self) -> None:
        self.rules: tuple[Rule, ...] = ()
        self.warnings: list[str] = []
        self.learned: Scorer | None = None
        self._compiled: list[_Compiled] = []
        self._terms: list[tuple[str, int]] = []
        self._matcher = KeywordMatcher([])
        self._regexes: dict[int, _Regex] = {}
        self._literal_ac: dict[bool, Any] = {}  # on_normalised -> automaton
        self._digit_regexes: set[int] = set()
        self._always_regexes: set[int] = set()
        self._ids: dict[int, int] = {}  # id(Condition) -> signal id
        self._nodes: dict[int, _Node] = {}  # id(Condition) -> compiled node (for explanations)
        self._always: list[int] = []  # rules to look at on every item
        self._by_signal: dict[int, list[int]] = {}  # keyword/regex signal -> rules it may wake
        self._next = 0
        self.uses_author_new = False  # a rule asks whether the author is new: callers must know
        self.uses_scores = False  # a rule reads a built-in classifier: callers may score ahead

    @property
    def empty(self) -> bool:
        """No rule is switched on: nothing can match, so there is nothing to judge."""
        return not self._compiled

    @classmethod
    def compile(cls, rules: Iterable[Rule], *, learned: Scorer | None = None) -> RuleSet:
        """Compile enabled rules (order kept: the first match wins). Raises ``RuleError``."""
        self = cls()
        self.rules = tuple(rules)
        self.learned = learned
        for rule in self.rules:
            if not rule.enabled:
                continue
            try:
                node, gate = self._compile(rule.when)
            except RegexError as exc:
                raise RuleError([Problem((rule.name,), f"regex refused: {exc}")]) from exc
            if gate is None:
                self.warnings.append(f"rule {rule.name!r} is checked on every item (no keyword narrows it)")
            index = len(self._compiled)
            self._compiled.append(_Compiled(rule, node, gate, rule.label, rule.priority))
            if gate is None:
                self._always.append(index)
            else:
                for signal in gate:
                    self._by_signal.setdefault(signal, []).append(index)
        self._matcher = KeywordMatcher(self._terms)
        self._combined = None
        for on_normalised in (False, True):
            literals = [
                (lit, rid)
                for rid, rx in self._regexes.items()
                if rx.on_normalised is on_normalised and rx.safe.literals and rx.safe.literals != DIGITS
                for lit in rx.safe.literals
            ]
            if literals:
                automaton = ahocorasick.Automaton()
                by_literal: dict[str, set[int]] = {}
                for lit, rid in literals:
                    key = normalise(lit).text if on_normalised else fold(lit)
                    if key:
                        by_literal.setdefault(key, set()).add(rid)
                    else:  # folds to nothing (an invisible character): run the regex always
                        self._always_regexes.add(rid)
                for lit, rids in by_literal.items():
                    automaton.add_word(lit, frozenset(rids))
                automaton.make_automaton()
                self._literal_ac[on_normalised] = automaton
                if not on_normalised:
                    self._combine(by_literal)
        if self._combined is None and len(self._matcher):
            self._combine({})
        return self

    def _combine(self, literals: dict[str, set[int]]) -> None:
        """One automaton for the exact keyword spellings and the regex literals together: most
        texts fold to their matching form unchanged, and then one pass finds both."""
        exact = with_markers(self._matcher.exact_keys, self._matcher.markers)
        table: dict[str, tuple[tuple, frozenset[int]]] = {key: (entries, frozenset()) for key, entries in exact.items()}
        for key, rids in literals.items():
            entries, _ = table.get(key, ((), frozenset()))
            table[key] = (entries, frozenset(rids))
        automaton = ahocorasick.Automaton()
        for key, value in table.items():
            automaton.add_word(key, value)
        automaton.make_automaton()
        self._combined = automaton

    def _signal(self, condition: Condition) -> int:
        self._next += 1
        self._ids[id(condition)] = self._next
        return self._next

    def _compile(self, c: Condition) -> tuple[_Node, _Gate]:
        node, gate = self._compile_node(c)
        self._nodes[id(c)] = node
        return node, gate

    def _compile_node(self, c: Condition) -> tuple[_Node, _Gate]:
        kind, p = c.kind, c.params
        if kind in ("all", "any"):
            parts = [self._compile(child) for child in c.children]
            nodes = [n for n, _ in parts]
            gates = [g for _, g in parts]
            if kind == "all":
                known = [g for g in gates if g is not None]
                gate = min(known, key=len) if known else None
                return _all_of(nodes), gate
            gate = None if any(g is None for g in gates) else frozenset().union(*gates)
            return _any_of(nodes), gate
        if kind == "not":
            inner, _ = self._compile(c.children[0])
            return (lambda ctx: not inner(ctx)), None
        if kind == "keywords":
            sid = self._signal(c)
            self._terms.extend((term, sid) for term in p["terms"])
            return (lambda ctx: sid in ctx.keyword_hits), frozenset([sid])
        if kind == "regex":
            sid = self._signal(c)
            safe = SafeRegex(p["pattern"], p["ignore_case"])
            on_normalised = p["on"] == "normalised"
            needs = []
            for group in safe.more_literals:
                if group == DIGITS:
                    needs.append(None)
                    continue
                keys = tuple(normalise(lit).text if on_normalised else fold(lit) for lit in group)
                if all(keys):  # a literal that folds to nothing cannot narrow anything
                    needs.append(keys)
            self._regexes[sid] = _Regex(safe, on_normalised, f"/{p['pattern']}/", tuple(needs))
            if safe.literals == DIGITS:
                self._digit_regexes.add(sid)
            elif not safe.literals:
                self._always_regexes.add(sid)
                return (lambda ctx: ctx.regex(sid) is not None), None
            return (lambda ctx: ctx.regex(sid) is not None), frozenset([sid])
        self._signal(c)
        self.uses_author_new |= kind == "author_new"
        self.uses_scores |= kind == "score" and p.get("classifier") != "learned"
        return _LEAVES[kind](p), None

    # --- evaluation ----------------------------------------------------------------------

    def _prepare(self, facts: ItemFacts, recent: RecentTexts | None) -> tuple[_Context | None, list[int]]:
        """Normalise and scan one item: its context and the indices of the rules worth looking
        at, in order. No context at all when no rule needs a look (most items).

        Evaluating an item costs one normalisation and, in the common case, one automaton pass
        that finds the keywords and the regex literals together (see ``_combine``).
        """
        norm = normalise(facts.text)
        text = norm.text
        hits: dict[int, list[tuple[int, int, int]]] = {}
        candidates: set[int] = set()
        if not (
            self._combined is not None
            and text is norm.folded
            and "*" not in text
            and self._one_pass(text, hits, candidates)
        ):
            self._scan(norm, hits, candidates)
        if self._digit_regexes and norm.has_digit:
            candidates.update(self._digit_regexes)
        if self._always_regexes:
            candidates.update(self._always_regexes)
        if not hits and not candidates:
            if not self._always:
                return None, []
            return _Context(self, facts, recent, norm, hits, candidates), self._always
        by_signal = self._by_signal
        woken = set(self._always)
        for signal in (*hits, *candidates):
            rules = by_signal.get(signal)
            if rules:
                woken.update(rules)
        return _Context(self, facts, recent, norm, hits, candidates), sorted(woken)

    def _context(self, facts: ItemFacts, recent: RecentTexts | None = None) -> _Context:
        """A scanned context even when no rule needs a look (for tests and explanations)."""
        ctx, _ = self._prepare(facts, recent)
        return ctx if ctx is not None else _Context(self, facts, recent)

    def _one_pass(self, text: str, hits: dict, candidates: set[int]) -> bool:
        """The common case: the text is its own matching form, one automaton pass does all.

        False (and nothing recorded) when a marker says the keywords need the squeezed path.
        """
        open_ends = self._matcher.open_ends
        signals = self._terms
        size = len(text)
        for last, (entries, rids) in self._combined.iter(text):
            if rids:
                candidates.update(rids)
            for index, length in entries:
                if index < 0:  # a marker (an elongation the keywords use, two spaces)
                    hits.clear()
                    candidates.clear()
                    return False
                # ``KeywordMatcher._bounds`` written out for a text without masks.
                stop = last + 1
                start = stop - length
                prefix, suffix = open_ends[index]
                if not suffix and start and text[start - 1].isalpha() and text[start].isalpha():
                    continue  # inside a word ("con" in "economy")
                if not prefix and stop < size and text[stop].isalpha() and text[stop - 1].isalpha():
                    if text[stop] == text[stop - 1]:
                        continue
                    stop = plural_end(text, stop)
                    if stop is None:
                        continue
                sid = signals[index][1]
                if sid in hits:
                    hits[sid].append((index, start, stop))
                else:
                    hits[sid] = [(index, start, stop)]
        normalised = self._literal_ac.get(True)
        if normalised is not None:
            for _, rids in normalised.iter(text):
                candidates.update(rids)
        return True

    def _scan(self, norm: NormalisedText, hits: dict, candidates: set[int]) -> None:
        """The general case: the keyword matcher (squeezed path when needed), then the literals."""
        if len(self._matcher):
            for index, start, end in self._matcher.scan(norm):
                hits.setdefault(self._terms[index][1], []).append((index, start, end))
        for on_normalised, automaton in self._literal_ac.items():
            # Literals are folded like the text (per character, so a literal in the text is a
            # literal in its folded form): the folded text is already there.
            for _, rids in automaton.iter(norm.text if on_normalised else norm.folded):
                candidates.update(rids)

    def evaluate_all(
        self, facts: ItemFacts, recent: RecentTexts | None = None, *, first: bool = False, terms_only: bool = False
    ) -> list[Match]:
        """Every matching rule in order (only the first with ``first=True``).

        ``terms_only`` leaves ``why`` empty on every match but the first (what ``evaluate`` needs).
        """
        ctx, order = self._prepare(facts, recent)
        compiled = self._compiled
        matches: list[Match] = []
        for index in order:
            entry = compiled[index]
            if entry.node(ctx):
                # Only the first match's "why" is ever shown by ``evaluate``; the others give terms.
                matches.append(ctx.describe(entry, explain=first or not terms_only or not matches))
                if first:
                    break
        return matches

    def evaluate(self, facts: ItemFacts, recent: RecentTexts | None = None) -> Match | None:
        """The first matching rule, carrying every term matched by any matching rule (or None)."""
        ctx, order = self._prepare(facts, recent)
        compiled = self._compiled
        head: Match | None = None
        terms: dict[tuple, Hit] | None = None
        also: list[str] = []
        for index in order:
            entry = compiled[index]
            if not entry.node(ctx):
                continue
            if head is None:
                head = ctx.describe(entry)
                continue
            if terms is None:
                terms = {}
                for hit in head.terms:
                    terms.setdefault((hit.start, hit.end, hit.term), hit)
            for hit in ctx.hits(entry.rule.when):
                terms.setdefault((hit.start, hit.end, hit.term), hit)
            also.append(entry.rule.name)
        if head is None or terms is None:
            return head
        ordered = tuple(sorted(terms.values(), key=lambda h: (h.start, h.end)))
        return _match(head.rule, head.reason, head.actions, ordered, head.why, head.priority, tuple(also))

    def matches_any(self, facts: ItemFacts, recent: RecentTexts | None = None) -> bool:
        """Cheapest question: does any rule match? (stops at the first, explains nothing)."""
        ctx, order = self._prepare(facts, recent)
        compiled = self._compiled
        return any(compiled[index].node(ctx) for index in order)


# --- per-item context --------------------------------------------------------------------


class _Context:
    """Facts about one item, each computed at most once and only when a rule needs it."""

    __slots__ = ("_cache", "_candidates", "_norm", "_regex_results", "facts", "keyword_hits", "notes", "recent", "rs")

    def __init__(
        self,
        ruleset: RuleSet,
        facts: ItemFacts,
        recent: RecentTexts | None,
        norm: NormalisedText | None = None,
        keyword_hits: dict[int, list[tuple[int, int, int]]] | None = None,
        candidates: set[int] | None = None,
    ) -> None:
        self.rs = ruleset
        self.facts = facts
        self.recent = recent
        self._norm = norm
        self.keyword_hits = {} if keyword_hits is None else keyword_hits
        self._regex_results: dict[int, Any] = {}
        self._candidates = set() if candidates is None else candidates
        self._cache: dict[str, Any] | None = None  # created on first use: most items need none
        self.notes: list[str] = []

    @property
    def norm(self) -> NormalisedText:
        if self._norm is None:
            self._norm = normalise(self.facts.text)
        return self._norm

    def regex(self, sid: int):
        if sid in self._regex_results:
            return self._regex_results[sid]
        result = None
        if sid in self._candidates and self._has_needs(self.rs._regexes[sid]):
            rx = self.rs._regexes[sid]
            was = rx.safe.timeouts
            result = rx.safe.search(self.norm.text if rx.on_normalised else self.facts.text)
            if rx.safe.timeouts > was:
                self.notes.append(f"regex {rx.label} timed out on this item and was ignored")
                if rx.safe.disabled:
                    self.rs.warnings.append(f"regex {rx.label} timed out repeatedly and was switched off")
        self._regex_results[sid] = result
        return result

    def _has_needs(self, rx: _Regex) -> bool:
        """Does the text hold one literal of each further set the regex needs? (cheap ``in``)"""
        if not rx.needs:
            return True
        norm = self.norm
        text = norm.text if rx.on_normalised else norm.folded
        for keys in rx.needs:
            if keys is None:
                if not norm.has_digit:
                    return False
            elif not any(key in text for key in keys):
                return False
        return True

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        if name not in cache:
            cache[name] = compute()
        return cache[name]

    def links(self) -> list[str]:
        return self.cached("links", lambda: [*self.facts.links, *features.extract_links(self.facts.text)])

    def language(self) -> str:
        def compute() -> str:
            facts = self.facts
            if facts.lang:
                return facts.lang.lower()
            if facts.prescored is not None and len(facts.text) <= _classifiers().MAX_CHARS:
                return facts.prescored.language  # the same detection, already done
            return _classifiers().detect_language(facts.text).lower()

        return self.cached("language", compute)

    def scores(self):
        def compute():
            repeated = self.recent.count(self.facts.text)[0] if self.recent else 0
            if self.facts.prescored is not None and repeated < REPEAT_COUNTS_FROM:
                return self.facts.prescored
            return _classifiers().classify(
                self.facts.text, self.facts.lang or None, repeated=repeated, links=self.facts.links
            )

        return self.cached("scores", compute)

    def score(self, classifier: str) -> float | None:
        if classifier == "learned":
            if self.rs.learned is None:
                return None
            return self.cached("learned", lambda: float(self.rs.learned.score(self.facts.text)))
        s = self.scores()
        return {
            "toxicity": s.toxicity,
            "threat": s.threat,
            "spam": s.spam,
            "negative": max(0.0, -s.sentiment),
            "positive": max(0.0, s.sentiment),
        }[classifier]

    # --- explanation ---------------------------------------------------------------------

    def describe(self, entry: _Compiled, *, explain: bool = True) -> Match:
        rule = entry.rule
        hits: list[Hit] = []
        why: list[str] | None = [] if explain else None
        self._explain(rule.when, hits, why)
        if why is None:
            return _match(rule.name, entry.label, rule.then, tuple(hits), (), entry.priority, ())
        why.extend(self.notes)
        text = self.facts.text
        if not text.isascii() and self.cached("mixed", lambda: is_mixed_script(text)):
            why.append("mixed scripts inside a word: look-alike letters were read as Latin ones")
        return _match(rule.name, entry.label, rule.then, tuple(hits), tuple(why), entry.priority, ())

    def hits(self, when: Condition) -> list[Hit]:
        """The keyword and regex hits behind a condition that holds (no reasons in words)."""
        hits: list[Hit] = []
        self._explain(when, hits, None)
        return hits

    def _holds(self, c: Condition) -> bool:
        return self.rs._nodes[id(c)](self)

    def _explain(self, c: Condition, hits: list[Hit], why: list[str] | None) -> None:
        """Collect the hits (always) and the reasons in words (when ``why`` is a list)."""
        kind = c.kind
        if kind == "any" or kind == "all":
            nodes = self.rs._nodes
            for child in c.children:
                if kind == "all" or nodes[id(child)](self):
                    self._explain(child, hits, why)
            return
        if kind == "not":
            if why is not None:
                why.append(f"not ({_summary(c.children[0])})")
            return
        if kind == "keywords":
            found = self.keyword_hits.get(self.rs._ids[id(c)])
            if not found:
                return
            terms = self.rs._matcher.terms
            text = self.facts.text
            to_original = self.norm.to_original
            for index, start, end in found:
                o_start, o_end = to_original(start, end)
                term = terms[index].text
                matched = text[o_start:o_end]
                hits.append(_hit(term, o_start, o_end, matched))
                if why is not None:
                    why.append(f"keyword {term!r} matched {matched!r}")
            return
        p = c.params
        if kind == "regex":
            sid = self.rs._ids[id(c)]
            rx = self.rs._regexes[sid]
            m = self.regex(sid)
            if m is not None:
                if rx.on_normalised:
                    start, end = self.norm.to_original(m.start(), m.end())
                else:
                    start, end = m.start(), m.end()
                hits.append(_hit(rx.label, start, end, self.facts.text[start:end]))
                if why is not None:
                    why.append(f"regex {rx.label} matched {self.facts.text[start:end]!r}")
            return
        if why is not None:
            why.append(_LEAF_WHY[kind](self, p))


def _summary(c: Condition) -> str:
    d = c.to_dict()
    text = str(d)
    return text if len(text) <= 80 else text[:79] + "…"


# --- leaves ------------------------------------------------------------------------------


def _all_of(nodes: list[_Node]) -> _Node:
    if len(nodes) == 1:
        return nodes[0]
    if len(nodes) == 2:
        first, second = nodes
        return lambda ctx: first(ctx) and second(ctx)
    nodes = tuple(nodes)

    def node(ctx: _Context) -> bool:
        return all(n(ctx) for n in nodes)

    return node


def _any_of(nodes: list[_Node]) -> _Node:
    if len(nodes) == 1:
        return nodes[0]
    if len(nodes) == 2:
        first, second = nodes
        return lambda ctx: first(ctx) or second(ctx)
    nodes = tuple(nodes)

    def node(ctx: _Context) -> bool:
        return any(n(ctx) for n in nodes)

    return node


def _norm_handle(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def _links_counted(ctx: _Context, p: dict) -> list[str]:
    deny, allow = p["deny"], p["allow"]
    out = []
    for link in ctx.links():
        domain = features.link_domain(link)
        if deny and not features.domain_in(domain, deny):
            continue
        if allow and features.domain_in(domain, allow):
            continue
        out.append(domain)
    return out


def _leaf_links(p: dict) -> _Node:
    return lambda ctx: len(_links_counted(ctx, p)) >= p["min"]


def _leaf_caps(p: dict) -> _Node:
    def node(ctx: _Context) -> bool:
        ratio, letters = ctx.cached("caps", lambda: features.caps_ratio(ctx.facts.text))
        return letters >= p["min_letters"] and ratio >= p["ratio"]

    return node


def _leaf_emoji(p: dict) -> _Node:
    return lambda ctx: ctx.cached("emoji", lambda: features.is_emoji_only(ctx.facts.text))


def _leaf_repeated(p: dict) -> _Node:
    def node(ctx: _Context) -> bool:
        if ctx.recent is None:
            return False
        count, _ = ctx.recent.count(ctx.facts.text)
        if count < p["count"]:
            return False
        return RecentTexts.fingerprint(ctx.facts.text)[1] >= p["min_length"]

    return node


def _leaf_author(p: dict) -> _Node:
    wanted = frozenset(_norm_handle(v) for v in p["in"])

    def node(ctx: _Context) -> bool:
        handles = {_norm_handle(ctx.facts.author_handle), _norm_handle(ctx.facts.author_id)} - {""}
        return bool(handles & wanted)

    return node


def _leaf_author_new(p: dict) -> _Node:
    return lambda ctx: ctx.facts.author_is_new


def _leaf_language(p: dict) -> _Node:
    wanted = frozenset(p["in"])
    return lambda ctx: ctx.language() in wanted


def _leaf_platform(p: dict) -> _Node:
    wanted = frozenset(p["in"])
    return lambda ctx: str(ctx.facts.platform).lower() in wanted


def _leaf_account(p: dict) -> _Node:
    wanted = frozenset(v.casefold() for v in p["in"])
    return lambda ctx: ctx.facts.account.casefold() in wanted


def _leaf_kind(p: dict) -> _Node:
    wanted = frozenset(p["in"])
    return lambda ctx: ctx.facts.kind is not None and ItemKind(ctx.facts.kind).name.lower() in wanted


def _leaf_score(p: dict) -> _Node:
    def node(ctx: _Context) -> bool:
        value = ctx.score(p["classifier"])
        return value is not None and value >= p["min"]

    return node


_LEAVES: dict[str, Callable[[dict], _Node]] = {
    "links": _leaf_links,
    "caps": _leaf_caps,
    "emoji_only": _leaf_emoji,
    "repeated": _leaf_repeated,
    "author": _leaf_author,
    "author_new": _leaf_author_new,
    "language": _leaf_language,
    "platform": _leaf_platform,
    "account": _leaf_account,
    "kind": _leaf_kind,
    "score": _leaf_score,
}


def _why_score(ctx: _Context, p: dict) -> str:
    value = ctx.score(p["classifier"])
    return f"{p['classifier']} score {value:.2f} ≥ {p['min']:.2f}"


_LEAF_WHY: dict[str, Callable[[_Context, dict], str]] = {
    "links": lambda ctx, p: (
        f"{len(_links_counted(ctx, p))} link(s) counted (min {p['min']}): " + ", ".join(_links_counted(ctx, p)[:5])
    ),
    "caps": lambda ctx, p: f"capitals {ctx.cached('caps', lambda: (0.0, 0))[0]:.0%} ≥ {p['ratio']:.0%}",
    "emoji_only": lambda ctx, p: "only emoji",
    "repeated": lambda ctx, p: (
        f"same text seen {ctx.recent.count(ctx.facts.text)[0] if ctx.recent else 0} times recently (min {p['count']})"
    ),
    "author": lambda ctx, p: f"author {ctx.facts.author_handle or ctx.facts.author_id!r} is on the list",
    "author_new": lambda ctx, p: "new author",
    "language": lambda ctx, p: f"language is {ctx.language()}",
    "platform": lambda ctx, p: f"platform is {ctx.facts.platform}",
    "account": lambda ctx, p: f"account is {ctx.facts.account}",
    "kind": lambda ctx, p: f"item is a {ItemKind(ctx.facts.kind).name.lower() if ctx.facts.kind is not None else '?'}",
    "score": _why_score,
}


# --- actions and previews ----------------------------------------------------------------


@dataclass(frozen=True)
class ActionPlan:
    """The actions to carry out on one item, and those left out with the reason."""

    actions: tuple[Action, ...]
    skipped: tuple[tuple[Action, str], ...] = ()


_NEEDS = {"hide": "hide", "delete": "delete", "ban": "ban_author"}


def plan_actions(match: Match, capabilities: Iterable[str]) -> ActionPlan:
    """Keep what the platform can do (``capabilities`` like {"hide", "delete", "ban_author"}).

    Auto-hide on a platform that cannot hide becomes "queue" (a person must look instead);
    delete and ban run only when confirmed in the rule and supported by the platform.
    """
    can = set(capabilities)
    kept: list[Action] = []
    skipped: list[tuple[Action, str]] = []
    for action in match.actions:
        need = _NEEDS.get(action.kind)
        if action.kind in ("delete", "ban") and not action.confirmed:
            skipped.append((action, f"automatic {action.kind} was not confirmed in the rule"))
        elif need and need not in can:
            skipped.append((action, f"this platform cannot {need.replace('_', ' ')}"))
            if action.kind == "hide" and not any(a.kind == "queue" for a in match.actions):
                kept.append(Action("queue"))
        else:
            kept.append(action)
    return ActionPlan(tuple(dict.fromkeys(kept)), tuple(skipped))


@dataclass(frozen=True)
class MatchRate:
    """How much of a sample a rule set (or one rule) matches, for the editor's preview."""

    total: int
    matched: int
    per_rule: dict[str, int] = field(default_factory=dict)
    warning: str = ""

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else 0.0


BROAD_RATE = 0.5  # matching half of ordinary traffic is almost always a mistake


def match_rate(rules: RuleSet | Rule | Iterable[Rule], sample: Iterable[ItemFacts], *, limit: int = 5000) -> MatchRate:
    """Run ``rules`` over (at most ``limit`` items of) ``sample`` and warn when they match too much."""
    if isinstance(rules, Rule):
        rules = [rules]
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet.compile(rules)
    total = matched = 0
    per_rule: dict[str, int] = {c.rule.name: 0 for c in ruleset._compiled}
    for facts in sample:
        if total >= limit:
            break
        total += 1
        found = ruleset.evaluate_all(facts)
        if found:
            matched += 1
        for m in found:
            per_rule[m.rule] += 1
    warnings = [
        f"rule {name!r} matches {count / total:.0%} of the {total} items: is it too broad?"
        for name, count in per_rule.items()
        if total and count / total >= BROAD_RATE
    ]
    if not total:
        warnings.append("no items to preview against")
    return MatchRate(total, matched, per_rule, " ".join(warnings))
