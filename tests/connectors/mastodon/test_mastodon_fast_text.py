"""The fast paths of Mastodon parsing give exactly what the reference paths give.

``content_text`` (a regex split over the tags Mastodon's sanitiser leaves) against
``html_to_text`` (html.parser), and ``clean_text`` / ``clean_name`` (regex deletion) against the
``str.translate`` tables they replaced: documentation examples, real-world shapes, hostile
markup, and generated markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdesk.connectors import mastodon_parse
from cmdesk.connectors.mastodon_parse import Me, content_text, items_from_notifications, status_item
from cmdesk.core import text as core_text
from cmdesk.core.text import clean_name, clean_text, html_to_text

FIXTURES = Path(__file__).parent / "fixtures"
ME = Me(account_id="14715", acct="trwnh", domain="mastodon.social")

MENTION = (
    '<span class="h-card" translate="no"><a href="https://mastodon.social/@trwnh" class="u-url mention">'
    "@<span>trwnh</span></a></span>"
)
LONG_LINK = (
    '<a href="https://www.example.com/a/very/long/path?x=1&amp;y=2" rel="nofollow noopener noreferrer" '
    'translate="no" target="_blank"><span class="invisible">https://www.</span>'
    '<span class="ellipsis">example.com/a/very/lo</span><span class="invisible">ng/path?x=1&amp;y=2</span></a>'
)
HASHTAG = '<a href="https://mastodon.social/tags/cmdesk" class="mention hashtag" rel="tag">#<span>cmdesk</span></a>'

# Shapes Mastodon writes, then everything it does not (each must give html_to_text's text).
CASES = [
    "",
    "plain text, no markup",
    "&amp; only an entity",
    "<p></p>",
    "<p>one</p>",
    f"<p>{MENTION} Caf&eacute; &amp; bar &lt;3 &#x1F600; :blobcat:</p><p>second&nbsp;paragraph<br>line two</p>",
    f"<p>{MENTION} {HASHTAG} look: {LONG_LINK}</p>",
    "<p>a<br />b<br/>c<br>d</p><p></p><p>e</p>",
    "<p>&amp;#39; &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39; &apos;</p>",
    "<p>&amp &lt &gt &copy &notanentity; &#; &#x; &#xZZ; &#0; &#1; &#128; &#xD800; &#x110000; &#65</p>",
    "<p>trailing entity &amp</p>",
    "<p>trailing entity &am</p>x&",
    "&am<span></span>p; split by a tag",
    "<p>zero\u200bwidth\u2060joiner\u200d\ufeff and RTL \u202eevil\u202c \u2067isolate\u2069 \u061c</p>",
    "<p>controls \x00\x01\x07\x1b\x7f\x85\x9f tab\tline\nfeed\r\ncr\rend</p>",
    "<p>\xa0\xa0spaces\xa0</p><p>\n\n\n\nmany\n\n\n\nnewlines</p>",
    "<p>line\n</p><p>\nafter</p><br><br><br><p>x</p>",
    "<ul><li>one</li><li>two</li></ul><ol><li>three</li></ol>",
    "<blockquote><p>quoted</p></blockquote><pre><code>code\n  indented</code></pre>",
    "<p><b>bold</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <s>s</s> <del>del</del></p>",
    "<p>H<sub>2</sub>O x<sup>2</sup> <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>",
    '<P CLASS="x">Upper<BR>case</P><Span>mixed</sPaN>',
    "<p/>self closing<li/>item<span/>span",
    "<p>unclosed <span>span <a href='x'>link",
    "</p></span></a>only end tags",
    '<p class="a" >spaced</p ><br\n/><p\tclass="b"\n>tabs</p\n>',
    '<a href="x>y" title=\'a "quoted" >\'>quoted brackets</a>',
    "<a href=\"x\" data-x:y.z_w='1'>attribute names</a>",
    # Outside the subset: html_to_text decides.
    "<p>a < b and c > d</p>",
    "<p>1 <3 you</p>",
    "<p>dangling <</p>",
    "<p>end <",
    "<p>end </",
    "<p>end <p",
    '<p>end <a href="',
    "<p>comment <!-- hidden --> shown</p>",
    "<p>cdata <![CDATA[x<y]]> done</p>",
    "<!DOCTYPE html><p>doctype</p>",
    "<?xml version='1.0'?><p>pi</p>",
    "<p>bogus </ p> and </> and </3></p>",
    "<script>alert(1)</script><style>p{}</style><p>after</p>",
    "<p>x</p><script>unterminated",
    "<template><p>t</p></template><title>T</title><head>h</head>body",
    "<textarea><p>raw?</p></textarea><xmp><b>x</b></xmp><plaintext><p>rest",
    "<noscript><p>n</p></noscript><iframe>i</iframe>",
    "<div>div</div><h1>h</h1><table><tr><td>cell</td></tr></table>",
    'hi <img class="emoji" alt=":blob:" title=":blob:" src="https://x/blob.png"> there<script>alert(1)</script>',
    "<img alt='&amp;'><img alt=\"\"><img>",
    "<p>line</br>break</p>",
    "<br></br>",
    "<a href=x>unquoted</a>",
    '<a href = "x">spaces around equals</a>',
    "<a href>no value</a><input disabled>",
    '<a href="x"class="y">no space between attributes</a>',
    '<p class="a"/ >slash space</p>',
    "<p\vclass='v'>vertical tab</p>",
    "<p-x>dashed name</p-x><my:tag>ns</my:tag>",
    "<a\u3000href='x'>ideographic space</a>",
    "<p>the </span}</p> typo of the docs",
    "<span>" * 200 + "deep" + "</span>" * 200,
    "<p>" + "&lt;" * 50 + "</p>",
    "<p>" + "x" * 40 + "&" + "y" * 40 + "</p>",
    "<p>a&b=c&amp;d</p>",
]


def _contents(value: object):
    """Every ``content`` string in a fixture, however deep."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "content" and isinstance(inner, str):
                yield inner
            else:
                yield from _contents(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _contents(inner)


FIXTURE_CONTENTS = [c for path in sorted(FIXTURES.glob("*.json")) for c in _contents(json.loads(path.read_text()))]


@pytest.mark.parametrize("markup", CASES + FIXTURE_CONTENTS)
def test_same_text_as_html_parser(markup):
    assert content_text(markup) == html_to_text(markup)


def test_the_fast_path_takes_what_mastodon_writes():
    """Not a vacuous pass: Mastodon's own shapes do not fall back to html.parser."""
    for markup in CASES[3:28]:
        assert mastodon_parse._sanitised_text(markup) is not None, markup
    assert FIXTURE_CONTENTS
    typo = "</span}"  # the documentation's example has a typo: html.parser reads that one
    assert all(
        mastodon_parse._sanitised_text(c) is not None for c in FIXTURE_CONTENTS if typo not in c and "<img" not in c
    )


def test_outside_the_subset_falls_back():
    for markup in ("<p>a < b</p>", "<!-- c -->", "<script>x</script>", "<img alt='a'>", "</br>", "<a href=x>y</a>"):
        assert mastodon_parse._sanitised_text(markup) is None, markup


def test_the_roles_match_the_reference_extractor():
    extractor = core_text._TextExtractor
    roles = mastodon_parse._TAG_ROLES
    blocks = {name for name, role in roles.items() if role == mastodon_parse._BLOCK}
    assert blocks <= extractor._BLOCK
    plain = {name for name, role in roles.items() if role == mastodon_parse._PLAIN}
    assert not plain & (extractor._BLOCK | extractor._DROP | {"br", "img"})


def test_large_content():
    paragraph = f"<p>{MENTION} {HASHTAG} {LONG_LINK} caf&eacute; &amp; \u200bzw<br>next line</p>"
    markup = paragraph * (100_000 // len(paragraph) + 1)
    assert len(markup) > 100_000
    assert mastodon_parse._sanitised_text(markup) is not None
    assert content_text(markup) == html_to_text(markup)
    hostile = '<a x="' * 3000 + "<p>" * 3000 + "&" * 3000
    assert content_text(hostile) == html_to_text(hostile)


# Generated markup: pieces of the subset mixed with pieces outside it.
FRAGMENTS = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<br />",
    "</br>",
    "<p/>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<blockquote>",
    "</blockquote>",
    "<pre>",
    "</pre>",
    '<span class="invisible">',
    '<span class="ellipsis">',
    '<span class="h-card">',
    "<span>",
    "</span>",
    '<a href="https://x.example/@a" class="u-url mention">',
    "<a href='y'>",
    "</a>",
    "<b>",
    "</B>",
    "<P>",
    "<div>",
    "</div>",
    "<img alt='x'>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    "</",
    "/>",
    "=",
    '"',
    "'",
    "&",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#39;",
    "&#x1F600;",
    "&nbsp;",
    "&eacute",
    "&#",
    "&#1;",
    "#",
    ";",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\xa0",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2067",
    "\x00",
    "\x85",
    "word",
    "é",
    "@",
    ":blob:",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40).map("".join))
