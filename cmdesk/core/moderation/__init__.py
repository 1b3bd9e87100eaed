"""Moderation core: normalisation, keyword matching, rules, classifiers and the learned model.

Plain Python (no Qt, no SQL, no HTTP). The functions others call:

- ``normalise(text) -> NormalisedText`` and ``KeywordMatcher(terms).find(text) -> [Hit]``;
- ``Rule`` / ``Condition`` / ``Action`` (``to_dict``/``from_dict``), ``rulefile.load`` /
  ``rulefile.dump``, ``starter_rules()``;
- ``RuleSet.compile(rules)`` then ``evaluate(facts, recent)`` / ``evaluate_all``, with
  ``ItemFacts``, ``RecentTexts``, ``plan_actions`` and ``match_rate``;
- ``classify(text, lang=None) -> Scores`` and ``detect_language(text)``;
- ``NaiveBayes`` / ``Label`` / ``Decision`` and ``evaluate_learner(labels)``;
- streaming: ``classify_lines``, ``rules_test_lines``, ``format_rule_result``.

Names are imported on first use (PEP 562): the app starts without loading lexicons and
classifiers until a rule needs them.
"""

from __future__ import annotations

import importlib

# ``normalise`` is also the name of a submodule: importing that submodule (which the matcher
# and the rules do) would set this package's ``normalise`` attribute to the module, and
# ``from cmdesk.core.moderation import normalise`` would then give a module, not the function.
# Binding the function here, once, keeps the name meaning the function (the module is light:
# no lexicon, no classifier).
from cmdesk.core.moderation.normalise import NormalisedText, normalise

_WHERE = {
    "Action": ("cmdesk.core.moderation.conditions", "Action"),
    "ActionPlan": ("cmdesk.core.moderation.rules", "ActionPlan"),
    "Condition": ("cmdesk.core.moderation.conditions", "Condition"),
    "Decision": ("cmdesk.core.moderation.learner", "Decision"),
    "FileError": ("cmdesk.core.moderation.rulefile", "FileError"),
    "Hit": ("cmdesk.core.moderation.matcher", "Hit"),
    "ItemFacts": ("cmdesk.core.moderation.rules", "ItemFacts"),
    "KeywordMatcher": ("cmdesk.core.moderation.matcher", "KeywordMatcher"),
    "Label": ("cmdesk.core.moderation.learner", "Label"),
    "LoadResult": ("cmdesk.core.moderation.rulefile", "LoadResult"),
    "Match": ("cmdesk.core.moderation.rules", "Match"),
    "MatchRate": ("cmdesk.core.moderation.rules", "MatchRate"),
    "Metrics": ("cmdesk.core.moderation.learner", "Metrics"),
    "NaiveBayes": ("cmdesk.core.moderation.learner", "NaiveBayes"),
    "NormalisedText": ("cmdesk.core.moderation.normalise", "NormalisedText"),
    "Problem": ("cmdesk.core.moderation.conditions", "Problem"),
    "RecentTexts": ("cmdesk.core.moderation.rules", "RecentTexts"),
    "RegexError": ("cmdesk.core.moderation.regexes", "RegexError"),
    "Rule": ("cmdesk.core.moderation.conditions", "Rule"),
    "RuleError": ("cmdesk.core.moderation.conditions", "RuleError"),
    "RuleSet": ("cmdesk.core.moderation.rules", "RuleSet"),
    "Scores": ("cmdesk.core.moderation.classifiers", "Scores"),
    "classify": ("cmdesk.core.moderation.classifiers", "classify"),
    "classify_lines": ("cmdesk.core.moderation.stream", "classify_lines"),
    "detect_language": ("cmdesk.core.moderation.language", "detect_language"),
    "evaluate_learner": ("cmdesk.core.moderation.learner", "evaluate"),
    "format_rule_result": ("cmdesk.core.moderation.stream", "format_rule_result"),
    "match_rate": ("cmdesk.core.moderation.rules", "match_rate"),
    "normalise": ("cmdesk.core.moderation.normalise", "normalise"),
    "plan_actions": ("cmdesk.core.moderation.rules", "plan_actions"),
    "rules_test_lines": ("cmdesk.core.moderation.stream", "rules_test_lines"),
    "starter_rules": ("cmdesk.core.moderation.starter", "starter_rules"),
    "starter_rules_text": ("cmdesk.core.moderation.starter", "starter_rules_text"),
}

__all__ = [
    "Action",
    "ActionPlan",
    "Condition",
    "Decision",
    "FileError",
    "Hit",
    "ItemFacts",
    "KeywordMatcher",
    "Label",
    "LoadResult",
    "Match",
    "MatchRate",
    "Metrics",
    "NaiveBayes",
    "NormalisedText",
    "Problem",
    "RecentTexts",
    "RegexError",
    "Rule",
    "RuleError",
    "RuleSet",
    "Scores",
    "classify",
    "classify_lines",
    "detect_language",
    "evaluate_learner",
    "format_rule_result",
    "match_rate",
    "normalise",
    "plan_actions",
    "rules_test_lines",
    "starter_rules",
    "starter_rules_text",
]


def __getattr__(name: str):
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
