"""From template to reply (composer and CLI), and the starter pack's quality bar."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from cmdesk.core.models import Platform
from cmdesk.core.templates import (
    CustomField,
    Format,
    RenderContext,
    Template,
    TemplateSettings,
    UsageStats,
    Variant,
    charte_for,
    dump_pack,
    import_summary,
    load_pack,
    load_starter_pack,
    merge_fields,
    parse_assignments,
    prepare_reply,
    render_command,
    template_problems,
)
from cmdesk.core.templates.engine import BUILTIN_VARIABLES

MERCI = Template(
    "merci",
    "Merci",
    (
        Variant("Bonjour {author.first_name|à vous}, merci ! {agent.name}", "fr"),
        Variant("Merci {author.first_name} !", "fr", Platform.BLUESKY),
        Variant("Hi {author.first_name|there}, thanks! ({date})", "en"),
    ),
)
SETTINGS = TemplateSettings("Fleurs", "Léa", (CustomField("shop.hours", ""),))


def test_prepare_reply_chooses_renders_and_measures():
    ctx = RenderContext({"author.first_name": "Ana", "agent.name": "Léa"})
    reply = prepare_reply(MERCI, ctx, "fr", Platform.MASTODON)
    assert reply.ok and reply.text == "Bonjour Ana, merci ! Léa"
    assert reply.length.primary.count == len(reply.text)
    assert prepare_reply(MERCI, ctx, "fr", Platform.BLUESKY).text == "Merci Ana !"


def test_prepare_reply_renders_the_date_in_the_variants_language():
    ctx = RenderContext({}, today=date(2026, 11, 24))
    assert prepare_reply(MERCI, ctx, "en-US").text == "Hi there, thanks! (November 24, 2026)"


def test_prepare_reply_blocks_on_missing_values_and_length():
    ctx = RenderContext({})
    reply = prepare_reply(MERCI, ctx, "fr", Platform.BLUESKY)
    assert not reply.ok and reply.rendered.missing == ("author.first_name",)
    assert reply.length.primary.count == len("Merci {author.first_name} !")  # the preview is measured
    long = prepare_reply(MERCI, RenderContext({"author.first_name": "A" * 400}), "fr", Platform.BLUESKY)
    assert long.rendered.ok and long.length.over and not long.ok


def test_render_command_prints_the_text():
    out = render_command([MERCI], "/MERCI", lang="fr", platform="bluesky", assignments=["author.first_name=Ana"])
    assert (out.text, out.errors, out.exit_code) == ("Merci Ana !", (), 0)


def test_render_command_lists_errors_with_non_zero_exit():
    out = render_command([MERCI], "merci", lang="fr", platform="bluesky")
    assert out.exit_code == 1
    assert out.errors == ("/merci (fr / bluesky): no value for {author.first_name}: pass --var author.first_name=…",)
    broken = Template("b", "B", (Variant("Hi {autor.name} }"),))
    out = render_command([broken], "b")
    assert out.exit_code == 1 and len(out.errors) == 2
    assert "did you mean {author.name}" in out.errors[1]
    long = render_command(
        [MERCI], "merci", lang="fr", platform="bluesky", assignments=["author.first_name=" + "A" * 300]
    )
    assert long.exit_code == 1 and long.errors == ("/merci (fr / bluesky): too long for Bluesky: 308/300 characters",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shortcode": "mercy"}, "no template /mercy (did you mean /merci?)"),
        ({"shortcode": "merci", "platform": "myspace"}, "unknown platform 'myspace'"),
        ({"shortcode": "merci", "assignments": ["oops"]}, "expected NAME=VALUE"),
        ({"shortcode": "merci", "assignments": ["autor.name=x"]}, "--var autor.name: unknown variable"),
    ],
)
def test_render_command_usage_errors(kwargs, message):
    out = render_command([MERCI], **kwargs)
    assert out.exit_code == 2 and message in out.errors[0]


def test_render_command_uses_settings_and_platform():
    t = Template("h", "H", (Variant("{brand} sur {platform} : {shop.hours}"),))
    out = render_command([t], "h", platform="mastodon", settings=SETTINGS, assignments=["shop.hours=9-19"])
    assert out.text == "Fleurs sur Mastodon : 9-19"


def test_parse_assignments_keeps_equals_in_values():
    assert parse_assignments(["a.b=x=y", " c = d"]) == ({"a.b": "x=y", "c": " d"}, [])


def test_import_summary():
    ok = import_summary(load_pack(dump_pack(load_starter_pack(), Format.JSON), existing_shortcodes=["merci"],
                                  replace=True))  # fmt: skip
    assert ok.exit_code == 0 and ok.text.startswith("33 templates, 4 categories, 4 custom fields; replacing /merci")
    bad = import_summary(load_pack(b'{"templates": 1}'))
    assert bad.exit_code == 1 and bad.errors == ("file: 'templates' must be a list […]",)


def test_usage_stats():
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
    stats = (
        UsageStats().add_use(t0 + timedelta(minutes=30), t0).add_use(t0 + timedelta(hours=2), t0 + timedelta(hours=1))
    )
    stats = stats.add_use(t0 - timedelta(days=1))  # an older use without a known item time
    assert stats.times_used == 3 and stats.last_used == t0 + timedelta(hours=2)
    assert stats.average_reply_time == timedelta(minutes=45)
    assert UsageStats().average_reply_time is None


def test_charte_for_inherits_from_parent_folders():
    from cmdesk.core.templates import Category

    cats = (Category("Avis", "Remercier d'abord."), Category("Avis/Négatifs", ""))
    assert charte_for("Avis/Négatifs/Graves", cats) == "Remercier d'abord."
    assert charte_for("Autre", cats) == ""


def test_merge_fields_keeps_the_users_values():
    mine = (CustomField("shop.hours", "9-19"),)
    theirs = (CustomField("shop.hours", ""), CustomField("shop.website", "", "Site"))
    assert merge_fields(mine, theirs) == (CustomField("shop.hours", "9-19"), CustomField("shop.website", "", "Site"))


# --- the starter pack -------------------------------------------------------------------

REALISTIC = {
    "author.first_name": "Marie-Claire",
    "author.name": "Marie-Claire Dupont",
    "author.handle": "@marieclaire@piaille.fr",
    "brand": "Boulangerie Dupont",
    "agent.name": "Léa",
    "shop.website": "www.boulangerie-dupont.fr",
    "support.email": "contact@boulangerie-dupont.fr",
    "shop.hours": "du mardi au samedi, de 9 h à 19 h",
    "shop.hours_en": "Tuesday to Saturday, 9am to 7pm",
}


def test_starter_pack_is_valid_and_bilingual():
    pack = load_starter_pack()
    assert 28 <= len(pack.templates) <= 36
    known = set(BUILTIN_VARIABLES) | {f.name for f in pack.fields}
    for t in pack.templates:
        assert template_problems(t, known) == [], t.shortcode
        assert {"fr", "en"} <= set(t.langs), t.shortcode
        assert t.title_for("en") != t.title, t.shortcode  # an English title for English users
    assert sum(bool(c.charte) for c in pack.categories) >= 3
    assert {t.category for t in pack.templates} >= {c.name for c in pack.categories}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("platform", list(Platform))
def test_every_starter_reply_renders_and_fits(lang, platform):
    pack = load_starter_pack()
    ctx = RenderContext(REALISTIC, pack.fields, date(2026, 11, 24))
    for t in pack.templates:
        reply = prepare_reply(t, ctx, lang, platform)
        assert reply.ok, (t.shortcode, reply.rendered.errors, reply.rendered.missing, reply.length)
        assert reply.choice.variant.lang == lang
        assert "{" not in reply.text and "}" not in reply.text


def test_starter_pack_long_bodies_have_a_bluesky_variant():
    for t in load_starter_pack().templates:
        for v in t.variants:
            if v.platform is None and len(v.body) > 300:
                assert any(w.platform is Platform.BLUESKY and w.lang == v.lang for w in t.variants), t.shortcode


def test_starter_pack_round_trips_through_csv():
    pack = load_starter_pack()
    assert load_pack(dump_pack(pack, Format.CSV)).pack == pack


def test_core_templates_import_no_qt_sql_or_http():
    code = (
        "import sys, cmdesk.core.templates\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'requests', 'qasync')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
