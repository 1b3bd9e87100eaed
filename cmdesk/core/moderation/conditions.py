"""What a moderation rule is made of: conditions, actions, and the rule itself, as plain values.

A rule reads as "when CONDITION then ACTIONS". Conditions nest with ``all``/``any``/``not``.
Every value converts to and from plain dicts (``to_dict``/``from_dict``), the form used by the
store (as JSON) and by the rules file (as YAML, see ``rulefile``); ``from_dict(to_dict(x)) == x``.

Validation collects every problem with the *path* where it was found (``("rules", 2, "when",
"any", 0, "regex")``), so that the rules file can turn paths into line numbers.

Condition kinds (the YAML key, then what it accepts):

- ``all`` / ``any``: a list of conditions; ``not``: one condition.
- ``keywords``: a list of words or phrases (``*`` at an end is a wildcard); evasions are undone.
- ``regex``: a pattern, or ``{pattern, ignore_case: true, on: original|normalised}``.
- ``links``: a minimum count, or ``{min: 1, deny: [domains], allow: [domains]}``: at least
  ``min`` links, counting only links to a ``deny`` domain (if given) and outside ``allow``.
- ``caps``: the minimum share of capitals among letters, or ``{ratio, min_letters: 8}``.
- ``emoji_only``: ``true``.
- ``repeated``: how many times the same text was seen recently (``{count: 3, min_length: 20}``).
- ``author``: handles or ids; ``author_new``: ``true``.
- ``language`` / ``platform`` / ``account`` / ``kind``: one value or a list. The language is
  the platform's tag when it gave one, else detected among French and English ("und" when
  the text has no letters).
- ``score``: ``{toxicity|threat|spam|negative|positive|learned: minimum between 0 and 1}``.

Action kinds: ``queue``, ``hide``, ``mark_spam``, ``notify`` (optionally with a message), ``tag: NAME``,
``priority: 0..100|low|normal|high|urgent``, ``assign: AGENT``, and ``delete`` / ``ban`` which need
``{confirmed: true}`` (set by the editor after asking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.models import ItemKind, Platform
from cmdesk.core.moderation.matcher import parse_term
from cmdesk.core.moderation.regexes import RegexError, check_pattern

__all__ = [
    "ACTION_KINDS",
    "CLASSIFIERS",
    "CONDITION_KINDS",
    "PRIORITY_NAMES",
    "Action",
    "Condition",
    "Path",
    "Problem",
    "Rule",
    "RuleError",
    "parse_rules",
    "rules_to_dict",
]

Path = tuple[str | int, ...]

CLASSIFIERS = ("toxicity", "threat", "spam", "negative", "positive", "learned")
ITEM_KINDS = {kind.name.lower(): kind for kind in ItemKind}
PRIORITY_NAMES = {"low": 25, "normal": 50, "high": 75, "urgent": 100}
_GROUPS = ("all", "any")
_LISTS = ("author", "language", "platform", "account", "kind")
_FLAGS = ("emoji_only", "author_new")
CONDITION_KINDS = (
    "all", "any", "not", "keywords", "regex", "links", "caps", "emoji_only", "repeated",
    "author", "author_new", "language", "platform", "account", "kind", "score",
)  # fmt: skip
ACTION_KINDS = ("queue", "hide", "mark_spam", "tag", "priority", "assign", "notify", "delete", "ban")
_BARE_ACTIONS = ("queue", "hide", "mark_spam", "notify")
_CONFIRMED_ACTIONS = ("delete", "ban")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a rule, where it is and what to do about it."""

    path: Path
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path)
        return f"{where}: {self.message}" if where else self.message


