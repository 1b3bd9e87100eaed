"""User regexes cannot hang the app: refused shapes, time-outs, literal pre-filters."""

from __future__ import annotations

import time

import pytest

from cmdesk.core.moderation.regexes import DIGITS, MAX_TIMEOUTS, RegexError, SafeRegex, check_pattern, required_literals


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a+)+$", "nested quantifier"),
        (r"(\w+\s?)+$", "nested quantifier"),
        (r"(x*)*y", "nested quantifier"),
        (r"a*", "empty text"),
        (r"", "empty"),
        (r"(", "invalid"),
        ("a" * 2000, "too long"),
    ],
)
def test_bad_patterns_are_refused_with_a_clear_message(pattern, message):
    with pytest.raises(RegexError, match=message):
        check_pattern(pattern)


def test_a_slow_pattern_times_out_and_is_switched_off():
    rx = SafeRegex(r"(a|aa)+$")  # passes the static check, but backtracks exponentially
    text = "a" * 60 + "b"
    started = time.perf_counter()
    for _ in range(MAX_TIMEOUTS + 2):
        assert rx.search(text) is None
    assert time.perf_counter() - started < 2
    assert rx.disabled


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"bit\.ly/\w+", {"bit.ly/"}),
        (r"free\s+money|argent\s+facile", {"money", "argent"}),
        (r"CRYPTO\w*", {"crypto"}),
        (r"[\w.+-]+@[\w-]+\.\w+", {"@"}),
        (r"\d{3}[-. ]\d{4}", set(DIGITS)),
        (r"[a-z]+ing\b", {"ing"}),
        (r"(?:x|\w+)y", None),
    ],
)
def test_required_literals(pattern, literals):
    found = required_literals(pattern)
    assert (set(found) if found is not None else None) == literals


def test_regex_only_syntax_skips_the_prefilter():
    assert required_literals(r"\p{L}+scam") is None
    assert SafeRegex(r"\p{Lu}{5,}").search("HELLO there")
