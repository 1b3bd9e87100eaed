"""Streaming, headless entry points for the command line: classify, rules test, import/export.

Each function takes an iterable of JSON lines (a file, ``sys.stdin``) and yields one result
per input line as it goes: memory stays constant however long the input (the only state is a
bounded ``RecentTexts``). A bad line yields an ``{"line": n, "error": ...}`` result instead of
stopping the stream.

Input lines look like ``{"text": "...", "lang": "fr"}``; ``rules test`` also reads
``platform``, ``account``, ``kind``, ``author`` (handle), ``author_id``, ``author_is_new``
and ``links``. An ``id`` field is copied to the output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from cmdesk.core.models import ItemKind
from cmdesk.core.moderation.classifiers import classify
from cmdesk.core.moderation.conditions import ITEM_KINDS, Rule
from cmdesk.core.moderation.rulefile import LoadResult, dump, load
from cmdesk.core.moderation.rules import ItemFacts, RecentTexts, RuleSet

__all__ = [
    "classify_lines",
    "export_rules",
    "facts_from_json",
    "format_rule_result",
    "import_rules",
    "rules_test_lines",
]


def _read(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, parsed object or None, error) for each non-blank line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg})"
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield number, None, f'line {number}: expected an object with a "text" string'
            continue
        yield number, obj, ""


def facts_from_json(obj: dict[str, Any]) -> ItemFacts:
    """Build ``ItemFacts`` from one input object. Raises ValueError on a bad field."""
    kind = obj.get("kind")
    if isinstance(kind, str):
        if kind.lower() not in ITEM_KINDS:
            raise ValueError(f"unknown kind {kind!r}; known: {', '.join(ITEM_KINDS)}")
        kind = ITEM_KINDS[kind.lower()]
    elif isinstance(kind, int) and not isinstance(kind, bool):
        kind = ItemKind(kind)
    elif kind is not None:
        raise ValueError("kind must be a name like 'comment'")
    links = obj.get("links") or ()
    if not isinstance(links, list | tuple) or not all(isinstance(x, str) for x in links):
        raise ValueError("links must be a list of strings")
    return ItemFacts(
        text=obj["text"],
        lang=str(obj.get("lang") or ""),
        platform=str(obj.get("platform") or ""),
        account=str(obj.get("account") or ""),
        kind=kind,
        author_id=str(obj.get("author_id") or ""),
        author_handle=str(obj.get("author") or obj.get("author_handle") or ""),
        author_is_new=bool(obj.get("author_is_new", False)),
        links=tuple(links),
    )


def classify_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One dict per input line: toxicity, threat, spam, sentiment (scores and labels), language."""
    for number, obj, error in _read(lines):
        if obj is None:
            yield {"line": number, "error": error}
            continue
        result: dict[str, Any] = {"line": number}
        if "id" in obj:
            result["id"] = obj["id"]
        lang = obj.get("lang")
        result.update(classify(obj["text"], lang if isinstance(lang, str) and lang else None).to_dict())
        yield result


def rules_test_lines(
    ruleset: RuleSet, lines: Iterable[str], *, recent: RecentTexts | None = None
) -> Iterator[dict[str, Any]]:
    """Which rule matches each item and why (``rule`` is None when none matches).

    Items are seen in order, as if they arrived one by one: the ``repeated`` condition counts
    copies among the previous lines (in a bounded memory).
    """
    recent = recent if recent is not None else RecentTexts()
    for number, obj, error in _read(lines):
        if obj is None:
            yield {"line": number, "error": error}
            continue
        try:
            facts = facts_from_json(obj)
        except ValueError as exc:
            yield {"line": number, "error": f"line {number}: {exc}"}
            continue
        recent.observe(facts.text, facts.author_handle or facts.author_id)
        match = ruleset.evaluate(facts, recent)
        result: dict[str, Any] = {"line": number}
        if "id" in obj:
            result["id"] = obj["id"]
        if match is None:
            result["rule"] = None
        else:
            result.update(match.to_dict())
        yield result


def format_rule_result(result: dict[str, Any]) -> str:
    """One readable line for ``rules test``: which rule, its reason, and why."""
    where = f"line {result['line']}" + (f" ({result['id']})" if "id" in result else "")
    if "error" in result:
        return f"{where}: ERROR {result['error']}"
    if not result.get("rule"):
        return f"{where}: no rule matched"
    why = "; ".join(result.get("why", [])) or "conditions met"
    also = f" [also: {', '.join(result['also'])}]" if result.get("also") else ""
    return f"{where}: {result['rule']} — {result['reason']} ({why}){also}"


def import_rules(text: str) -> LoadResult:
    """Read a rules file (YAML): the rules that loaded and line-numbered errors."""
    return load(text)


def export_rules(rules: list[Rule]) -> str:
    """The rules file text for ``rules`` (canonical YAML, round-trips exactly)."""
    return dump(rules)
