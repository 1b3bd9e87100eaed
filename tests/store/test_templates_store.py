"""The template library on a real SQLite file: the repository and the service above it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmdesk.core.models import Platform
from cmdesk.core.query import InboxQuery
from cmdesk.core.templates import Category, CustomField, Format, Pack, Template, Variant, load_pack, load_starter_pack
from cmdesk.profile import Settings
from cmdesk.services.templates import TemplateLibrary, draft_holes, fill_holes, markup_hint, read_fields
from cmdesk.store.errors import InvalidInput
from cmdesk.store.store import Store
from cmdesk.store.templates import TemplateRepository
from tests.conftest import NOW, make_item


def merci(shortcode="merci", **changes) -> Template:
    base = Template(
        shortcode,
        "Merci",
        (
            Variant("Merci {author.first_name|à vous} !", "fr"),
            Variant("Thanks {author.first_name|there}!", "en"),
            Variant("Merci !", "fr", Platform.BLUESKY, "Merci court"),
        ),
        category="Avis/Positifs",
        tags=("merci", "thanks"),
    )
    return base.with_(**changes)


@pytest.fixture
def repo(store):
    return TemplateRepository(store)


@pytest.fixture
def library(store, tmp_path):
    return TemplateLibrary(store, Settings(tmp_path / "settings.json"))


def test_create_reads_back_equal_and_survives_reopening(store, repo, tmp_path):
    stored = repo.create(merci())
    assert stored.id is not None and stored.with_(id=None) == merci()
    store.close()
    again = Store(tmp_path / "cmdesk.db")
    try:
        assert TemplateRepository(again).templates() == [stored]
    finally:
        again.close()


def test_edit_keeps_id_position_and_uses(repo):
    first, second = repo.create(merci()), repo.create(merci("bonjour", title="Bonjour"))
    repo.record_use([second.id], None, NOW, None)
    edited = repo.update(second.with_(title="Salut", variants=(Variant("Salut !", "fr"),)))
    assert edited.id == second.id and edited.variants == (Variant("Salut !", "fr"),)
    assert [t.id for t in repo.templates()] == [first.id, second.id]
    assert repo.usage()[second.id].times_used == 1


def test_duplicate_shortcodes_are_refused_with_a_clear_message(repo):
    repo.create(merci("délai"))
    with pytest.raises(InvalidInput, match="/délai is already used by “Merci”"):
        repo.create(merci("Delai"))
    other = repo.create(merci("autre"))
    with pytest.raises(InvalidInput, match="already used"):
        repo.update(other.with_(shortcode="DELAI"))


def test_malformed_templates_never_reach_the_table(repo):
    with pytest.raises(InvalidInput, match="not closed"):
        repo.create(merci(variants=(Variant("Merci {author.first_name !", "fr"),)))
    with pytest.raises(InvalidInput, match="shortcode"):
        repo.create(merci("avec espace"))
    assert repo.templates() == []


def test_duplicate_goes_right_after_the_original_with_a_free_shortcode(repo):
    a, b = repo.create(merci("a")), repo.create(merci("b"))
    copy = repo.duplicate(a.id)
    again = repo.duplicate(a.id, "Merci (copie)")
    assert copy.shortcode == "a-copy" and again.shortcode == "a-copy-2" and again.title == "Merci (copie)"
    assert copy.variants == a.variants and not copy.favourite
    assert [t.shortcode for t in repo.templates()] == ["a", "a-copy-2", "a-copy", "b"]
    assert b.id in {t.id for t in repo.templates()}


def test_delete_then_restore_brings_back_id_place_and_usage(store, repo, account):
    store.ingest(account.id, [make_item(1)])
    item = store.item(store.page(InboxQuery())[0].id)
    _a, b, _c = (repo.create(merci(code)) for code in ("a", "b", "c"))
    repo.record_use([b.id], item.id, item.created_at + timedelta(minutes=30), item.created_at)
    snapshot = repo.delete(b.id)
    assert [t.shortcode for t in repo.templates()] == ["a", "c"]
    assert b.id not in repo.usage()
    restored = repo.restore(snapshot)
    assert restored == b
    assert [t.shortcode for t in repo.templates()] == ["a", "b", "c"]
    stats = repo.usage()[b.id]
    assert stats.times_used == 1 and stats.average_reply_time == timedelta(minutes=30)


def test_reorder_and_favourite(repo):
    ids = [repo.create(merci(code)).id for code in ("a", "b", "c", "d")]
    assert repo.move(ids[3], 0) == 3
    assert [t.shortcode for t in repo.templates()] == ["d", "a", "b", "c"]
    repo.move(ids[3], 99)
    assert [t.shortcode for t in repo.templates()] == ["a", "b", "c", "d"]
    repo.set_favourite(ids[1], True)
    assert [t.favourite for t in repo.templates()] == [False, True, False, False]


def test_usage_statistics(repo):
    t = repo.create(merci())
    item_time = NOW - timedelta(hours=2)
    repo.record_use([t.id], None, NOW - timedelta(hours=1), item_time)  # waited 1 h
    repo.record_use([t.id], None, NOW, item_time)  # waited 2 h
    repo.record_use([t.id], None, NOW - timedelta(days=1), None)  # no item: counted, not timed
    repo.record_use([t.id, 9999], None, NOW - timedelta(days=2), NOW)  # an item newer than the reply: not timed
    stats = repo.usage()[t.id]
    assert stats.times_used == 4 and stats.last_used == NOW
    assert stats.timed_uses == 2 and stats.average_reply_time == timedelta(minutes=90)


def test_charte_and_categories(repo):
    repo.create(merci(category="Avis/Négatifs"))
    repo.set_charte("Avis", "Toujours remercier.")
    assert repo.categories() == [Category("Avis", "Toujours remercier.")]
    assert repo.category_names() == ["Avis", "Avis/Négatifs"]
    with pytest.raises(InvalidInput):
        repo.set_charte("  ", "x")


def test_a_failing_import_applies_nothing(store, repo):
    repo.create(merci("existant"))
    pack = Pack((merci("nouveau"), merci("existant")), (Category("Avis", "charte"),))
    with pytest.raises(InvalidInput, match="nothing was imported"), store.write() as conn:
        repo.apply_pack(conn, pack)
    assert [t.shortcode for t in repo.templates()] == ["existant"] and repo.categories() == []


def test_import_with_replace_overwrites_in_place(library):
    original = library.repo.create(merci())
    library.repo.record_use([original.id], None, NOW, None)
    data = library.export(Format.JSON).replace(b"Thanks {author.first_name|there}!", b"Many thanks!")
    outcome = library.import_file(data, "pack.json", replace=True)
    assert outcome.ok and outcome.applied.replaced == (original.id,) and outcome.applied.created == ()
    assert library.template(original.id).variants[1].body == "Many thanks!"
    assert library.usage()[original.id].times_used == 1


def test_starter_pack_installs_once_with_its_fields(library, store):
    assert library.install_starter()
    starter = load_starter_pack()
    assert [t.with_(id=None) for t in library.templates()] == list(starter.templates)
    assert {f.name for f in library.fields()} == {f.name for f in starter.fields}
    assert library.install_starter() is False
    for t in library.templates():
        library.delete(t.id)
    assert library.install_starter() is False  # the categories remain: not a first use any more


def test_export_then_import_round_trips_exactly(library, store, tmp_path):
    library.install_starter()
    library.set_charte("Remerciements · Thanks", "Merci d'abord.\nThanks first.")
    for fmt in (Format.JSON, Format.CSV):
        exported = library.export(fmt)
        other_store = Store(tmp_path / f"other-{fmt}.db")
        try:
            other = TemplateLibrary(other_store, Settings(tmp_path / f"other-{fmt}.json"))
            assert other.import_file(exported, f"pack.{fmt}").ok
            assert other.export(fmt) == exported
            assert [t.with_(id=None) for t in other.templates()] == [t.with_(id=None) for t in library.templates()]
        finally:
            other_store.close()
    assert load_pack(library.export(Format.CSV, ";")).pack == load_pack(library.export(Format.JSON)).pack


def test_editor_rules_unknown_variables_and_fields(library):
    with pytest.raises(InvalidInput, match=r"Unknown variable \{shop\.parking\}"):
        library.create(merci(variants=(Variant("Parking : {shop.parking}", "fr"),)))
    library.set_fields([CustomField("shop.parking", "", "Parking")])
    created = library.create(merci(variants=(Variant("Parking : {shop.parking}", "fr"),)))
    assert created.current is not None
    with pytest.raises(InvalidInput, match="built-in"):
        library.set_fields([CustomField("brand", "x")])
    assert read_fields({"a.b": "x", "c": {"value": "v", "label": "L"}}) == (
        CustomField("a.b", "x"),
        CustomField("c", "v", "L"),
    )


def test_demo_preparation_fills_brand_and_field_values(library):
    assert library.prepare_demo("Maison Brioche")
    assert library.settings.get("brand") == "Maison Brioche"
    assert all(f.value for f in library.fields())
    assert not library.prepare_demo("Autre")


def test_draft_holes_and_markup_hints():
    text = "Bonjour {author.first_name}, :-{ {shop.hours|bientôt} {pas une variable} }"
    assert [(h.name, h.default) for h in draft_holes(text)] == [("author.first_name", None), ("shop.hours", "bientôt")]
    assert fill_holes(text, {"author.first_name": "Ana", "shop.hours": "  "}).startswith("Bonjour Ana, :-{ {shop")
    assert markup_hint("<b>Merci</b>") and markup_hint("**Merci**") and not markup_hint("Merci <3")
