"""The starter rules shipped with CMDesk (``data/starter_rules.yaml``)."""

from __future__ import annotations

from importlib import resources

from cmdesk.core.moderation.conditions import Rule
from cmdesk.core.moderation.rulefile import load

__all__ = ["STARTER_RULES_FILE", "starter_rules", "starter_rules_text"]

STARTER_RULES_FILE = "starter_rules.yaml"


def starter_rules_text() -> str:
    """The starter rules file as shipped (comments included), ready to show or save."""
    return resources.files("cmdesk.core.moderation.data").joinpath(STARTER_RULES_FILE).read_text(encoding="utf-8")


def starter_rules() -> list[Rule]:
    """The starter rules: threats and abuse to the queue, obvious spam marked spam, and so on."""
    rules, errors = load(starter_rules_text())
    if errors:  # a packaging mistake, caught by the tests
        raise ValueError("invalid starter rules: " + "; ".join(str(e) for e in errors))
    return rules
