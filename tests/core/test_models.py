"""Core objects that cross process boundaries (the page worker sends items back pickled)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind, Moderation
from cmdesk.core.moderation.classifiers import classify


def test_an_incoming_item_comes_back_from_pickle_field_for_field():
    item = IncomingItem(
        platform_item_id="115816896921600001",
        kind=ItemKind.DIRECT_MESSAGE,
        text="Bonjour \u202e<script>alert(1)</script>\u200b",
        created_at=datetime(2026, 1, 1, 9, 30, tzinfo=UTC),
        author=IncomingAuthor("a0", "Zoé", "@zoe@lyon.social", "https://lyon.social/@zoe", "https://lyon.social/a.png"),
        thread_platform_id="1158",
        parent_platform_id="1157",
        url="https://lyon.social/@zoe/1",
        lang="fr",
        original="<p>Bonjour</p>",
        is_own=True,
        moderation=Moderation.HIDDEN,
        thread_title="Livraison",
        ref='{"id":"1"}',
    )
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(item, protocol=protocol))
        assert copy == item and copy.kind is ItemKind.DIRECT_MESSAGE and copy.moderation is Moderation.HIDDEN


def test_scores_come_back_from_the_scoring_worker_field_for_field():
    scores = classify("Vous êtes des voleurs, remboursez-moi !", None)
    assert scores.reasons  # a text with reasons: the tuple field travels too
    assert pickle.loads(pickle.dumps(scores, protocol=pickle.HIGHEST_PROTOCOL)) == scores
