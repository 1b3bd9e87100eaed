"""The command line, run as a real process on a real profile."""

import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from cmdesk import __version__
from cmdesk.core.models import Platform
from cmdesk.services.demo import seed_store
from cmdesk.services.workspace import open_workspace


def cmdesk(*args, check=False):
    return subprocess.run([sys.executable, "-m", "cmdesk", *args], capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli") / "profile"
    with open_workspace(root) as ws:
        seed_store(ws.store)
        ws.store.add_account(Platform.MASTODON, "Empty")
    return root


def test_version():
    assert cmdesk("--version").stdout.strip() == f"CMDesk {__version__}"


def test_stats(demo_profile):
    out = cmdesk("stats", "--profile", str(demo_profile), check=True).stdout
    assert "Maison Brioche · Mastodon" in out and "total" in out


def test_search_folds_accents_and_explains_empty_queries(demo_profile):
    result = cmdesk("search", "reponse", "--profile", str(demo_profile), check=True)
    assert "réponse" in result.stdout.lower()
    bad = cmdesk("search", "--profile", str(demo_profile), "--", "-merci")
    assert bad.returncode == 2 and "at least one word" in bad.stderr
    for hostile in ['"', "*", "AND", "-", "NEAR(a"]:
        assert cmdesk("search", hostile, "--profile", str(demo_profile)).returncode in (0, 2)


def test_export_csv_and_json(demo_profile, tmp_path):
    out_csv = tmp_path / "items.csv"
    cmdesk(
        "export",
        "--format",
        "csv",
        "--out",
        str(out_csv),
        "--profile",
        str(demo_profile),
        "--view",
        "unanswered",
        check=True,
    )
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert rows and {r["status"] for r in rows} <= {"new", "open"}
    out_json = tmp_path / "items.json"
    cmdesk(
        "export",
        "--format",
        "json",
        "--out",
        str(out_json),
        "--profile",
        str(demo_profile),
        "--account",
        "Maison Brioche · Matrix",
        check=True,
    )
    items = json.loads(out_json.read_text("utf-8"))
    assert items and {i["account"] for i in items} == {"Maison Brioche · Matrix"}
    assert "ref" not in items[0]
    stdout = cmdesk(
        "export", "--format", "json", "--out", "-", "--profile", str(demo_profile), "--search", "zzzz", check=True
    ).stdout
    assert json.loads(stdout) == []


def test_export_neutralises_spreadsheet_formulas(tmp_path):
    from tests.conftest import make_item

    root = tmp_path / "p"
    with open_workspace(root) as ws:
        account = ws.store.add_account(Platform.MASTODON, "A")
        ws.store.ingest(account.id, [make_item(1, text='=HYPERLINK("http://evil")')])
    out = tmp_path / "x.csv"
    cmdesk("export", "--format", "csv", "--out", str(out), "--profile", str(root), check=True)
    assert next(iter(csv.DictReader(out.open())))["text"].startswith("'=")


def test_export_errors_are_one_line(demo_profile, tmp_path):
    result = cmdesk(
        "export", "--format", "csv", "--out", str(tmp_path / "no" / "dir" / "x.csv"), "--profile", str(demo_profile)
    )
    assert result.returncode == 2 and "Cannot write" in result.stderr and "Traceback" not in result.stderr
    result = cmdesk("export", "--format", "csv", "--out", "-", "--since", "yesterday", "--profile", str(demo_profile))
    assert result.returncode == 2 and "not a date" in result.stderr
    result = cmdesk("export", "--format", "csv", "--out", "-", "--account", "Nope", "--profile", str(demo_profile))
    assert result.returncode == 2 and "no account named" in result.stderr


def test_db_check_backup_and_vacuum(demo_profile, tmp_path):
    out = cmdesk("db", "check", "--profile", str(demo_profile), check=True).stdout
    assert "Integrity: ok" in out and "(current)" in out
    copy = tmp_path / "copy.db"
    cmdesk("db", "backup", str(copy), "--profile", str(demo_profile), check=True)
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM item").fetchone()[0] > 300
    conn.close()
    again = cmdesk("db", "backup", str(copy), "--profile", str(demo_profile))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert "Compacted" in cmdesk("db", "vacuum", "--profile", str(demo_profile), check=True).stdout


def test_db_check_reports_damage_and_newer_versions(tmp_path):
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "cmdesk.db").write_bytes(b"garbage" * 1000)
    result = cmdesk("db", "check", "--profile", str(corrupt))
    assert result.returncode == 1 and "FAILED" in result.stdout
    newer = tmp_path / "newer"
    with open_workspace(newer):
        pass
    with sqlite3.connect(newer / "cmdesk.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    result = cmdesk("db", "check", "--profile", str(newer))
    assert "newer CMDesk" in result.stdout
    opened = cmdesk("stats", "--profile", str(newer))
    assert opened.returncode == 2 and "newer version of CMDesk" in opened.stderr


def test_the_app_explains_why_it_cannot_start(tmp_path):
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "cmdesk.db").write_bytes(b"not a database" * 500)
    result = cmdesk("gui", "--profile", str(corrupt))
    assert result.returncode == 2 and "damaged" in result.stderr and "Nothing was changed" in result.stderr
    assert (corrupt / "cmdesk.db").read_bytes() == b"not a database" * 500
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cmdesk("gui", "--profile", str(blocker / "profile"))
    assert result.returncode == 2 and "cannot use the profile folder" in result.stderr


def test_a_second_app_on_the_same_profile_is_refused(tmp_path):
    from cmdesk.profile import Profile, ProfileLock

    root = tmp_path / "busy"
    with open_workspace(root):
        pass
    with ProfileLock(Profile(root)):
        result = cmdesk("gui", "--profile", str(root))
    assert result.returncode == 2 and "already running" in result.stderr
