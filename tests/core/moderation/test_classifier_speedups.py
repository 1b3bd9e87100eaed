"""The classifiers' shortcuts must answer exactly as the plain computations they replace.

- threat and hate regexes behind an Aho-Corasick prefilter (``lexicon.PatternIndex``): the
  same first match as every pattern tried in order;
- language detection's float64 shortcut (``language._Shortcut``): the same language as
  py3langid's own ranking, or no answer;
- cheap pre-checks in ``spam_score`` and ``features`` (digits before the phone regex, "@"
  before the e-mail one, a link hint before the URL regex, ASCII case counts);
- ``classify`` reading the sentiment words once for its two sentiment readings.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from cmdesk.core.moderation import classifiers, features
from cmdesk.core.moderation.classifiers import TOXIC, _forms, _search, _search_indexed, classify, sentiment
from cmdesk.core.moderation.language import UNDETERMINED, _identifier, _shortcut, detect_language, language_scores
from cmdesk.core.moderation.lexicon import PatternIndex, lexicons
from cmdesk.core.moderation.normalise import normalise

DATA = Path(__file__).resolve().parents[2] / "data"


def _eval_texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for name in ("moderation_eval.jsonl", "moderation_eval_test3.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


EVAL = _eval_texts()

# Phrases each of which some threat or hate pattern matches (written from data/*/threats.txt
# and hate.txt), in the case and spelling a commenter would use: normalise() folds them.
THREATS = [
    "Je sais où tu habites",
    "je vais te casser la gueule",
    "On va te faire la peau",
    "Tu vas le regretter",
    "Je t'attends à la sortie",
    "ta boutique va finir en cendres",
    "Je vaaaais te tuuuer",
    "I know where you live",
    "I'm going to kill you",
    "You'll regret this",
    "Watch your back",
    "you're dead meat",
    "I'll burn your shop down",
    "See you outside after work",
    "sleep with one eye open",
    "I hope you die",
    "I'll find you",
    "I know what time you finish",
    "stuuupid, I know where you liiive",
]
HATE = [
    "Go back to your country",
    "rentre dans ton pays",
    "Sales arabes",
    "mort aux juifs",
    "les immigrés sont des animaux",
    "Il faut tous les déporter",
    "dehors les migrants",
    "dirty jews",
    "death to all muslims",
    "these people are vermin",
    "immigrants out",
    "gays are disgusting",
]
# Near misses and noise: words the patterns are made of, without a threat.
NOISE = [
    "",
    "😀😀😀",
    "Je sais où se trouve la gare",
    "Tu vas adorer le flan",
    "I know where the station is",
    "You'll love this place",
    "kill it on stage tonight",
    "Je te bats au uno",
    "<script>alert('je vais te tuer')</script>",
    "je\u200b vais\u200d te\u200b tuer",
    "\u202eje vais te tuer\u202c",
    "ǅ ǈ ǋ ß STRASSE ſ K İ ı ꭰ",
    "١٢٣٤٥٦٧٨٩",
    "x" * 5000 + " I know where you live",
]


def _normalised(texts: list[str]) -> list[str]:
    return [normalise(t).text for t in texts]


CORPUS = _normalised(EVAL + THREATS + HATE + NOISE) + [t.upper() for t in THREATS + HATE]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return (a.re, a.span(), a.string) == (b.re, b.span(), b.string)


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
def test_prefiltered_search_finds_the_same_first_match(lang):
    lex = lexicons(lang)
    for text in CORPUS:
        forms = _forms(text)
        for patterns, index in ((lex.threats, lex.threat_index), (lex.hate, lex.hate_index)):
            assert index.patterns == patterns
            assert _same(_search_indexed(index, forms), _search(patterns, text)), text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_pattern_that_matches_is_filtered_out(lang):
    """Stronger than the first match: every pattern that matches a form is a candidate."""
    lex = lexicons(lang)
    for text in CORPUS:
        for form in _forms(text):
            for index in (lex.threat_index, lex.hate_index):
                candidates = set(map(id, index.candidates(form)))
                for pattern in index.patterns:
                    if pattern.search(form):
                        assert id(pattern) in candidates, (pattern.pattern, form)


def test_crafted_threats_and_hate_are_found():
    for text in THREATS:
        lex = lexicons(detect_language(text))
        assert _search_indexed(lex.threat_index, _forms(normalise(text).text)), text
    for text in HATE:
        lex = lexicons(detect_language(text))
        assert _search_indexed(lex.hate_index, _forms(normalise(text).text)), text


def test_the_filter_skips_most_patterns_on_ordinary_comments():
    lex = lexicons("fr")
    run = sum(len(lex.threat_index.candidates(t)) for t in _normalised(EVAL[:200]))
    assert run < 2 * 200  # ~1 per comment, not len(lex.threats) (>100)


def test_pattern_index_case_flags_and_digits():
    patterns = (
        re.compile("Straße"),  # literal with a capital and an ß: found case-folded
        re.compile(r"(?i)kill"),  # IGNORECASE ("ı" reads "i", casefold disagrees): always run
        re.compile(r"\d{3}"),  # needs "a digit", any Unicode digit: always run
        re.compile(r"\bfoo|bar\b"),
        re.compile(r"x*"),  # needs nothing: always run
    )
    index = PatternIndex(patterns)
    assert index.always == (1, 2, 4)
    texts = ["Straße", "STRASSE", "strasse", "KıLL", "KILL", "١٢٣", "123", "foo", "rebar", "", "nothing", "ǅ"]
    for text in texts:
        candidates = index.candidates(text)
        assert list(candidates) == sorted(candidates, key=patterns.index)  # original order
        for pattern in patterns:
            if pattern.search(text):
                assert pattern in candidates, (pattern.pattern, text)
    assert patterns[0] in index.candidates("Straße") and patterns[0] not in index.candidates("nothing")


def test_classify_reads_sentiment_once_as_the_public_function_does():
    for text in EVAL[:400] + THREATS + HATE:
        scores = classify(text)
        norm = normalise(text)
        lex = lexicons(scores.language if scores.language != UNDETERMINED else "en")
        mood = sentiment(norm, lex)[0]
        tox = classifiers.toxicity(norm, lex, mood)[0]
        if tox >= TOXIC:
            mood = sentiment(norm, lex, extra=-2.5 * (1 + tox))[0]
        assert scores.sentiment == round(mood, 4), text


# --- language ----------------------------------------------------------------------------


def _py3langid_decision(text: str, languages=("fr", "en")) -> str:
    ranked = language_scores(text, languages)
    return ranked[0][0] if ranked else UNDETERMINED


def _salads(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    words = " ".join(EVAL).split()
    alphabet = "abcdefghijklmnopqrstuvwxyzéèàçêôABCZ '!?.,😀1234ßſıİΩжあ\u200b"
    out = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 8))) for _ in range(count)]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 10))) for _ in range(count)]
    return out


def test_language_shortcut_is_available():
    assert _shortcut(("fr", "en")) is not None  # else every detection takes the slow path


@pytest.mark.parametrize("languages", [("fr", "en"), ("en", "fr", "de"), ("de", "it", "es", "fr", "en")])
def test_detect_language_decides_as_py3langid(languages):
    texts = EVAL + THREATS + HATE + NOISE + _salads(1500, seed=len(languages))
    for text in texts:
        assert detect_language(text, languages) == _py3langid_decision(text, languages), text


def test_language_shortcut_bounds_hold():
    """The float32 scores py3langid computes stay well within the bounds the shortcut assumes."""
    shortcut = _shortcut(("fr", "en"))
    identifier = _identifier(("fr", "en"))
    for text in EVAL + _salads(500, seed=9):
        data = shortcut.encode(text[:2000])
        found = shortcut.leads(data)
        if found is None:
            continue
        leads, bounds = found
        reference = identifier._raw_score(data).tolist()
        for lead, raw, bound in zip(leads, reference, bounds, strict=True):
            assert abs((raw - reference[0]) - lead) <= 0.25 * (bound + bounds[0]), text


def test_language_shortcut_abstains_without_features_and_on_near_ties():
    shortcut = _shortcut(("fr", "en"))
    assert shortcut.decide("ok") is None  # no feature: py3langid's uniform scores decide
    abstained = [t for t in _salads(1500, seed=3) if t.strip() and shortcut.decide(t) is None]
    assert abstained  # some texts are left to py3langid…
    for text in abstained:
        assert detect_language(text) == _py3langid_decision(text)  # …which then answers


# --- spam and surface features -----------------------------------------------------------


def _caps_ratio_reference(text: str) -> tuple[float, int]:
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    letters = upper + lower
    return (upper / letters if letters else 0.0), letters


def test_no_character_is_both_upper_and_lower_case():
    assert not any(ch.isupper() and ch.islower() for ch in map(chr, range(0x110000)))


def test_caps_ratio_matches_the_per_character_loop():
    for text in EVAL + NOISE + [t.upper() for t in EVAL[:100]] + ["ÉCOLE École", "ǅungla", "ΑΒΓ αβγ", "\x00A\x7fb"]:
        assert features.caps_ratio(text) == _caps_ratio_reference(text), text


LINKS = [
    "see www.,",
    "http://localhost:8000/x",
    "HTTPS://EXAMPLE.COM/Path",
    "bit[.]ly/abc and site (dot) com",
    "Visit example.ᴄom or foo.ſhop or bar.Kelvin.com",
    "e.g. i.e. U.S.A. 3.5 stars",
    "mail me at a.b@example.org",
    "shop.icu/free 💰💰",
    "Fin. Suite",
]


def test_link_hint_changes_no_extraction(monkeypatch):
    texts = EVAL + NOISE + LINKS
    fast = [features.extract_links(t) for t in texts]
    monkeypatch.setattr(features, "_LINK_HINT", re.compile(""))  # matches every text
    assert fast == [features.extract_links(t) for t in texts]


def test_spam_prechecks_change_nothing(monkeypatch):
    texts = EVAL + NOISE + LINKS + ["06 12 34 56 78", "+33 ٦ ١٢ ٣٤ ٥٦ ٧٨", "a@b.co", "💰💸🤑 money 🚀🚀", "✅✅ ok"]
    for text in texts:
        phone = classifiers._PHONE.search(text)
        assert bool(phone) == bool(classifiers._DIGIT.search(text) and phone), text
        email = classifiers._EMAIL.search(text)
        assert bool(email) == bool("@" in text and email), text
        money = sum(1 for ch in text if ch in classifiers._MONEY_EMOJI)
        assert money == (0 if text.isascii() else sum(map(text.count, classifiers._MONEY_EMOJI))), text

    def spam_of(text):
        return classifiers.spam_score(text, normalise(text), lexicons(detect_language(text)))

    fast = [spam_of(t) for t in texts]
    monkeypatch.setattr(classifiers, "_DIGIT", re.compile(""))  # as if every text had a digit
    assert fast == [spam_of(t) for t in texts]
    assert any(score for score, _ in fast)
