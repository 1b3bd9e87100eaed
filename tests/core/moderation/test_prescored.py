"""Scores computed ahead (in the scoring process) stand for the rules' own scoring: the same
match, the same language, and the copy count still taken into account."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cmdesk.core.moderation.classifiers import classify
from cmdesk.core.moderation.rules import REPEAT_COUNTS_FROM, ItemFacts, RecentTexts, RuleSet
from cmdesk.core.moderation.starter import starter_rules

TEXTS = [
    "Bande d'escrocs, rendez-moi mon argent !!!",
    "I know where you live",
    "WIN FREE CRYPTO NOW 💰💰 http://bit.ly/xyz click here click here",
    "Merci, livraison parfaite",
    "SERVICE NUL, JE SUIS FURIEUX, PLUS JAMAIS",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_copies_count_only_from_the_second_sighting(text):
    """``REPEAT_COUNTS_FROM`` says when the spam score starts counting copies; scores made ahead
    without a count are only used below it."""
    assert classify(text, repeated=REPEAT_COUNTS_FROM - 1) == classify(text, repeated=0)
    if text:
        assert classify(text, repeated=REPEAT_COUNTS_FROM).spam >= classify(text).spam


def test_prescored_facts_give_the_same_matches_and_language():
    ruleset = RuleSet.compile([r for r in starter_rules() if r.enabled])
    assert ruleset.uses_scores
    plain_recent, ahead_recent = RecentTexts(), RecentTexts()
    for text in TEXTS * 3:  # the third copy of a text is a flood: scored on the spot, with the count
        plain = ItemFacts(text=text, author_id="a")
        ahead = replace(plain, prescored=classify(text))
        plain_recent.observe(text, "a")
        ahead_recent.observe(text, "a")
        assert ruleset.evaluate(ahead, ahead_recent) == ruleset.evaluate(plain, plain_recent)


def test_a_wrong_prescore_is_ignored_once_copies_count():
    """Proof that the count wins: a bogus score made ahead is not used for a repeated text."""
    ruleset = RuleSet.compile([r for r in starter_rules() if r.enabled])
    text = "WIN FREE CRYPTO NOW 💰💰 http://bit.ly/xyz"
    bogus = replace(classify("Merci"), language="xx")
    recent = RecentTexts()
    for _ in range(REPEAT_COUNTS_FROM):
        recent.observe(text, "spammer")
    facts = ItemFacts(text=text, author_id="spammer", prescored=bogus)
    assert ruleset.evaluate(facts, recent) == ruleset.evaluate(replace(facts, prescored=None), recent)
