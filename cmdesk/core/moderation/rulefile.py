"""Rules as a readable, versionable YAML file, with line-numbered errors.

    version: 1
    rules:
      - name: Threats
        reason: Threat against the team
        when:
          any:
            - score: {threat: 0.5}
            - keywords: ["je sais où tu habites", "watch your back"]
        then:
          - queue
          - priority: urgent
          - notify: "A threat needs a look"

``load(text)`` returns the rules it could read and every problem with its line number (a bad
rule is left out, the others still load); ``dump(rules)`` writes the canonical form, and
``load(dump(rules)).rules == rules``. Only YAML's safe subset is read: no tags, no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from cmdesk.core.moderation.conditions import Path, Problem, Rule, parse_rules, rules_to_dict

__all__ = ["FileError", "LoadResult", "dump", "load"]

MAX_FILE_CHARS = 5_000_000  # a rules file is text a person edits; anything bigger is a mistake

HEADER = (
    "# CMDesk moderation rules (version 1). Each rule: name, optional reason, when (a condition), then (actions).\n"
    "# Conditions: keywords, regex, links, caps, emoji_only, repeated, author, author_new, language,\n"
    "# platform, account, kind, score, combined with all / any / not. Actions: queue, hide, mark_spam,\n"
    "# tag, priority, assign, notify, delete and ban (these two need {confirmed: true}).\n"
)


@dataclass(frozen=True, slots=True)
class FileError:
    """One problem in a rules file; ``line`` and ``column`` count from 1 (0 = the whole file)."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class LoadResult(NamedTuple):
    rules: list[Rule]
    errors: list[FileError]


class _Located:
    """Turns composed YAML nodes into plain values, remembering where each path was written."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.where: dict[Path, tuple[int, int]] = {}
        self.errors: list[FileError] = []

    def plain(self, node: yaml.Node, path: Path) -> Any:
        self.where.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
                return node.value  # YAML 1.2 reading: "Off", "no" (Norwegian!) are words, not booleans
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(child, (*path, i)) for i, child in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self.errors.append(FileError(*mark, "a key must be plain text"))
                continue
            # The key as written: YAML 1.1 would read "on" or "no" as booleans.
            key = key_node.value
            if key in out:
                self.errors.append(FileError(*mark, f"duplicate key {key!r}"))
                continue
            self.where[(*path, key)] = mark
            out[key] = self.plain(value_node, (*path, key))
        return out

    def locate(self, problem: Problem) -> FileError:
        path = problem.path
        while path and path not in self.where:
            path = path[:-1]
        line, column = self.where.get(path, (0, 0))
        return FileError(line, column, problem.message)


def load(text: str) -> LoadResult:
    """Read a rules file. Never raises on a str: every problem comes back in ``errors``."""
    if len(text) > MAX_FILE_CHARS:
        return LoadResult([], [FileError(0, 0, f"file too large ({len(text)} characters)")])
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadResult([], [FileError(0, 0, "the file is empty")])
        located = _Located(loader)
        data = located.plain(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or exc.context or "unreadable"
        return LoadResult([], [FileError(*where, f"YAML syntax error: {what}")])
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return LoadResult([], [FileError(0, 0, f"unreadable rules file: {exc}")])
    finally:
        loader.dispose()
    rules, problems = parse_rules(data)
    errors = located.errors + [located.locate(p) for p in problems]
    errors.sort(key=lambda e: (e.line, e.column))
    return LoadResult(rules, errors)


class _Dumper(yaml.SafeDumper):
    """Block style, but short lists of plain words inline: ``keywords: [scam, arnaque]``."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    inline = all(isinstance(x, (str, int, float)) for x in data) and sum(len(str(x)) + 2 for x in data) <= 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline and bool(data))


_Dumper.add_representer(list, _represent_list)


def dump(rules: list[Rule]) -> str:
    """The canonical text of ``rules`` (what ``load`` reads back to the same rules)."""
    body = yaml.dump(
        rules_to_dict(list(rules)),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body
