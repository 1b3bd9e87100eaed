"""classify, rules and audit on the command line: streamed JSON lines, line-numbered errors, all-or-nothing imports."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from cmdesk.connectors.base import Verb
from cmdesk.core.models import Platform
from cmdesk.services.outbox import Outbox
from cmdesk.services.workspace import open_workspace
from cmdesk.store import rules as rule_store
from tests.conftest import make_item


def cmdesk(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "cmdesk", *args], capture_output=True, text=True, input=stdin)


def test_classify_streams_one_line_per_input_even_bad_ones():
    lines = "\n".join(
        [
            json.dumps({"text": "Merci pour l'accueil, c'était parfait !"}),
            "{not json",
            json.dumps({"text": "Bande d'escrocs, vous volez les gens", "lang": "fr"}),
            json.dumps({"text": "FREE $500 gift card!!! Claim here https://bit.ly/x"}),
        ]
    )
    result = cmdesk("classify", stdin=lines + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4
    assert rows[0]["language"] == "fr" and rows[0]["toxicity_label"] != "toxic"
    assert "error" in rows[1]
    assert rows[2]["toxicity_label"] == "toxic"
    assert rows[3]["spam_label"] == "spam"


RULES = """version: 1
rules:
- name: Rude
  reason: Rude words
  when:
    keywords: [escrocs, connard]
  then:
  - queue
"""


def test_rules_test_says_which_rule_and_why(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(RULES)
    items = "\n".join(json.dumps({"id": n, "text": t}) for n, t in enumerate(["Bande d'ESCROCS", "Merci !", "c0nn4rd"]))
    result = cmdesk("rules", "test", str(rules_file), stdin=items)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 3
    assert "Rude" in lines[0] and "no rule matched" in lines[1] and "Rude" in lines[2]


def test_rules_import_is_all_or_nothing_with_line_numbers(tmp_path):
    root = tmp_path / "profile"
    with open_workspace(root) as ws:
        rule_store.replace_rules(ws.store, [])
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULES + "- name: Broken\n  when:\n    regex: '(a+)+$'\n  then:\n  - queue\n")
    result = cmdesk("rules", "import", str(bad), "--profile", str(root))
    assert result.returncode == 2 and "line" in result.stderr and "nothing was used" in result.stderr
    assert "No rules." in cmdesk("rules", "list", "--profile", str(root)).stdout
    good = tmp_path / "good.yaml"
    good.write_text(RULES)
    assert cmdesk("rules", "import", str(good), "--profile", str(root)).returncode == 0
    assert "Rude" in cmdesk("rules", "list", "--profile", str(root)).stdout
    exported = cmdesk("rules", "export", "--out", "-", "--profile", str(root)).stdout
    assert "name: Rude" in exported and "escrocs" in exported


@pytest.fixture
def audited_profile(tmp_path):
    root = tmp_path / "profile"
    with open_workspace(root) as ws:
        account = ws.store.add_account(Platform.MASTODON, "A")
        ids = ws.store.ingest(account.id, [make_item(n) for n in range(3)]).new_ids
        Outbox(ws.store).moderate(list(ids), Verb.HIDE, actor="camille", reason='=HYPERLINK("x")')
    return root


def test_audit_verify_and_export(audited_profile, tmp_path):
    ok = cmdesk("audit", "verify", "--profile", str(audited_profile))
    assert ok.returncode == 0 and "intact" in ok.stdout
    out = tmp_path / "audit.csv"
    assert cmdesk("audit", "export", "--out", str(out), "--profile", str(audited_profile)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3 and rows[0]["actor"] == "camille" and rows[0]["reason"].startswith("'=")
    with sqlite3.connect(audited_profile / "cmdesk.db") as conn:
        conn.execute("DELETE FROM audit WHERE id = 2")
    broken = cmdesk("audit", "verify", "--profile", str(audited_profile))
    assert broken.returncode == 1 and "#3" in broken.stdout
