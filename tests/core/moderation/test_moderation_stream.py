"""Headless streaming functions: one result per line, bad lines reported, constant memory."""

from __future__ import annotations

import itertools
import json

from cmdesk.core.moderation import RuleSet, classify_lines, format_rule_result, rules_test_lines, starter_rules
from cmdesk.core.moderation.stream import export_rules, import_rules


def test_classify_lines_streams_and_reports_bad_lines():
    lines = ['{"text": "Bande d\'escrocs", "id": "a"}', "not json", "", '{"text": "Thanks!", "lang": "en"}', "[1]"]
    results = list(classify_lines(lines))
    assert [r["line"] for r in results] == [1, 2, 4, 5]
    assert results[0]["id"] == "a" and results[0]["toxicity_label"] == "toxic"
    assert "not valid JSON" in results[1]["error"]
    assert results[2]["language"] == "en" and results[2]["sentiment_label"] == "positive"
    assert "expected an object" in results[3]["error"]


def test_streams_are_lazy():
    endless = (json.dumps({"text": f"merci {i}"}) for i in itertools.count())
    first = list(itertools.islice(classify_lines(endless), 3))
    assert [r["line"] for r in first] == [1, 2, 3]


def test_rules_test_lines_explains_each_item():
    rs = RuleSet.compile(starter_rules())
    lines = [
        json.dumps({"text": "Je sais où tu habites"}),
        json.dumps({"text": "Merci pour tout", "id": 7}),
        json.dumps({"text": "x", "kind": "nonsense"}),
        *[json.dumps({"text": "Copie collée exactement pareille ici", "author": f"u{i}"}) for i in range(3)],
    ]
    results = list(rules_test_lines(rs, lines))
    assert results[0]["rule"] == "Threats" and results[0]["why"]
    assert results[1]["rule"] is None and results[1]["id"] == 7
    assert "unknown kind" in results[2]["error"]
    assert results[-1]["rule"] == "Copy-paste flood"
    printed = [format_rule_result(r) for r in results]
    assert printed[0].startswith("line 1: Threats — Threat or intimidation (")
    assert printed[1] == "line 2 (7): no rule matched"
    assert printed[2].startswith("line 3: ERROR")


def test_import_export():
    text = export_rules(starter_rules())
    rules, errors = import_rules(text)
    assert errors == [] and rules == starter_rules()