def test_generated_markup(markup):
    assert content_text(markup) == html_to_text(markup)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS[:26] + FRAGMENTS[44:53] + ["word", " ", "\n"]), max_size=40).map("".join))
def test_generated_subset_markup(markup):
    assert content_text(markup) == html_to_text(markup)


# ---- clean_text / clean_name against the str.translate tables they replaced

_TEXT_TABLE = dict.fromkeys(map(ord, core_text._TEXT_STRIP))
_NAME_TABLE = dict.fromkeys(map(ord, core_text._NAME_STRIP))


def _reference_clean_text(text: str) -> str:
    text = text.translate(_TEXT_TABLE).replace("\r\n", "\n").replace("\r", "\n")
    return core_text._CONTROLS_BUT_LAYOUT.sub("", text)


def _reference_clean_name(name: str) -> str:
    name = " ".join(core_text._CONTROLS.sub(" ", name.translate(_NAME_TABLE)).split())
    return name[: core_text.MAX_NAME_CHARS - 1] + "…" if len(name) > core_text.MAX_NAME_CHARS else name


SPECIAL = core_text._NAME_STRIP + "\r\n\t\x00\x1f\x7f\x9f\xa0 a"


@settings(max_examples=1000)
@given(st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters())))
def test_clean_text_and_name_match_the_tables(text):
    assert clean_text(text) == _reference_clean_text(text)
    assert clean_name(text) == _reference_clean_name(text)


