"""Offline classifiers: the cases the issue names, language routing, and eval-set floors."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from cmdesk.core.moderation import classify, detect_language

EVAL = Path(__file__).resolve().parents[2] / "data" / "moderation_eval.jsonl"
# test3 is held out in its own file, frozen before the third round of lexicon work (its hash
# is in LEXICONS.md): never tuned on, its misses never listed.
EVAL_TEST3 = EVAL.with_name("moderation_eval_test3.jsonl")
TEST3_SHA256 = "80f4d357690eeed577d6acc8077d3ea6eec90e0e835706759337e0a0bf50a5b5"


@pytest.mark.parametrize(
    "text",
    [
        "connard",
        "CONNÂRD",
        "c0nn4rd",
        "c o n n a r d",
        "bande d'escrocs",
        "You complete morons",
        "Vous êtes des incapables",
        "Your staff are idiots",
        "f*ck you",
    ],
)
def test_abuse_is_toxic(text):
    assert classify(text).toxicity_label == "toxic"


@pytest.mark.parametrize(
    "text", ["Je sais où tu habites", "I know where you live", "Je vais te casser la gueule", "Watch your back"]
)
def test_threats(text):
    scores = classify(text)
    assert scores.threat >= 0.5 and scores.toxicity_label == "toxic"


@pytest.mark.parametrize(
    "text",
    [
        "Your service was slow and the staff rude",
        "Le service est nul depuis le changement de gérant",
        "Putain c'est trop bon !",
        "Holy shit, these croissants are incredible!",
        "Ma chatte adore vos croquettes",
        "Le retard de livraison est inadmissible",
        "Un pain bâtard et deux baguettes",
        "I'm an idiot, I forgot my charger in the room",
        "The assassin's creed cake was a hit",
        "We stayed in Scunthorpe last year",
    ],
)
def test_civil_or_innocent_text_is_not_toxic(text):
    assert classify(text).toxicity_label == "ok", classify(text).reasons


def test_spam_and_not_spam():
    assert classify("WIN FREE BITCOIN 💰💰 dm me on telegram bit.ly/xyz").spam_label == "spam"
    assert classify("Gagnez 500€ par jour depuis chez vous, écrivez-moi sur WhatsApp").spam_label == "spam"
    assert classify("Do you have a promo code for students?").spam_label == "ok"
    assert classify("same text posted again", repeated=5).spam >= 0.45


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("C'est pas terrible", "negative"),
        ("Pas mal du tout !", "positive"),
        ("Les croissants sont délicieux, merci", "positive"),
        ("Très déçue par l'accueil", "negative"),
        ("I can't recommend them enough!", "positive"),
        ("Not bad at all", "positive"),
        ("Are you open on Sunday?", "neutral"),
    ],
)
def test_sentiment_idioms_and_negation(text, label):
    assert classify(text).sentiment_label == label


def test_french_negation_wraps_the_verb():
    assert classify("L'appli ne plante pas").sentiment > 0 > classify("L'appli plante").sentiment


def test_language_detection_and_routing():
    assert detect_language("Bonjour, merci pour votre accueil") == "fr"
    assert detect_language("Thanks for the warm welcome") == "en"
    assert detect_language("😀😀") == "und"
    assert classify("😍😍😍").sentiment_label == "positive"
    # "retard" is the French word for delay: only English texts read it as a slur.
    assert classify("Encore du retard, c'est pénible", "fr").toxicity_label == "ok"
    assert classify("you retard", "en").toxicity_label == "toxic"


def test_scores_serialise():
    data = classify("Bande d'escrocs").to_dict()
    assert set(data) >= {"toxicity", "toxicity_label", "threat", "spam", "spam_label", "sentiment", "sentiment_label"}
    json.dumps(data)


def test_huge_texts_are_bounded():
    started = time.perf_counter()
    long = classify("Bonjour connard " * 10_000)
    emoji = classify("😀" * 100_000)
    assert time.perf_counter() - started < 10
    assert long.toxicity_label == "toxic" and "only the first" in long.reasons[-1]
    assert emoji.language == "und" and "emoji" in emoji.reasons[-1]


def _rows(split: str) -> list[dict]:
    path = EVAL_TEST3 if split == "test3" else EVAL
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["split"] == split]


def test_held_out_split_is_frozen_and_balanced():
    assert hashlib.sha256(EVAL_TEST3.read_bytes()).hexdigest() == TEST3_SHA256, "test3 is frozen: write a test4"
    rows = _rows("test3")
    assert len(rows) >= 150 and {r["lang"] for r in rows} == {"fr", "en"}
    categories = {r["category"] for r in rows}
    assert {"friendly", "critical", "insult", "threat", "spam", "evasive", "swear_praise", "tricky"} <= categories
    # Written without reading the main file, four short comments came out word for word as
    # in dev (two questions, two evasive insults); LEXICONS.md gives figures without them too.
    main = {json.loads(line)["text"] for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(main & {r["text"] for r in rows}) == 4


def test_evaluation_set_is_large_and_balanced():
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 400
    assert {r["lang"] for r in rows} == {"fr", "en"}
    assert {r["split"] for r in rows} == {"dev", "test1", "test2"}
    assert len({r["id"] for r in rows}) == len(rows)


@pytest.mark.parametrize(
    ("split", "precision", "recall"),
    # Floors a little under the measured figures: a guard against regressions, not a target.
    # (test2 was tuned on in the third round; test3 is the held-out one, see LEXICONS.md.)
    [("dev", 0.97, 0.97), ("test1", 0.95, 0.95), ("test2", 0.95, 0.95), ("test3", 0.95, 0.85)],
)
def test_toxicity_floors_on_the_evaluation_set(split, precision, recall):
    rows = _rows(split)
    tp = fp = fn = 0
    for r in rows:
        toxic = classify(r["text"]).toxicity_label == "toxic"
        tp += toxic and r["toxic"]
        fp += toxic and not r["toxic"]
        fn += (not toxic) and r["toxic"]
    assert tp / (tp + fp) >= precision
    assert tp / (tp + fn) >= recall
