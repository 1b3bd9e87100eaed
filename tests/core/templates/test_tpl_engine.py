"""The template language: syntax, the three kinds of problem, and properties over any input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cmdesk.core.templates import (
    BUILTIN_VARIABLES,
    PieceState,
    ProblemKind,
    RenderContext,
    check,
    parse,
    variables_in,
)
from cmdesk.core.templates.engine import Placeholder, render
from tests.core.templates.tpl_strategies import BRACE_FREE, body

VALUES = {"author.first_name": "Ana", "brand": "Fleurs & Co", "author.name": "Ana Lima"}
CTX = RenderContext(VALUES)


def test_plain_text_is_returned_as_is():
    assert CTX.render("Merci !").text == "Merci !"


def test_variables_and_defaults():
    r = CTX.render("Bonjour {author.first_name}, l'équipe {brand} — {agent.name|Léa}")
    assert r.ok
    assert r.text == "Bonjour Ana, l'équipe Fleurs & Co — Léa"


def test_spaces_inside_placeholders_are_ignored():
    assert CTX.render("{ author.first_name | toi }").text == "Ana"
    assert CTX.render("{ agent.name | vous }").text == "vous"


def test_escaped_braces_are_literal():
    r = CTX.render("Code : {{PROMO}} pour {author.first_name} }}{{")
    assert r.text == "Code : {PROMO} pour Ana }{"


def test_empty_default_is_allowed():
    assert CTX.render("A{agent.name|}B").text == "AB"


def test_unclosed_brace_is_a_syntax_error_with_location():
    r = CTX.render("Bonjour,\nvoici {author.first_name")
    assert not r.ok and r.text == ""
    (problem,) = r.syntax_errors
    assert problem.kind is ProblemKind.SYNTAX
    assert (problem.line, problem.column) == (2, 7)
    assert "{{" in problem.message  # tells how to write a literal brace


def test_lone_closing_brace_is_a_syntax_error():
    (problem,) = CTX.render("a } b").syntax_errors
    assert (problem.line, problem.column) == (1, 3)
    assert "}}" in problem.message


def test_placeholder_cannot_span_lines():
    r = CTX.render("{author.\nname}")
    assert len(r.syntax_errors) == 2


def test_empty_and_malformed_placeholders():
    assert CTX.render("{}").syntax_errors
    assert CTX.render("{ | x}").syntax_errors
    bad = CTX.render("{author name}").syntax_errors
    assert bad and "not a variable name" in bad[0].message
    assert CTX.render("{1st}").syntax_errors


def test_all_syntax_errors_are_reported_not_just_the_first():
    r = CTX.render("} {x.} {")
    assert [p.column for p in r.syntax_errors] == [1, 3, 8]


def test_unknown_variable_is_separate_from_missing_and_suggests():
    r = CTX.render("Hi {autor.first_name}, {agent.name}")
    assert [p.variable for p in r.unknown] == ["autor.first_name"]
    assert r.unknown[0].suggestion == "author.first_name"
    assert "did you mean {author.first_name}" in str(r.unknown[0])
    assert r.missing == ("agent.name",)
    assert r.errors == r.unknown  # missing values are not template errors
    assert r.text == ""


def test_unknown_variable_with_default_is_still_unknown():
    assert CTX.render("{shop.phone|01 23}").unknown


def test_missing_values_then_fill_in_and_render_again():
    source = "Hi {author.handle}, {agent.name} here. {agent.name}"
    first = CTX.render(source)
    assert first.missing == ("author.handle", "agent.name")  # once each, in order of first use
    assert first.preview == source.replace("{{", "{")
    filled = CTX.with_values({"author.handle": "@ana", "agent.name": "Léo"}).render(source)
    assert filled.ok and filled.text == "Hi @ana, Léo here. Léo"


def test_blank_value_counts_as_missing_and_default_applies():
    ctx = RenderContext({"author.first_name": "  "})
    assert ctx.render("Hi {author.first_name}").missing == ("author.first_name",)
    assert ctx.render("Hi {author.first_name|there}").text == "Hi there"


def test_values_are_never_parsed_again():
    ctx = RenderContext({"author.name": "{brand} }}{{ {", "brand": "X"})
    r = ctx.render("Merci {author.name}")
    assert r.ok and r.text == "Merci {brand} }}{{ {"


def test_markup_is_plain_text():
    source = "<b>Merci</b> **{author.first_name}** &amp; [lien](https://x.org) <script>x</script>"
    assert CTX.render(source).text == "<b>Merci</b> **Ana** &amp; [lien](https://x.org) <script>x</script>"


def test_pieces_let_the_gui_colour_the_preview():
    r = CTX.render("{author.first_name} {agent.name|vous} {agent.name} {nope} }")
    states = [(p.state, p.variable) for p in r.pieces if p.variable or p.state is PieceState.INVALID]
    assert states == [
        (PieceState.VALUE, "author.first_name"),
        (PieceState.DEFAULT, "agent.name"),
        (PieceState.MISSING, "agent.name"),
        (PieceState.UNKNOWN, "nope"),
        (PieceState.INVALID, ""),
    ]


def test_check_for_the_editor_and_variables_in():
    problems = check("{brand} {shop.hours} }", BUILTIN_VARIABLES)
    assert [p.kind for p in problems] == [ProblemKind.UNKNOWN, ProblemKind.SYNTAX]
    assert check("{shop.hours}", [*BUILTIN_VARIABLES, "shop.hours"]) == ()
    assert variables_in("{b} {a|x} {b} {{c}}") == ("b", "a")


def test_custom_fields_are_known_even_without_value():
    from cmdesk.core.templates import CustomField

    ctx = RenderContext({}, (CustomField("shop.hours", "", "Horaires"),))
    r = ctx.render("{shop.hours}")
    assert not r.unknown and r.missing == ("shop.hours",)
    assert ctx.label("shop.hours") == "Horaires" and ctx.label("brand") == "brand"


# --- properties -------------------------------------------------------------------------

ALL_KNOWN = {name: "v" for name in BUILTIN_VARIABLES}
NAMES = st.sampled_from([*BUILTIN_VARIABLES, "nope", "author", "x.y"])
# Mostly braces, bars, dots and variable names: the input most likely to confuse a parser.
braces_soup = st.lists(st.one_of(st.sampled_from(list("{}|. \n")), NAMES, BRACE_FREE), max_size=25).map("".join)


@given(braces_soup, st.dictionaries(st.sampled_from(BUILTIN_VARIABLES), st.text(BRACE_FREE, max_size=5)))
def test_any_text_renders_fully_or_reports_problems(source, values):
    r = RenderContext(values).render(source)
    if r.ok:
        # Every brace in the reply comes from a "{{" or "}}" escape, none from a placeholder.
        assert r.text.count("{") == source.count("{{")
        assert r.text.count("}") == source.count("}}")
    else:
        assert r.text == ""
        assert r.syntax_errors or r.unknown or r.missing


@given(braces_soup)
def test_problem_locations_point_into_the_source(source):
    lines = source.split("\n")
    for problem in CTX.render(source).errors:
        assert 1 <= problem.line <= len(lines)
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1


@given(body())
def test_well_formed_bodies_render_to_the_expected_text(source):
    parsed = parse(source)
    assert parsed.errors == ()
    expected = "".join(s if isinstance(s, str) else ALL_KNOWN.get(s.name, f"<{s.name}>") for s in parsed.segments)
    assert all(isinstance(s, str | Placeholder) for s in parsed.segments)
    known = {p.name for p in parsed.placeholders} | set(BUILTIN_VARIABLES)
    values = {name: ALL_KNOWN.get(name, f"<{name}>") for name in known}
    r = render(source, known, values.get)
    assert r.ok and r.text == expected
    assert r.text.count("{") == source.count("{{") and r.text.count("}") == source.count("}}")


@given(st.text(BRACE_FREE, min_size=1, max_size=20))
def test_values_with_braces_come_out_verbatim(value):
    r = RenderContext({"author.name": "{" + value + "}"}).render("«{author.name}»")
    assert r.ok and r.text == "«{" + value + "}»"