def test_clean_text_carriage_returns_next_to_stripped_characters():
    for text in ("a\r\u200b\nb", "\r\r\n", "x\u202e\r\u202c\ny", "\r"):
        assert clean_text(text) == _reference_clean_text(text)


# ---- whole items


def test_items_are_the_same_as_with_the_reference_text(monkeypatch):
    page = json.loads((FIXTURES / "notifications_page.json").read_text())
    statuses = list(json.loads((FIXTURES / "realworld_statuses.json").read_text()).values())
    statuses.append(json.loads((FIXTURES / "status.json").read_text()))
    fast = [items_from_notifications(page, ME)[0].items] + [_item_or_error(s) for s in statuses]
    monkeypatch.setattr(mastodon_parse, "content_text", html_to_text)
    reference = [items_from_notifications(page, ME)[0].items] + [_item_or_error(s) for s in statuses]
    assert fast == reference


def _item_or_error(status):
    try:
        return status_item(status, ME)
    except mastodon_parse.Malformed as exc:
        return str(exc)


# ---- authors kept between statuses

ODD_ACCOUNTS = [
    {"id": "1", "acct": "a", "display_name": "A"},
    {"id": 1, "acct": "a", "display_name": "A"},  # equal to "1"? no; but to 1.0 and True as a key
    {"id": 1.0, "acct": "a", "display_name": "A"},
    {"id": True, "acct": "a", "display_name": "A"},
    {"id": "2", "acct": "b", "display_name": 1},
    {"id": "2", "acct": "b", "display_name": True},
    {"id": "2", "acct": "b", "display_name": ["list"]},
    {"id": "2", "acct": "b", "display_name": {"x": 1}, "url": None},
    {"id": "3", "username": "c", "display_name": "\u202eC\u200b", "avatar": "https://x/a.png"},
    {"id": "3", "username": "c", "display_name": "\u202eC\u200b", "avatar_static": "https://x/s.png"},
    {"acct": "no-id"},
]


@pytest.mark.parametrize("domain", ["", "mastodon.social"])
def test_kept_authors_are_the_authors_parsed_anew(domain):
    for _ in range(2):  # the second time from what was kept
        for account in ODD_ACCOUNTS:
            assert _author_or_error(mastodon_parse.parse_author, account, domain) == _author_or_error(
                mastodon_parse._new_author, account, domain
            ), account


def test_kept_authors_are_bounded(monkeypatch):
    monkeypatch.setattr(mastodon_parse, "_AUTHORS", {})
    for n in range(mastodon_parse._AUTHORS_KEPT + 10):
        mastodon_parse.parse_author({"id": str(n), "acct": f"u{n}"}, "x")
    assert len(mastodon_parse._AUTHORS) <= mastodon_parse._AUTHORS_KEPT


def _author_or_error(parse, account, domain):
    try:
        return parse(account, domain)
    except mastodon_parse.Malformed as exc:
        return str(exc)
