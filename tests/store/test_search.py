"""Full-text search: accent folding, the query grammar, and hostile queries that must not break it."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdesk.core.query import InboxQuery
from cmdesk.store.search import parse
from tests.conftest import make_item


def _texts(store, query):
    return sorted(store.item(r.id).text for r in store.page(InboxQuery(search=query)))


def _fill(store, account):
    texts = [
        "Merci pour la réponse rapide",
        "REPONSE attendue depuis une semaine",
        "Livraison en retard, très déçu",
        "The delivery was late again",
        "Commande livrée à l'heure, merci",
        "Rien à voir avec la choucroute",
    ]
    store.ingest(account.id, [make_item(n, text=t) for n, t in enumerate(texts)])


def test_accents_and_case_are_folded(store, account):
    _fill(store, account)
    assert _texts(store, "reponse") == ["Merci pour la réponse rapide", "REPONSE attendue depuis une semaine"]
    assert _texts(store, "Réponse") == _texts(store, "reponse")
    assert _texts(store, "decu") == ["Livraison en retard, très déçu"]


def test_phrase_prefix_negation_and_or(store, account):
    _fill(store, account)
    assert _texts(store, '"en retard"') == ["Livraison en retard, très déçu"]
    assert _texts(store, "livr*") == ["Commande livrée à l'heure, merci", "Livraison en retard, très déçu"]
    assert _texts(store, "merci -rapide") == ["Commande livrée à l'heure, merci"]
    assert _texts(store, "choucroute OR delivery") == ["Rien à voir avec la choucroute", "The delivery was late again"]


def test_author_field(store, account):
    store.ingest(account.id, [make_item(1, author="ana"), make_item(2, author="bob")])
    assert len(store.page(InboxQuery(search="from:ana"))) == 1
    assert len(store.page(InboxQuery(search="ana"))) == 1  # names are searched with the text


def test_fts_syntax_characters_are_words_not_operators(store, account):
    _fill(store, account)
    for query in ['"', "*", "AND", "-", "NEAR(", "merci AND", '"merci', "merci)", "^merci", "col:merci", "{a b}"]:
        store.page(InboxQuery(search=query))  # must not raise
    assert len(_texts(store, '"merci')) == 2
    assert parse("-merci").match is None and "at least one word" in parse("-merci").message
    assert parse("***").match is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_typed_text_is_a_valid_query(store, account, text):
    store.page(InboxQuery(search=text))
