"""Templates in the window: the "/" picker in the composer, the fill-in form, and the library window."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt

from cmdesk.core.models import IncomingAuthor, Platform, View, utcnow
from cmdesk.core.templates import CustomField, Template, Variant
from cmdesk.gui.template_library import TemplateTableModel
from cmdesk.profile import Settings
from cmdesk.services.templates import TemplateLibrary
from tests.gui.conftest import fresh_item, wait_idle


def answerable(window, qtbot, *, platform=Platform.BLUESKY, lang="fr", name="Ana Martin", n=1):
    """A fresh item by ``name`` on ``platform``, selected, with the composer on (as if online)."""
    account = next(a for a in window.store.accounts() if a.platform == platform)
    # Half a minute old: newer than every demo item (first in the list), older than the reply.
    incoming = replace(
        fresh_item(n, text="Merci pour les croissants !"), lang=lang, created_at=utcnow() - timedelta(seconds=30)
    )
    incoming = replace(incoming, author=IncomingAuthor(f"author-{n}", name, f"{name.split()[0].lower()}.example"))
    window.store.ingest(account.id, [incoming])
    window.reply_blocked_reason = lambda item, account: ""
    window.refresh_all()
    window.sidebar.select_view(View.ALL)
    window.select_row(0)
    wait_idle(qtbot, window)
    assert window.detail.item.author.display_name == name
    window.composer.editor.setFocus()
    return window.detail.item


def test_slash_merci_picks_fills_from_the_item_and_counts(open_demo, qtbot):
    window = open_demo()
    wait_idle(qtbot, window)
    answerable(window, qtbot)
    hook = window.templates_feature.composer_hook
    editor = window.composer.editor
    qtbot.keyClicks(editor, "/merci")
    assert hook.picker.isVisible()
    assert hook.picker.current().shortcode == "merci"
    assert "96 / 300" in hook.picker.ui.infoLabel.text()  # the live preview counts as Bluesky does
    window.grab().save("/tmp/shots/picker.png")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert not hook.picker.isVisible()
    text = window.composer.text()
    assert text == "Bonjour Ana, merci beaucoup pour votre message ! Ça nous fait vraiment plaisir. À très bientôt 😊"
    assert window.composer.ui.counterLabel.text() == "96 / 300"
    assert window.composer.ui.sendButton.isEnabled()


def test_variant_follows_language_and_platform_and_charte_is_shown(open_demo, qtbot):
    window = open_demo()
    wait_idle(qtbot, window)
    answerable(window, qtbot, lang="en", name="James O'Neill")
    editor = window.composer.editor
    qtbot.keyClicks(editor, "Hello! /calme")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    calme = window.templates_feature.library.repo.by_shortcode("calme")
    body = next(v.body for v in calme.variants if v.lang == "en" and v.platform == Platform.BLUESKY)
    hook = window.templates_feature.composer_hook
    assert window.composer.text() == "Hello! " + hook.context().render(body, "en").text
    guideline = window.composer.ui.guidelineView
    assert guideline.isVisibleTo(window) and "Stay calm and courteous" in guideline.toPlainText()
    window.grab().save("/tmp/shots/charte.png")
    window.composer.editor.clear()
    assert not guideline.isVisibleTo(window)


def test_missing_value_opens_the_fill_in_form_and_blocks_send(open_demo, qtbot):
    window = open_demo()
    wait_idle(qtbot, window)
    library = window.templates_feature.library
    library.set_fields((*library.fields(), CustomField("shop.parking", "", "Parking nearby")))
    parking = Template(
        "parking", "Parking", (Variant("Bonjour {author.first_name}, le parking : {shop.parking}.", "fr"),)
    )
    template_id = library.create(parking).current
    window.templates_feature.composer_hook.reload()
    answerable(window, qtbot)
    composer, editor = window.composer, window.composer.editor
    qtbot.keyClicks(editor, "/parking")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    form = window.templates_feature.composer_hook.form
    assert form.isVisibleTo(window) and form.names == ["shop.parking"]
    assert composer.text() == "Bonjour Ana, le parking : {shop.parking}."
    assert not composer.ui.sendButton.isEnabled()
    assert "{shop.parking}" in composer.ui.problemLabel.text()
    window.grab().save("/tmp/shots/fill_in.png")
    composer.send()
    assert window.services.outbox.entries_for_item(window.detail.item.id) == []  # nothing sent with a hole
    assert form.edit("shop.parking").hasFocus()
    qtbot.keyClicks(form.edit("shop.parking"), "rue Merciere")
    qtbot.keyClick(form.edit("shop.parking"), Qt.Key.Key_Return)
    assert composer.text() == "Bonjour Ana, le parking : rue Merciere."
    assert not form.isVisibleTo(window)
    assert composer.ui.sendButton.isEnabled() and not composer.ui.problemLabel.isVisibleTo(window)

    composer.ui.sendButton.click()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: library.usage().get(template_id) is not None, timeout=3000)
    stats = library.usage()[template_id]
    assert stats.times_used == 1 and stats.timed_uses == 1
    assert composer.text() == ""


def test_unknown_variable_blocks_send_with_a_message(open_demo, qtbot):
    window = open_demo()
    wait_idle(qtbot, window)
    feature = window.templates_feature
    feature.library.repo.create(Template("bizarre", "Bizarre", (Variant("Merci {client.nom} !", "fr"),)))
    feature.composer_hook.reload()
    answerable(window, qtbot)
    composer, editor = window.composer, window.composer.editor
    qtbot.keyClicks(editor, "/bizarre")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert composer.text() == "Merci {client.nom} !"
    assert not composer.ui.sendButton.isEnabled()
    assert "Unknown variable {client.nom}" in composer.ui.problemLabel.text()
    assert not feature.composer_hook.form.isVisibleTo(window)
    composer.set_text("Merci !")
    assert composer.ui.sendButton.isEnabled()


def test_escape_closes_the_picker_and_a_slash_in_a_sentence_is_text(open_demo, qtbot):
    window = open_demo()
    wait_idle(qtbot, window)
    answerable(window, qtbot)
    hook, editor = window.templates_feature.composer_hook, window.composer.editor
    qtbot.keyClicks(editor, "and/or ")
    assert not hook.picker.isVisible()
    qtbot.keyClicks(editor, "/mer")
    assert hook.picker.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not hook.picker.isVisible() and window.composer.text() == "and/or /mer"
    assert editor.hasFocus()
    editor.clear()
    qtbot.keyClicks(editor, "10 / 20")
    assert not hook.picker.isVisible() and window.composer.text() == "10 / 20"


def open_library(window, qtbot):
    wait_idle(qtbot, window)
    window.templates_feature.act_library.trigger()
    library = window.templates_feature.library_window
    qtbot.waitExposed(library)
    return library


def test_library_table_model_passes_the_model_tester(qtmodeltester, store):
    library = TemplateLibrary(store, Settings(store.path.parent / "settings.json"))
    library.install_starter()
    model = TemplateTableModel()
    model.set_rows(library.templates(), library.usage())
    qtmodeltester.check(model)


def test_library_window_create_edit_delete_and_undo(open_demo, qtbot):
    window = open_demo()
    library = open_library(window, qtbot)
    assert library.model.rowCount() >= 30  # the demo has the starter pack
    ui = library.ui
    ui.newButton.click()
    qtbot.keyClicks(ui.shortcodeEdit, "livraison-offerte")
    qtbot.keyClicks(ui.titleEdit, "Livraison offerte")
    ui.categoryCombo.setEditText("Commandes")
    ui.bodyEdit.insertPlainText("Bonjour {author.first_name|à vous}, la livraison est offerte !")
    assert ui.saveButton.isEnabled()
    library.grab().save("/tmp/shots/library_new.png")
    ui.saveButton.click()
    wait_idle(qtbot, window)
    stored = window.templates_feature.library.repo.by_shortcode("livraison-offerte")
    assert stored is not None and stored.category == "Commandes"
    assert library.selected().id == stored.id

    ui.titleEdit.clear()
    qtbot.keyClicks(ui.titleEdit, "Livraison gratuite")
    ui.saveButton.click()
    wait_idle(qtbot, window)
    assert window.templates_feature.library.template(stored.id).title == "Livraison gratuite"

    count = len(window.templates_feature.library.templates())
    ui.deleteButton.click()
    wait_idle(qtbot, window)
    assert window.templates_feature.library.repo.by_shortcode("livraison-offerte") is None
    assert len(window.templates_feature.library.templates()) == count - 1
    assert "Deleted /livraison-offerte" in ui.statusLabel.text()
    ui.undoButton.click()
    wait_idle(qtbot, window)
    back = window.templates_feature.library.repo.by_shortcode("livraison-offerte")
    assert back is not None and back.id == stored.id and back.title == "Livraison gratuite"
    assert library.selected().id == stored.id


def test_library_editor_refuses_unknown_variables_and_clashes(open_demo, qtbot):
    window = open_demo()
    library = open_library(window, qtbot)
    ui = library.ui
    ui.newButton.click()
    qtbot.keyClicks(ui.shortcodeEdit, "Merci")  # the starter pack's /merci
    qtbot.keyClicks(ui.titleEdit, "Encore merci")
    qtbot.keyClicks(ui.bodyEdit, "Merci {autor.first_name} !")
    problems = ui.problemsLabel.text()
    assert "/merci is already used" in problems
    assert "unknown variable {autor.first_name}" in problems and "{author.first_name}" in problems
    assert not ui.saveButton.isEnabled()
    library.grab().save("/tmp/shots/library_problems.png")


def test_library_guidelines_fields_and_a_refused_import(open_demo, qtbot, tmp_path):
    window = open_demo()
    library_window = open_library(window, qtbot)
    ui, library = library_window.ui, window.templates_feature.library
    ui.tabs.setCurrentWidget(ui.guidelinesTab)
    ui.categoryList.setCurrentItem(ui.categoryList.findItems("Avis clients · Reviews", Qt.MatchFlag.MatchExactly)[0])
    assert "Répondez à chaque avis" in ui.charteEdit.toPlainText()
    library_window.grab().save("/tmp/shots/library_guidelines.png")
    ui.charteEdit.setPlainText("Remerciez toujours.")
    ui.saveCharteButton.click()
    wait_idle(qtbot, window)
    assert dict((c.name, c.charte) for c in library.categories())["Avis clients · Reviews"] == "Remerciez toujours."

    ui.tabs.setCurrentWidget(ui.fieldsTab)
    ui.addFieldButton.click()
    row = ui.fieldsTable.rowCount() - 1
    for column, text in enumerate(("shop.parking", "Parking", "rue de la République")):
        ui.fieldsTable.item(row, column).setText(text)
    library_window.grab().save("/tmp/shots/library_fields.png")
    ui.saveFieldsButton.click()
    wait_idle(qtbot, window)
    assert CustomField("shop.parking", "rue de la République", "Parking") in library.fields()
    assert "shop.parking" in window.templates_feature.composer_hook._known  # the composer knows it at once

    before = library.templates()
    bad = tmp_path / "bad.csv"
    bad.write_text("shortcode,title,lang,body\nnouveau,Nouveau,fr,Bonjour {author.name\n", encoding="utf-8")
    library_window.import_file(bad)
    wait_idle(qtbot, window)
    assert "bad.csv was not imported; nothing was changed." in ui.statusLabel.text()
    assert "not closed" in library_window.import_errors.detailedText()
    library_window.import_errors.close()
    assert library.templates() == before