class RuleError(ValueError):
    """Raised by ``from_dict`` with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    """One test on an item. ``params`` hold the kind's fields with defaults filled in."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    children: tuple[Condition, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    # Small constructors, for code and tests: Condition.keywords("scam", "arnaque")…
    @classmethod
    def all_of(cls, *children: Condition) -> Condition:
        return cls("all", {}, tuple(children))

    @classmethod
    def any_of(cls, *children: Condition) -> Condition:
        return cls("any", {}, tuple(children))

    @classmethod
    def not_(cls, child: Condition) -> Condition:
        return cls("not", {}, (child,))

    @classmethod
    def keywords(cls, *terms: str) -> Condition:
        return cls.from_dict({"keywords": list(terms)})

    @classmethod
    def regex(cls, pattern: str, ignore_case: bool = True, on: str = "original") -> Condition:
        return cls.from_dict({"regex": {"pattern": pattern, "ignore_case": ignore_case, "on": on}})

    @classmethod
    def score(cls, classifier: str, minimum: float) -> Condition:
        return cls.from_dict({"score": {classifier: minimum}})

    @classmethod
    def from_dict(cls, data: Any) -> Condition:
        problems: list[Problem] = []
        condition = _parse_condition(data, (), problems)
        if problems or condition is None:
            raise RuleError(problems or [Problem((), "not a condition")])
        return condition

    def to_dict(self) -> dict[str, Any]:
        """The canonical plain form (the shortest that ``from_dict`` reads back the same)."""
        kind, p = self.kind, self.params
        if kind in _GROUPS:
            return {kind: [c.to_dict() for c in self.children]}
        if kind == "not":
            return {"not": self.children[0].to_dict()}
        if kind == "keywords":
            return {"keywords": list(p["terms"])}
        if kind == "regex":
            if p["ignore_case"] and p["on"] == "original":
                return {"regex": p["pattern"]}
            extra = {"pattern": p["pattern"]}
            if not p["ignore_case"]:
                extra["ignore_case"] = False
            if p["on"] != "original":
                extra["on"] = p["on"]
            return {"regex": extra}
        if kind == "links":
            if not p["deny"] and not p["allow"]:
                return {"links": p["min"]}
            out: dict[str, Any] = {"min": p["min"]}
            if p["deny"]:
                out["deny"] = list(p["deny"])
            if p["allow"]:
                out["allow"] = list(p["allow"])
            return {"links": out}
        if kind == "caps":
            if p["min_letters"] == 8:
                return {"caps": p["ratio"]}
            return {"caps": {"ratio": p["ratio"], "min_letters": p["min_letters"]}}
        if kind == "repeated":
            if p["min_length"] == 20:
                return {"repeated": p["count"]}
            return {"repeated": {"count": p["count"], "min_length": p["min_length"]}}
        if kind in _FLAGS:
            return {kind: True}
        if kind in _LISTS:
            return {kind: list(p["in"])}
        if kind == "score":
            return {"score": {p["classifier"]: p["min"]}}
        raise ValueError(f"unknown condition kind {kind!r}")

    def walk(self):
        """This condition and every condition below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Action:
    """What to do with a matching item. ``value`` is the tag, priority, assignee or message."""

    kind: str
    value: str | int | None = None
    confirmed: bool = False  # delete and ban only: the editor asked the user

    @classmethod
    def from_dict(cls, data: Any) -> Action:
        problems: list[Problem] = []
        action = _parse_action(data, (), problems)
        if problems or action is None:
            raise RuleError(problems or [Problem((), "not an action")])
        return action

    def to_dict(self) -> str | dict[str, Any]:
        if self.kind in _CONFIRMED_ACTIONS:
            return {self.kind: {"confirmed": self.confirmed}}
        if self.kind in _BARE_ACTIONS and not self.value:
            return self.kind
        return {self.kind: self.value}


@dataclass(frozen=True)
class Rule:
    """A named "when … then …" with the reason shown in the moderation queue."""

    name: str
    when: Condition
    then: tuple[Action, ...]
    reason: str = ""
    description: str = ""
    enabled: bool = True

    @property
    def label(self) -> str:
        """The reason kept on a flagged item: the rule's reason, or its name."""
        return self.reason or self.name

    @property
    def priority(self) -> int:
        """The rule's ``priority`` action if it has one, else normal (50)."""
        for action in self.then:
            if action.kind == "priority":
                return int(action.value or 50)
        return PRIORITY_NAMES["normal"]

    @classmethod
    def from_dict(cls, data: Any) -> Rule:
        problems: list[Problem] = []
        rule = _parse_rule(data, (), problems)
        if problems or rule is None:
            raise RuleError(problems or [Problem((), "not a rule")])
        return rule

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.reason:
            out["reason"] = self.reason
        if self.description:
            out["description"] = self.description
        if not self.enabled:
            out["enabled"] = False
        out["when"] = self.when.to_dict()
        out["then"] = [a.to_dict() for a in self.then]
        return out


def rules_to_dict(rules: list[Rule]) -> dict[str, Any]:
    """The whole rules document: ``{"version": 1, "rules": [...]}``."""
    return {"version": 1, "rules": [r.to_dict() for r in rules]}


