"""The learned model: training, scoring, persistence and held-back precision/recall."""

from __future__ import annotations

import time

import pytest

from cmdesk.core.moderation import Decision, Label, NaiveBayes, evaluate_learner


def labels(n: int = 60) -> list[Label]:
    out = []
    for i in range(n):
        out.append(Label.of(f"Gagnez {i}00€ en crypto, écrivez-moi sur WhatsApp", Decision.SPAM))
        out.append(Label.of(f"bande d'escrocs numéro {i}, vous êtes des voleurs", "hide"))
        out.append(Label.of(f"Merci pour le pain numéro {i}, délicieux", "approve"))
        out.append(Label.of(f"Le service était un peu lent le jour {i}", "not_abusive"))
    return out


def test_train_and_score():
    model = NaiveBayes().train(labels())
    assert model.trained
    assert model.score("Vous êtes des escrocs et des voleurs") > 0.8
    assert model.score("Merci, le pain était délicieux") < 0.2
    assert 0 <= model.score("") <= 1


def test_untrained_model_is_neutral():
    assert NaiveBayes().score("anything") == 0.5


def test_targets():
    spam = NaiveBayes("spam").train(labels())
    assert spam.score("crypto WhatsApp gagnez") > 0.8
    assert spam.score("bande d'escrocs") < 0.5
    with pytest.raises(ValueError):
        NaiveBayes("nonsense")


def test_json_round_trip():
    model = NaiveBayes().train(labels())
    again = NaiveBayes.from_json(model.to_json())
    for text in ("escrocs", "merci", "crypto"):
        assert again.score(text) == model.score(text)
    with pytest.raises(ValueError):
        NaiveBayes.from_json('{"version": 99}')


def test_evaluate_reports_precision_and_recall():
    metrics = evaluate_learner(labels(), holdout=0.25, seed=3)
    assert metrics.enough
    assert metrics.n_test == 60 and metrics.n_train == 180
    assert metrics.precision >= 0.9 and metrics.recall >= 0.9
    assert evaluate_learner(labels(), holdout=0.25, seed=3) == metrics  # seeded: reproducible


def test_evaluate_says_when_there_are_too_few_labels():
    metrics = evaluate_learner(labels(2))
    assert not metrics.enough and "need at least" in metrics.message


def test_training_is_fast():
    many = labels(1000)
    started = time.perf_counter()
    NaiveBayes().train(many)
    assert time.perf_counter() - started < 10
