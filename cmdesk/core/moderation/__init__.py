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
"""

from cmdesk.core.moderation.classifiers import Scores, classify
from cmdesk.core.moderation.conditions import Action, Condition, Problem, Rule, RuleError
from cmdesk.core.moderation.language import detect_language
from cmdesk.core.moderation.learner import Decision, Label, Metrics, NaiveBayes
from cmdesk.core.moderation.learner import evaluate as evaluate_learner
from cmdesk.core.moderation.matcher import Hit, KeywordMatcher
from cmdesk.core.moderation.normalise import NormalisedText, normalise
from cmdesk.core.moderation.regexes import RegexError
from cmdesk.core.moderation.rulefile import FileError, LoadResult
from cmdesk.core.moderation.rules import (
    ActionPlan,
    ItemFacts,
    Match,
    MatchRate,
    RecentTexts,
    RuleSet,
    match_rate,
    plan_actions,
)
from cmdesk.core.moderation.starter import starter_rules, starter_rules_text
from cmdesk.core.moderation.stream import classify_lines, format_rule_result, rules_test_lines

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