def parse_rules(data: Any) -> tuple[list[Rule], list[Problem]]:
    """Read a rules document (or a bare list of rules); keep the good rules, report the rest."""
    problems: list[Problem] = []
    if isinstance(data, dict):
        for key in data:
            if key not in ("version", "rules"):
                problems.append(Problem((key,), f"unknown key {key!r} (expected 'version' and 'rules')"))
        if data.get("version", 1) != 1:
            problems.append(Problem(("version",), "unsupported version: this CMDesk reads version 1"))
        items, base = data.get("rules"), ("rules",)
        if items is None:
            problems.append(Problem((), "no 'rules' list"))
            return [], problems
    elif data is None:
        return [], [Problem((), "the file is empty")]
    else:
        items, base = data, ()
    if not isinstance(items, list):
        problems.append(Problem(base, "'rules' must be a list of rules"))
        return [], problems
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        before = len(problems)
        rule = _parse_rule(item, (*base, i), problems)
        if rule is None or len(problems) > before:
            continue
        if rule.name.casefold() in seen:
            problems.append(Problem((*base, i, "name"), f"another rule is already named {rule.name!r}"))
            continue
        seen.add(rule.name.casefold())
        rules.append(rule)
    return rules, problems


# --- parsing -----------------------------------------------------------------------------


def _string(value: Any, path: Path, problems: list[Problem], what: str, allow_empty: bool = False) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(Problem(path, f"{what} must be text"))
        return None
    text = str(value).strip()
    if not text and not allow_empty:
        problems.append(Problem(path, f"{what} is empty"))
        return None
    return text


def _strings(value: Any, path: Path, problems: list[Problem], what: str) -> tuple[str, ...] | None:
    values = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(values):
        text = _string(item, (*path, i) if isinstance(value, list) else path, problems, what)
        if text is None:
            return None
        out.append(text)
    if not out:
        problems.append(Problem(path, f"empty list of {what}s: this condition could never match"))
        return None
    return tuple(out)


def _number(value: Any, path: Path, problems: list[Problem], what: str, lo: float, hi: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem(path, f"{what} must be a number"))
        return None
    if not lo <= value <= hi:
        problems.append(Problem(path, f"{what} must be between {lo:g} and {hi:g} (got {value})"))
        return None
    return value


def _mapping(value: Any, path: Path, problems: list[Problem], keys: dict[str, Any], main: str) -> dict | None:
    """A kind's fields: either the main field alone, or a mapping of known fields."""
    if not isinstance(value, dict):
        return {**keys, main: value}
    out = dict(keys)
    for key, item in value.items():
        if key not in keys:
            known = ", ".join(keys)
            problems.append(Problem((*path, key), f"unknown field {key!r} (known: {known})"))
            return None
        out[key] = item
    if out.get(main) is None:
        problems.append(Problem(path, f"missing field {main!r}"))
        return None
    return out


def _parse_condition(data: Any, path: Path, problems: list[Problem]) -> Condition | None:
    if not isinstance(data, dict) or len(data) != 1:
        problems.append(Problem(path, "a condition is a mapping with one key, one of: " + ", ".join(CONDITION_KINDS)))
        return None
    ((kind, value),) = data.items()
    if kind not in CONDITION_KINDS:
        problems.append(Problem((*path, kind), f"unknown condition {kind!r}; known: " + ", ".join(CONDITION_KINDS)))
        return None
    here = (*path, kind)
    before = len(problems)
    if kind in _GROUPS:
        if not isinstance(value, list) or not value:
            problems.append(Problem(here, f"'{kind}' needs a non-empty list of conditions"))
            return None
        children = tuple(_parse_condition(c, (*here, i), problems) for i, c in enumerate(value))
        return None if len(problems) > before else Condition(kind, {}, children)  # type: ignore[arg-type]
    if kind == "not":
        child = _parse_condition(value, here, problems)
        return None if child is None else Condition("not", {}, (child,))
    params = _parse_params(kind, value, here, problems)
    if params is None or len(problems) > before:
        return None
    return Condition(kind, params)


