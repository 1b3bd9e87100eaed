"""``cmdesk templates …`` run as a real process on real profiles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cmdesk.profile import Settings
from cmdesk.services.templates import TemplateLibrary
from cmdesk.services.workspace import open_workspace


def cmdesk(*args):
    return subprocess.run([sys.executable, "-m", "cmdesk", *args], capture_output=True, text=True)


def shortcodes(root) -> list[str]:
    with open_workspace(root) as ws:
        return [t.shortcode for t in TemplateLibrary(ws.store, ws.settings).templates()]


@pytest.fixture(scope="module")
def starter_profile(tmp_path_factory):
    """A profile whose library got the starter pack from its first ``templates list``."""
    root = tmp_path_factory.mktemp("templates") / "profile"
    result = cmdesk("templates", "list", "--profile", str(root))
    assert result.returncode == 0, result.stderr
    assert "Installed the starter pack" in result.stderr
    assert "/merci " in result.stdout and "/avis-negatif" in result.stdout
    return root


def test_render_prints_the_text_or_the_problems(starter_profile):
    p = ("--profile", str(starter_profile))
    ok = cmdesk(
        "templates", "render", "merci", "--lang", "fr", "--platform", "bluesky", "--var", "author.first_name=Ana", *p
    )
    assert ok.returncode == 0 and ok.stdout.startswith("Bonjour Ana, merci beaucoup")
    bluesky = cmdesk("templates", "render", "/retard", "--lang", "en", "--platform", "bluesky", *p)
    web = cmdesk("templates", "render", "/retard", "--lang", "en", *p)
    assert bluesky.returncode == web.returncode == 0 and bluesky.stdout != web.stdout  # its Bluesky variant
    missing = cmdesk("templates", "render", "contact", "--lang", "en", *p)
    assert missing.returncode == 1 and "no value for {support.email}: pass --var support.email=" in missing.stderr
    assert missing.stdout == ""  # never a text with a hole in it
    typo = cmdesk("templates", "render", "mercy", *p)
    assert typo.returncode == 2 and "did you mean /merci?" in typo.stderr


@pytest.mark.parametrize(("fmt", "extra"), [("json", ()), ("csv", ("--delimiter", "semicolon"))])
def test_export_import_export_round_trips_exactly(starter_profile, tmp_path, fmt, extra):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    fresh = tmp_path / "fresh"
    out = cmdesk("templates", "export", "--format", fmt, "--out", str(first), *extra, "--profile", str(starter_profile))
    assert out.returncode == 0 and "Exported 33 templates" in out.stderr
    imported = cmdesk("templates", "import", str(first), "--profile", str(fresh))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported 33 templates, 4 categories, 4 custom fields")
    cmdesk("templates", "export", "--format", fmt, "--out", str(second), *extra, "--profile", str(fresh))
    assert second.read_bytes() == first.read_bytes()
    assert shortcodes(fresh) == shortcodes(starter_profile)


def _import(root, path, *args):
    return cmdesk("templates", "import", str(path), *args, "--profile", str(root))


def test_bad_files_exit_2_with_the_message_and_change_nothing(starter_profile, tmp_path):
    before = shortcodes(starter_profile)
    bad = {
        "broken.json": ('{"templates": [', "not valid JSON"),
        "braces.json": (
            json.dumps(
                [{"shortcode": "x", "title": "X", "variants": [{"lang": "fr", "body": "Bonjour {author.name"}]}]
            ),
            "'{' is not closed",
        ),
        "twice.json": (
            json.dumps([{"shortcode": c, "title": c, "variants": [{"body": "Re"}]} for c in ("neuf", "ok", "NEUF")]),
            "/neuf is already used by template 1",
        ),
        "clash.csv": (
            "shortcode,title,lang,body\nnouveau,Nouveau,fr,Bonjour\nmerci,Merci,fr,Merci !\n",
            "already exists",
        ),
    }
    for name, (content, message) in bad.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = _import(starter_profile, path)
        assert result.returncode == 2, name
        assert "was not imported (nothing was changed)" in result.stderr and message in result.stderr, name
    missing = _import(starter_profile, tmp_path / "absent.json")
    assert missing.returncode == 2 and "Cannot read" in missing.stderr
    assert shortcodes(starter_profile) == before


def test_spreadsheet_csv_html_and_replace(tmp_path):
    root = tmp_path / "profile"
    sheet = tmp_path / "excel.csv"
    # What Excel writes on a French Windows: Windows-1252, ";" between cells, a "sep=" line.
    sheet.write_bytes(
        "sep=;\r\nraccourci;titre;langue;texte\r\nhoraires;Horaires;fr;Ouvert du mardi au samedi, à bientôt !\r\n"
        "promo;Promo;fr;<b>-20 %</b> sur les **galettes**\r\n".encode("cp1252")
    )
    assert _import(root, sheet).returncode == 0
    with open_workspace(root) as ws:
        library = TemplateLibrary(ws.store, ws.settings)
        assert library.repo.by_shortcode("horaires").variants[0].body == "Ouvert du mardi au samedi, à bientôt !"
    html = cmdesk("templates", "render", "promo", "--profile", str(root))
    assert html.stdout.strip() == "<b>-20 %</b> sur les **galettes**"  # plain text, sent as written
    again = tmp_path / "again.csv"
    again.write_text("shortcode,title,lang,body\nhoraires,Horaires,fr,Fermé le lundi.\n", encoding="utf-8")
    dry = _import(root, again, "--replace", "--dry-run")
    assert (
        dry.returncode == 0
        and dry.stdout.startswith("Would import 1 templates")
        and "replacing /horaires" in dry.stdout
    )
    assert _import(root, again, "--replace").returncode == 0
    assert "Fermé le lundi." in cmdesk("templates", "render", "horaires", "--profile", str(root)).stdout


def test_a_one_megabyte_import_applies_whole(tmp_path):
    root = tmp_path / "profile"
    body = "Merci pour votre message, {author.first_name|à vous} ! " * 30
    templates = [
        {"shortcode": f"t{n}", "title": f"Modèle {n}", "variants": [{"lang": "fr", "body": body}]} for n in range(620)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"templates": templates}, ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    result = _import(root, path)
    assert result.returncode == 0 and result.stdout.startswith("Imported 620 templates")
    assert len(shortcodes(root)) == 620
    settings = Settings(root / "settings.json")
    assert settings.get("custom_fields") == {}
