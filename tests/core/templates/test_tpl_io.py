"""Import/export: exact round trips, encodings, delimiters, and clear errors with locations."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings

from cmdesk.core.models import Platform
from cmdesk.core.templates import (
    Category,
    CustomField,
    Format,
    Pack,
    Template,
    Variant,
    detect_format,
    dump_pack,
    load_pack,
)
from cmdesk.core.templates._csv import COLUMNS
from tests.core.templates.tpl_strategies import pack

SAMPLE = Pack(
    templates=(
        Template(
            "merci",
            "Merci",
            (
                Variant("Merci {author.first_name|à vous} !\nÀ bientôt 😊", "fr"),
                Variant("Merci !", "fr", Platform.BLUESKY),
                Variant('Thanks, "{author.first_name|there}"; see you', "en", None, "Thanks"),
            ),
            category="Remerciements/Clients",
            tags=("merci", "thanks"),
            favourite=True,
        ),
        Template("délai", "Délai", (Variant("=SUM(A1) -1 @x {{code}}", ""),)),
    ),
    categories=(Category("Remerciements", "Toujours remercier d'abord.\nPuis répondre."),),
    fields=(CustomField("shop.hours", "9 h – 19 h", "Horaires"),),
)


def csv_text(*rows: str, sep: str = ",") -> str:
    return "\n".join([sep.join(COLUMNS), *rows]) + "\n"


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


# --- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_sample_round_trip(fmt):
    result = load_pack(dump_pack(SAMPLE, fmt))
    assert result.ok, messages(result)
    assert result.pack == SAMPLE
    assert result.format is fmt


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_round_trip_with_other_delimiters(delimiter):
    data = dump_pack(SAMPLE, Format.CSV, delimiter=delimiter)
    assert load_pack(data, Format.CSV).pack == SAMPLE


def test_dump_rejects_an_odd_delimiter():
    with pytest.raises(ValueError):
        dump_pack(SAMPLE, Format.CSV, delimiter="|")


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(pack())
def test_json_round_trip_is_exact(generated):
    result = load_pack(dump_pack(generated, Format.JSON), Format.JSON)
    assert result.ok, messages(result)
    assert result.pack == generated


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(pack())
def test_csv_round_trip_is_exact(generated):
    result = load_pack(dump_pack(generated, Format.CSV), Format.CSV)
    assert result.ok, messages(result)
    assert result.pack == generated


def test_csv_cells_never_start_like_a_formula():
    text = dump_pack(SAMPLE, Format.CSV).decode("utf-8-sig")
    assert "'=SUM(A1) -1 @x {{code}}" in text
    assert ",=" not in text


def test_json_export_is_readable_utf8():
    data = dump_pack(SAMPLE, Format.JSON)
    assert "À bientôt 😊".encode() in data
    assert json.loads(data)["version"] == 1


# --- encodings and delimiters -----------------------------------------------------------

ROW = "template,merci,Délai à venir,,,,fr,,,Votre colis arrive à l'heure ; merci !"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # with a BOM, as Excel's "Unicode text" writes it
        ("utf-16-le", "utf-16-le"),  # no BOM
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
        ("latin-1", "cp1252"),  # Latin-1 letters are the same bytes in cp1252
    ],
)
def test_csv_encodings_are_detected(encoding, reported):
    result = load_pack(csv_text(ROW).encode(encoding), filename="pack.csv")
    assert result.ok, messages(result)
    assert result.encoding == reported
    (template,) = result.pack.templates
    assert template.title == "Délai à venir"
    assert template.variants[0].body == "Votre colis arrive à l'heure ; merci !"


def test_cp1252_specific_characters():
    row = "template,euro,Prix en €,,,,fr,,,Ça coûte 5 € – “promo”"
    result = load_pack(csv_text(row).encode("cp1252"))
    assert result.encoding == "cp1252"
    assert result.pack.templates[0].variants[0].body == "Ça coûte 5 € – “promo”"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiter_is_sniffed(sep):
    row = sep.join(["template", "merci", "Merci", "", "a, b", "oui", "fr", "bluesky", "", "Merci, vraiment ; oui"])
    row = row.replace("a, b", '"a, b"').replace("Merci, vraiment ; oui", '"Merci, vraiment ; oui"')
    result = load_pack(csv_text(row, sep=sep))
    assert result.ok, messages(result)
    (t,) = result.pack.templates
    assert t.tags == ("a", "b") and t.favourite
    assert t.variants == (Variant("Merci, vraiment ; oui", "fr", Platform.BLUESKY),)


def test_minimal_french_spreadsheet_without_kind_column():
    text = "Raccourci;Titre;Langue;Texte\nmerci;Merci;fr;Merci {author.first_name|à vous} !\n;;;\n"
    result = load_pack(text.encode("cp1252"))
    assert result.ok, messages(result)
    assert result.pack.templates[0].variants[0].body == "Merci {author.first_name|à vous} !"


def test_format_detection():
    assert detect_format(b"{}") is Format.JSON
    assert detect_format("\ufeff  [".encode()) is Format.JSON
    assert detect_format(b"shortcode,body") is Format.CSV
    assert detect_format(b"{}", "pack.csv") is Format.CSV
    assert detect_format(b"x", "PACK.JSON") is Format.JSON


def test_a_one_megabyte_import_is_fast():
    body = "Bonjour {author.first_name|à vous}, merci pour votre message ! " * 8
    templates = tuple(
        Template(f"t{i}", f"Modèle {i}", (Variant(body, "fr"), Variant(body.upper(), "en", Platform.BLUESKY)))
        for i in range(1000)
    )
    data = dump_pack(Pack(templates), Format.CSV)
    assert len(data) > 1_000_000
    for fmt in Format:
        data = dump_pack(Pack(templates), fmt)
        started = time.perf_counter()
        result = load_pack(data, fmt)
        elapsed = time.perf_counter() - started
        assert result.ok and len(result.pack.templates) == 1000
        assert elapsed < 3.0, f"{fmt}: {elapsed:.2f}s"


# --- errors, each with its location ---------------------------------------------------


def test_csv_errors_name_their_line():
    text = csv_text(
        "template,merci,Merci,,,,fr,,,Merci {author.first_name",  # line 2: unclosed brace
        "template,merci,Autre titre,,,,en,,,Thanks",  # line 3: title differs from line 2
        "template,merci,,,,,fr,,,Encore",  # line 4: second fr/any-platform text
        "template,ok,OK,,,,fr,myspace,,Hi",  # line 5: unknown platform
        "template,,,,,,,,,orphan",  # line 6: no shortcode
        "template,fav,Fav,,,peut-être,,,,x",  # line 7: favourite neither yes nor no
        "weird,x,,,,,,,,",  # line 8: unknown kind
    )
    result = load_pack(text)
    assert result.pack is None
    found = messages(result)
    assert any(m.startswith("line 2") and "'{' is not closed" in m and "text line 1, column 7" in m for m in found)
    assert any(m.startswith("line 3") and "'Autre titre' here but 'Merci' on line 2" in m for m in found)
    assert any(m.startswith("line 4") and "a second text for fr / any platform" in m for m in found)
    assert any(m.startswith("line 5") and "unknown platform 'myspace'" in m for m in found)
    assert any(m.startswith("line 6") and "shortcode is empty" in m for m in found)
    assert any(m.startswith("line 7") and "peut-être" in m for m in found)
    assert any(m.startswith("line 8") and "unknown kind" in m for m in found)


def test_csv_multiline_cells_keep_line_numbers_right():
    text = csv_text('template,a,A,,,,fr,,,"one\ntwo\nthree"', "template,b,,,,,fr,,,x")
    assert messages(load_pack(text)) == ["line 5 (/b): the title is empty"]


def test_csv_unbalanced_quote():
    result = load_pack(csv_text('template,a,A,,,,fr,,,"never closed', "template,b,B,,,,fr,,,x"))
    assert result.pack is None
    assert messages(result)[0].startswith("line 2") and "quotes" in messages(result)[0]


def test_csv_without_header():
    result = load_pack("merci,Merci,fr,hello\n", Format.CSV)
    assert result.pack is None and "no header" in messages(result)[0]


def test_csv_extra_cells_and_unknown_columns():
    text = "shortcode,title,body,notes\nmerci,Merci,Merci !,internal note\nx,X,y,z,extra\n"
    result = load_pack(text)
    assert [str(w) for w in result.warnings] == ["line 1: the column 'notes' is not a template column and is ignored"]
    assert messages(result) == ["line 3: 5 cells but the header names 4 columns"]


def test_csv_accent_only_difference_is_a_clash():
    result = load_pack(csv_text("template,delai,A,,,,fr,,,x", "template,délai,B,,,,en,,,y"))
    assert "differ only by accents" in messages(result)[0]


def test_json_errors_name_their_record():
    data = {
        "templates": [
            {"shortcode": "merci", "title": "Merci", "variants": [{"lang": "fr", "body": "ok"}]},
            {"shortcode": "/Merci", "title": "Encore", "variants": [{"lang": "fr", "body": "x"}]},
            {"shortcode": "a b", "title": "", "variants": []},
            {"shortcode": "c", "title": "C", "variants": [{"body": "x"}, {"body": "x", "platform": "tiktok"}]},
            {"shortcode": "d", "title": "D", "varaints": []},
            {"shortcode": "e", "title": "E", "tags": "x", "favourite": "yes", "variants": [{"body": 3}]},
            {"shortcode": "f", "title": "F", "variants": [{"lang": "fr"}, {"lang": "en", "body": "a\n }"}]},
        ]
    }
    found = messages(load_pack(json.dumps(data)))
    assert "template 2 (/merci): /merci is already used by template 1 (/merci)" in found
    assert any(m.startswith("template 3 (/a b): the shortcode /a b may only hold") for m in found)
    assert "template 3 (/a b): the title is empty" in found
    assert "template 3 (/a b): the template has no text" in found
    assert any(m.startswith("template 4 (/c), variant 2: unknown platform 'tiktok'") for m in found)
    assert "template 7 (/f), variant 1: 'body' is missing" in found
    assert any(m.startswith("template 5 (/d): unknown key 'varaints'") for m in found)
    assert "template 5 (/d): 'variants' is missing: a template needs at least one text" in found
    assert "template 6 (/e): 'tags' must be a list of strings" in found
    assert "template 6 (/e): 'favourite' must be true or false" in found
    assert "template 6 (/e), variant 1: 'body' must be a string" in found
    # a template with a malformed shape is not checked further: no noise about its content
    assert not any(m.startswith("template 4 (/c), variant 1") for m in found)


def test_json_body_errors_name_variant_and_text_position():
    data = {
        "templates": [{"shortcode": "f", "title": "F", "variants": [{"body": "x"}, {"lang": "en", "body": "a\n }"}]}]
    }
    assert messages(load_pack(json.dumps(data))) == [
        "template 1 (/f), variant 2 (en / any platform): '}' closes nothing (write '}}' for a literal brace)"
        " (text line 2, column 2)"
    ]


def test_json_syntax_error_has_line_and_column():
    assert messages(load_pack('{\n  "templates": [,]\n}')) == ["line 2, column 17: not valid JSON: Expecting value"]


def test_json_from_a_newer_version_or_another_format_is_refused():
    assert "version 2 is not supported" in messages(load_pack('{"version": 2, "templates": []}'))[0]
    assert "not a CMDesk template pack" in messages(load_pack('{"format": "other"}'))[0]
    assert "expected an object" in messages(load_pack("3", Format.JSON))[0]


def test_json_bare_list_of_templates():
    data = '[{"shortcode": "a", "title": "A", "variants": [{"body": "x"}]}]'
    assert load_pack(data).pack.templates[0].shortcode == "a"


def test_fields_and_categories_are_checked():
    data = {
        "fields": [{"name": "brand"}, {"name": "shop hours"}, {"name": "x"}, {"name": "x"}],
        "categories": [{"name": "A"}, {"name": "A"}, {"name": "B//C"}, {"name": ""}],
    }
    found = messages(load_pack(json.dumps(data)))
    assert "field 1 ({brand}): {brand} is a built-in variable and cannot be redefined" in found
    assert any(m.startswith("field 2 ({shop hours}): 'shop hours' is not a variable name") for m in found)
    assert "field 4 ({x}): the custom field {x} is declared twice" in found
    assert "category 2 (A): the category 'A' is already described at category 1 (A)" in found
    assert any(m.startswith("category 3 (B//C): the category 'B//C' has an empty") for m in found)
    assert "category 4 (): the category has no name" in found


def test_one_bad_template_means_nothing_is_imported():
    good = {"shortcode": "a", "title": "A", "variants": [{"body": "x"}]}
    bad = {"shortcode": "b", "title": "B", "variants": [{"body": "{"}]}
    result = load_pack(json.dumps({"templates": [good, bad]}))
    assert result.pack is None and len(result.errors) == 1


def test_clash_with_existing_shortcodes():
    data = dump_pack(SAMPLE, Format.JSON)
    result = load_pack(data, existing_shortcodes=["Merci", "delai", "autre"])
    assert result.pack is None
    assert messages(result) == [
        "template 1 (/merci): /Merci already exists in the library (import with replace to overwrite it, or rename"
        " the shortcode)",
        "template 2 (/délai): /delai already exists in the library (import with replace to overwrite it, or rename"
        " the shortcode)",
    ]
    replacing = load_pack(data, existing_shortcodes=["merci"], replace=True)
    assert replacing.ok and replacing.replaces == ("merci",)


def test_undeclared_variables_are_warnings_not_errors():
    data = {"templates": [{"shortcode": "a", "title": "A", "variants": [{"body": "{shop.phone} {shop.hours}"}]}],
            "fields": [{"name": "shop.hours"}]}  # fmt: skip
    result = load_pack(json.dumps(data))
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "template 1 (/a), variant 1 (any language / any platform): unknown variable {shop.phone}: declare it as a"
        " custom field (text line 1, column 1)"
    ]
    assert load_pack(json.dumps(data), known_variables=["shop.phone"]).warnings == ()


def test_errors_are_capped():
    rows = [f"template,t{i},,,,,,,,x" for i in range(300)]
    result = load_pack(csv_text(*rows))
    assert len(result.errors) == 201 and "100 more problems" in str(result.errors[-1])


def test_bad_bytes_and_size():
    assert "UTF-16" in messages(load_pack(b"\xff\xfea\x00b"))[0]
    assert "larger than 16 MB" in messages(load_pack(b" " * (16 * 1024 * 1024 + 1)))[0]


def test_control_characters_and_carriage_returns():
    result = load_pack(csv_text("template,a,A,,,,,,,bip\x07", 'template,b,B,,,,,,,"one\r\ntwo"'))
    assert messages(result) == [
        "line 2 (/a, any language / any platform): the text contains the control character U+0007"
    ]
    # (CRLF inside a cell became a plain newline on line 3)


def test_excel_sep_line_names_the_delimiter_and_keeps_line_numbers():
    result = load_pack("sep=;\r\nshortcode;title;body\r\nmerci;Merci;Merci, vraiment\r\nb;;y\r\n")
    assert messages(result) == ["line 4 (/b): the title is empty"]
    assert load_pack("sep=;\nshortcode;title;body\nmerci;Merci;Merci, vraiment\n").pack.templates[0].title == "Merci"


def test_json_in_utf16_is_read_too():
    data = dump_pack(SAMPLE, Format.JSON).decode("utf-8").encode("utf-16")
    result = load_pack(data)
    assert result.format is Format.JSON and result.pack == SAMPLE


@pytest.mark.parametrize("start", ["=1+1", "+33 1 23", "-5 %", "@ana merci", "\tindent", "'=x", "''", "'", "'ok"])
def test_formula_protection_round_trips(start):
    t = Template("f", start.strip() or "t", (Variant(start + " fin"),), tags=(start.strip(),))
    pack_ = Pack((t,), (Category(start.strip() or "c", start),))
    assert load_pack(dump_pack(pack_, Format.CSV)).pack == pack_