def _parse_params(kind: str, value: Any, here: Path, problems: list[Problem]) -> dict[str, Any] | None:
    if kind == "keywords":
        fields = _mapping(value, here, problems, {"terms": None}, "terms")
        terms = fields and _strings(fields["terms"], here, problems, "keyword")
        if not terms:
            return None
        for i, term in enumerate(terms):
            try:
                parse_term(term)
            except ValueError as exc:
                problems.append(Problem((*here, i), str(exc)))
        return {"terms": terms}
    if kind == "regex":
        fields = _mapping(value, here, problems, {"pattern": None, "ignore_case": True, "on": "original"}, "pattern")
        if fields is None:
            return None
        pattern = fields["pattern"]
        if not isinstance(pattern, str):
            problems.append(Problem(here, "the pattern must be text (quote it in YAML)"))
            return None
        if not isinstance(fields["ignore_case"], bool):
            problems.append(Problem((*here, "ignore_case"), "ignore_case must be true or false"))
            return None
        if fields["on"] not in ("original", "normalised"):
            problems.append(Problem((*here, "on"), "on must be 'original' or 'normalised'"))
            return None
        try:
            check_pattern(pattern, fields["ignore_case"])
        except RegexError as exc:
            problems.append(Problem(here, str(exc)))
            return None
        return {"pattern": pattern, "ignore_case": fields["ignore_case"], "on": fields["on"]}
    if kind == "links":
        if value is True:
            value = 1
        fields = _mapping(value, here, problems, {"min": 1, "deny": (), "allow": ()}, "min")
        if fields is None:
            return None
        minimum = _number(fields["min"], (*here, "min"), problems, "the minimum number of links", 1, 10_000)
        domains = {}
        for key in ("deny", "allow"):
            raw = fields[key]
            if raw in ((), []):
                domains[key] = ()
                continue
            names = _strings(raw, (*here, key), problems, "domain")
            if names is None:
                return None
            cleaned = tuple(_clean_domain(n) for n in names)
            for i, name in enumerate(cleaned):
                if not _DOMAIN.match(name):
                    problems.append(Problem((*here, key, i), f"{names[i]!r} is not a domain name"))
            domains[key] = cleaned
        if minimum is None:
            return None
        return {"min": int(minimum), "deny": domains["deny"], "allow": domains["allow"]}
    if kind == "caps":
        fields = _mapping(value, here, problems, {"ratio": None, "min_letters": 8}, "ratio")
        if fields is None:
            return None
        ratio = _number(fields["ratio"], (*here, "ratio"), problems, "the share of capitals", 0.01, 1)
        letters = _number(fields["min_letters"], (*here, "min_letters"), problems, "min_letters", 1, 10_000)
        if ratio is None or letters is None:
            return None
        return {"ratio": float(ratio), "min_letters": int(letters)}
    if kind == "repeated":
        fields = _mapping(value, here, problems, {"count": 3, "min_length": 20}, "count")
        if fields is None:
            return None
        count = _number(fields["count"], (*here, "count"), problems, "the repeat count", 2, 1_000_000)
        length = _number(fields["min_length"], (*here, "min_length"), problems, "min_length", 0, 100_000)
        if count is None or length is None:
            return None
        return {"count": int(count), "min_length": int(length)}
    if kind in _FLAGS:
        if value is not True:
            problems.append(Problem(here, f"'{kind}' takes the value true (use 'not' for the opposite)"))
            return None
        return {}
    if kind in _LISTS:
        fields = _mapping(value, here, problems, {"in": None}, "in")
        values = fields and _strings(fields["in"], here, problems, kind)
        if not values:
            return None
        return {"in": _check_list(kind, values, here, problems)}
    # score
    if not isinstance(value, dict):
        problems.append(Problem(here, "score needs a classifier and a minimum, e.g. {toxicity: 0.8}"))
        return None
    if set(value) == {"classifier", "min"}:
        value = {value["classifier"]: value["min"]}
    if len(value) != 1:
        problems.append(Problem(here, "one classifier per score condition (combine several with all/any)"))
        return None
    ((name, minimum),) = value.items()
    if name not in CLASSIFIERS:
        problems.append(Problem((*here, name), f"unknown classifier {name!r}; known: " + ", ".join(CLASSIFIERS)))
        return None
    threshold = _number(minimum, (*here, name), problems, "the score threshold", 0, 1)
    return None if threshold is None else {"classifier": name, "min": float(threshold)}


def _clean_domain(name: str) -> str:
    name = name.strip().lower()
    name = re.sub(r"^[a-z][a-z0-9+.-]*://", "", name).split("/", 1)[0]
    return name.removeprefix("www.").rstrip(".")


