"""The starter rules' reasons and messages, marked for translation.

The starter rules are written to a new profile in English, as ``data/starter_rules.yaml`` has
them: they are the user's rules from then on, and the rules file stays the same in every
language. The GUI shows a flag's reason and an alert's message through ``labels.rule_text``: a
French user reads "Menace ou intimidation" for a threat flagged by the untouched starter rule,
and exactly what they wrote for a rule they changed or wrote themselves. (Rule names are only
shown in the rules editor, beside the file that holds them, so they are not translated.) A
test checks that this list and the starter file agree.
"""

from __future__ import annotations

from cmdesk.core.i18n import QT_TRANSLATE_NOOP

CONTEXT = "StarterRules"

STARTER_TEXTS = (
    QT_TRANSLATE_NOOP("StarterRules", "Threat or intimidation"),
    QT_TRANSLATE_NOOP("StarterRules", "A threat is waiting in the moderation queue"),
    QT_TRANSLATE_NOOP("StarterRules", "Insult, slur or hate"),
    QT_TRANSLATE_NOOP("StarterRules", "Spam (links with money, crypto or contact bait)"),
    QT_TRANSLATE_NOOP("StarterRules", "Looks like spam"),
    QT_TRANSLATE_NOOP("StarterRules", "The same text posted again and again"),
    QT_TRANSLATE_NOOP("StarterRules", "Unhappy customer writing in capitals"),
    QT_TRANSLATE_NOOP("StarterRules", "Similar to items you removed before"),
)
