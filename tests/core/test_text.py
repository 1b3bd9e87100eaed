from hypothesis import given
from hypothesis import strategies as st

from cmdesk.core.text import FSI, PDI, clean_name, clean_text, display_author, excerpt, fold, html_to_text


def test_mastodon_html_becomes_plain_text():
    html = (
        '<p>Bonjour <span class="h-card"><a href="https://piaille.fr/@brioche" class="u-url mention">'
        "@<span>brioche</span></a></span> &amp; merci&nbsp;!</p><p>Deuxième<br>ligne</p>"
    )
    assert html_to_text(html) == "Bonjour @brioche & merci !\n\nDeuxième\nligne"


def test_scripts_styles_and_images_never_survive():
    html = "<script>alert(1)</script><style>p{}</style><img src='https://x/y.gif' alt='a cat'>hello"
    text = html_to_text(html)
    assert "alert" not in text and "p{}" not in text
    assert text == "a cathello"


def test_html_entities_and_plain_text_passthrough():
    assert html_to_text("5 &lt; 6 &gt; 4") == "5 < 6 > 4"
    assert html_to_text("no markup at all") == "no markup at all"


def test_names_lose_bidi_overrides_and_invisible_characters():
    assert clean_name("\u202eecivreS tneilC") == "ecivreS tneilC"
    assert clean_name("Maison\u200b Brioche\u200b Support") == "Maison Brioche Support"
    assert clean_name("a\u2066b\u2069c\nd") == "abc d"
    assert len(clean_name("x" * 500)) == 80


def test_display_author_isolates_each_part_and_shows_the_handle():
    shown = display_author("سلمى", "salma")
    assert shown == f"{FSI}سلمى{PDI} ({FSI}salma{PDI})"
    assert display_author("", "") == f"{FSI}?{PDI}"


def test_text_keeps_emoji_joiners_but_drops_overrides():
    family = "👨\u200d👩\u200d👧"
    assert clean_text(f"{family}\u202e!") == f"{family}!"
    assert clean_text("a\x00b\r\nc") == "ab\nc"


def test_excerpt_is_one_line():
    assert excerpt("a\n\nb   c", 10) == "a b c"
    assert excerpt("x" * 50, 10) == "x" * 9 + "…"


def test_fold_removes_accents_and_case():
    assert fold("Réponse DÉÇUE") == "reponse decue"


@given(st.text())
def test_cleaning_never_fails_and_is_idempotent(text):
    once = clean_name(text)
    assert clean_name(once) == once
    assert "\u202e" not in clean_text(text)
    html_to_text(text)


def test_long_hostile_names_are_cleaned_but_never_kept_in_the_name_cache():
    from cmdesk.core import text

    text._clean_short_name.cache_clear()
    hostile = "\u202eSupport\u200b Team " * 20_000  # 340 KB
    assert clean_name(hostile) == clean_name(hostile) == ("Support Team " * 7)[:79] + "…"
    assert text._clean_short_name.cache_info().currsize == 0
    assert clean_name("Zo\u200bé\u202e") == clean_name("Zo\u200bé\u202e") == "Zoé"
    assert text._clean_short_name.cache_info().hits == 1