def _check_list(kind: str, values: tuple[str, ...], here: Path, problems: list[Problem]) -> tuple[str, ...]:
    if kind == "platform":
        known = {p.value for p in Platform}
        values = tuple(v.lower() for v in values)
        for i, v in enumerate(values):
            if v not in known:
                problems.append(Problem((*here, i), f"unknown platform {v!r}; known: " + ", ".join(sorted(known))))
    elif kind == "kind":
        values = tuple(v.lower().replace(" ", "_") for v in values)
        for i, v in enumerate(values):
            if v not in ITEM_KINDS:
                problems.append(Problem((*here, i), f"unknown item kind {v!r}; known: " + ", ".join(ITEM_KINDS)))
    elif kind == "language":
        values = tuple(v.lower() for v in values)
        for i, v in enumerate(values):
            if not _LANG.match(v):
                problems.append(Problem((*here, i), f"{v!r} is not a language code (like fr, en)"))
    return values


def _parse_action(data: Any, path: Path, problems: list[Problem]) -> Action | None:
    if isinstance(data, str):
        kind, value = data, None
        if kind in _CONFIRMED_ACTIONS:
            problems.append(Problem(path, f"'{kind}' must be confirmed: write {{{kind}: {{confirmed: true}}}}"))
            return None
        if kind not in _BARE_ACTIONS:
            known = ", ".join(ACTION_KINDS)
            hint = f"'{kind}' needs a value" if kind in ACTION_KINDS else f"unknown action {kind!r}; known: {known}"
            problems.append(Problem(path, hint))
            return None
        return Action(kind)
    if not isinstance(data, dict) or len(data) != 1:
        problems.append(Problem(path, "an action is a name (queue, hide…) or a mapping with one key"))
        return None
    ((kind, value),) = data.items()
    here = (*path, kind)
    if kind not in ACTION_KINDS:
        problems.append(Problem(here, f"unknown action {kind!r}; known: " + ", ".join(ACTION_KINDS)))
        return None
    if kind in _CONFIRMED_ACTIONS:
        if not (isinstance(value, dict) and value.get("confirmed") is True and set(value) == {"confirmed"}):
            problems.append(
                Problem(here, f"automatic {kind} is only allowed with explicit confirmation: {{confirmed: true}}")
            )
            return None
        return Action(kind, None, confirmed=True)
    if kind in ("queue", "hide", "mark_spam"):
        if value not in (None, True):
            problems.append(Problem(here, f"'{kind}' takes no value"))
            return None
        return Action(kind)
    if kind == "priority":
        if isinstance(value, str) and value.lower() in PRIORITY_NAMES:
            return Action(kind, PRIORITY_NAMES[value.lower()])
        number = _number(value, here, problems, "the priority (0-100 or low/normal/high/urgent)", 0, 100)
        return None if number is None else Action(kind, int(number))
    if kind == "notify" and value in (None, True):
        return Action(kind)
    text = _string(value, here, problems, f"the {kind} value")
    return None if text is None else Action(kind, text)


_RULE_KEYS = ("name", "reason", "description", "enabled", "when", "then")


def _parse_rule(data: Any, path: Path, problems: list[Problem]) -> Rule | None:
    if not isinstance(data, dict):
        problems.append(Problem(path, "a rule is a mapping with name, when and then"))
        return None
    before = len(problems)
    for key in data:
        if key not in _RULE_KEYS:
            problems.append(Problem((*path, key), f"unknown rule field {key!r}; known: " + ", ".join(_RULE_KEYS)))
    name = _string(data.get("name"), (*path, "name"), problems, "the rule name") if "name" in data else None
    if "name" not in data:
        problems.append(Problem(path, "the rule has no name"))
    reason = _string(data.get("reason", ""), (*path, "reason"), problems, "the reason", allow_empty=True)
    description = _string(data.get("description", ""), (*path, "description"), problems, "the description", True)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(Problem((*path, "enabled"), "enabled must be true or false"))
    when = None
    if "when" not in data:
        problems.append(Problem(path, "the rule has no 'when' condition"))
    else:
        when = _parse_condition(data["when"], (*path, "when"), problems)
    actions: list[Action] = []
    then = data.get("then")
    if not isinstance(then, list) or not then:
        problems.append(Problem((*path, "then") if "then" in data else path, "the rule needs a 'then' list of actions"))
    else:
        for i, item in enumerate(then):
            action = _parse_action(item, (*path, "then", i), problems)
            if action is not None:
                actions.append(action)
    if len(problems) > before or name is None or when is None:
        return None
    return Rule(name, when, tuple(actions), reason or "", description or "", bool(enabled))
