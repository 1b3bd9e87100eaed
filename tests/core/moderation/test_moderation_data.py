"""The shipped lexicons load, their regexes compile, and their sources are documented."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

from cmdesk.core.moderation.lexicon import lexicons

DATA = resources.files("cmdesk.core.moderation.data")
DOC = Path(__file__).resolve().parents[3] / "cmdesk" / "core" / "moderation" / "LEXICONS.md"


def test_every_language_compiles():
    for lang in ("fr", "en", "de", "und"):
        lex = lexicons(lang)
        assert len(lex.abuse) > 50 and len(lex.valence) > 100 and lex.threats


def test_only_marks_keep_words_in_their_language():
    english_in_french = {t.text for t in lexicons("fr").abuse.terms}
    assert "retard" not in english_in_french
    assert "retard" in {t.text for t in lexicons("en").abuse.terms}


def test_every_data_file_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    files = [f"{d.name}/{f.name}" for d in DATA.iterdir() if d.is_dir() for f in d.iterdir() if f.name.endswith(".txt")]
    assert files
    for name in files:
        assert name in doc, name


def test_core_imports_no_qt_sql_or_http():
    code = (
        "import sys, cmdesk.core.moderation as m; m.classify('x'); "
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'sqlalchemy', 'requests')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
