"""Rules files: readable YAML, exact round trips, line-numbered errors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cmdesk.core.moderation import Condition, Rule, starter_rules, starter_rules_text
from cmdesk.core.moderation.conditions import Action
from cmdesk.core.moderation.rulefile import dump, load

FULL = """\
version: 1
rules:
- name: Everything
  reason: A rule using every condition
  description: only for the test
  when:
    all:
    - any:
      - keywords: [connard, "bande d'escrocs", arnaqu*]
      - regex: {pattern: 'bit\\.ly/\\w+', ignore_case: false, on: normalised}
      - links: {min: 2, deny: [bit.ly], allow: [example.com]}
    - not: {author: ["@friend"]}
    - caps: {ratio: 0.6, min_letters: 12}
    - repeated: {count: 4, min_length: 30}
    - language: [fr, en]
    - platform: [youtube, mastodon]
    - account: [Shop]
    - kind: [comment, review]
    - score: {toxicity: 0.7}
    - author_new: true
    - emoji_only: true
  then:
  - queue
  - hide
  - mark_spam
  - tag: abuse
  - priority: high
  - assign: alice
  - notify: look at this
  - delete: {confirmed: true}
  - ban: {confirmed: true}
- name: Off
  enabled: false
  when: {keywords: [x1]}
  then: [queue]
"""


def test_full_file_loads_and_round_trips_exactly():
    rules, errors = load(FULL)
    assert errors == []
    assert [r.name for r in rules] == ["Everything", "Off"]
    assert rules[0].priority == 75 and not rules[1].enabled
    text = dump(rules)
    again, errors = load(text)
    assert errors == [] and again == rules
    assert dump(again) == text


def test_dict_round_trip_for_rules_conditions_actions():
    rules, _ = load(FULL)
    for r in rules:
        assert Rule.from_dict(r.to_dict()) == r
        for c in r.when.walk():
            assert Condition.from_dict(c.to_dict()) == c
        for a in r.then:
            assert Action.from_dict(a.to_dict()) == a


def test_starter_rules_are_valid_and_round_trip():
    rules = starter_rules()
    assert [r.name for r in rules][:3] == ["Threats", "Abuse", "Obvious spam"]
    assert load(dump(rules)).rules == rules
    assert "version: 1" in starter_rules_text()


def errors_of(text: str) -> list[str]:
    return [str(e) for e in load(text).errors]


def test_yaml_syntax_errors_have_line_numbers():
    assert errors_of("rules:\n  - name: a\n    when: [unclosed\n")[0].startswith("line 4: YAML syntax error")


def test_structural_errors_point_at_their_line():
    text = """\
version: 1
rules:
- name: Good
  when: {keywords: [ok]}
  then: [queue]
- name: Bad regex
  when:
    regex: "(a+)+$"
  then: [queue]
- name: Unconfirmed delete
  when: {keywords: [spam]}
  then:
  - delete
- name: Empty list
  when:
    keywords: []
  then: [queue]
- name: Good
  when: {keywords: [dup]}
  then: [queue]
- name: Unknown
  when:
    colour: red
  then: [queue]
"""
    result = load(text)
    assert [r.name for r in result.rules] == ["Good"]
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("line 8: nested quantifier")
    assert messages[1].startswith("line 13: 'delete' must be confirmed")
    assert messages[2].startswith("line 16: empty list of keywords")
    assert messages[3].startswith("line 18: another rule is already named 'Good'")
    assert messages[4].startswith("line 23: unknown condition 'colour'")


def test_other_bad_files():
    assert errors_of("") == ["the file is empty"]
    assert (
        "duplicate key 'name'"
        in errors_of("rules:\n- name: a\n  name: b\n  when: {keywords: [x]}\n  then: [queue]\n")[0]
    )
    assert "unsupported version" in errors_of("version: 2\nrules: []\n")[0]
    assert "must be a list" in errors_of("rules: 3\n")[0]
    assert "no 'when'" in errors_of("rules:\n- name: a\n  then: [queue]\n")[0]
    assert "between 0 and 1" in errors_of("rules:\n- name: a\n  when: {score: {spam: 3}}\n  then: [queue]\n")[0]
    assert "unknown platform" in errors_of("rules:\n- name: a\n  when: {platform: myspace}\n  then: [queue]\n")[0]
    assert "!!python" not in str(load("rules: !!python/object:os.system []\n").errors)


names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda s: s.strip() == s and s
)
terms = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzé '-", min_size=2, max_size=12).filter(
        lambda s: any(c.isalpha() for c in s) and s.strip() == s
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=100, deadline=None)
@given(names, terms, st.sampled_from(["queue", "hide", "mark_spam"]), st.integers(0, 100))
def test_generated_rules_round_trip(name, words, action, priority):
    r = Rule.from_dict(
        {
            "name": name,
            "reason": name,
            "when": {"any": [{"keywords": words}, {"caps": 0.5}]},
            "then": [action, {"priority": priority}],
        }
    )
    assert load(dump([r])).rules == [r]
