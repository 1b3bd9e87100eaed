"""Credentials live only in the OS keyring: never in the database, the settings, the logs or an export.

``@pytest.mark.keyring`` tests use a real Secret Service (``scripts/run_tests.py`` starts a private,
unlocked GNOME Keyring); they are skipped, saying so, when none is usable. Without any keyring
backend (forced with ``PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring``) CMDesk refuses to
store credentials and says how to get a keyring; that part runs everywhere.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from cmdesk.app import setup_logging
from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.connectors.simulators.matrix import MatrixSimulator
from cmdesk.core.models import ItemKind, Platform, utcnow
from cmdesk.core.query import InboxQuery
from cmdesk.profile import Profile
from cmdesk.secrets import HOW_TO_GET_A_KEYRING, KeyringError, SecretStore, Vault, keyring_status
from cmdesk.services import accounts as svc
from cmdesk.services.accounts import AccountManager
from cmdesk.services.export import WRITERS
from cmdesk.services.sync import sync_once
from cmdesk.services.workspace import open_workspace
from cmdesk.store.errors import InvalidInput

FAIL_BACKEND = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def run(*args, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | (env or {}),
    )


@pytest.fixture
def real_keyring():
    if not keyring_status()[0]:
        pytest.skip(
            "needs an OS keyring (Secret Service); none is usable here. "
            "scripts/run_tests.py starts a private, unlocked GNOME Keyring for these tests."
        )


def everything_in(root: Path) -> dict[Path, bytes]:
    """Every file of a profile: the database and its -wal, settings, logs, exports, backups."""
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def seed(sim, text: str) -> None:
    sim.seed_incoming(
        author_id="a1", author_name="Camille", author_handle="camille", text=text, created_at=utcnow(),
        kind=ItemKind.MENTION,
    )  # fmt: skip


# ---- no keyring at all --------------------------------------------------------------------------------


def test_without_a_keyring_backend_nothing_is_stored_and_the_user_is_told_how(tmp_path):
    root = tmp_path / "profile"
    probe = run(
        "-c",
        "from cmdesk.secrets import SecretStore, SecretsUnavailable, keyring_status\n"
        "print(keyring_status()[0])\n"
        "try:\n    SecretStore('p').set('uid', 'token', 'never-stored-anywhere')\n"
        "except SecretsUnavailable as exc:\n    print('refused:', exc)\n",
        env=FAIL_BACKEND,
    )
    assert probe.stdout.splitlines()[0] == "False"
    assert probe.stdout.splitlines()[1].startswith("refused: CMDesk keeps passwords and tokens only")

    with BlueskySimulator() as sim:
        added = run(
            "-m", "cmdesk", "accounts", "add", "bluesky", "--handle", sim.owner_handle, "--server", sim.base_url,
            "--password-stdin", "--profile", str(root), stdin=sim.app_password + "\n", env=FAIL_BACKEND,
        )  # fmt: skip
        assert added.returncode == 2
        assert HOW_TO_GET_A_KEYRING.split("(")[0].strip() in added.stderr and "gnome-keyring" in added.stderr
        assert sim.create_session_count == 0  # refused before signing in: no session left open either
    listed = run("-m", "cmdesk", "accounts", "list", "--profile", str(root), env=FAIL_BACKEND)
    assert "No accounts yet" in listed.stdout

    with open_workspace(root) as ws:  # an account from before the keyring went away
        ws.store.add_account(Platform.BLUESKY, "Old", handle="old.bsky.social", base_url="https://bsky.social")
    synced = run("-m", "cmdesk", "sync", "--once", "--profile", str(root), env=FAIL_BACKEND)
    assert synced.returncode == 2 and "keyring" in synced.stderr
    signed_out = run("-m", "cmdesk", "accounts", "sign-out", "Old", "--profile", str(root), env=FAIL_BACKEND)
    assert signed_out.returncode == 2 and "keyring" in signed_out.stderr
    removed = run("-m", "cmdesk", "accounts", "remove", "Old", "--yes", "--profile", str(root), env=FAIL_BACKEND)
    assert removed.returncode == 0 and "No keyring is available" in removed.stderr  # said, not silent
    assert all(sim.app_password.encode() not in data for data in everything_in(root).values())


# ---- the real keyring ----------------------------------------------------------------------------------


@pytest.mark.keyring
def test_no_secret_reaches_the_profile_or_the_logs(tmp_path, real_keyring, caplog):
    root = tmp_path / "profile"
    profile = Profile(root).ensure()
    setup_logging(profile)  # the app's own log file, in the profile
    file_handler = logging.getLogger().handlers[-1]
    caplog.set_level(logging.DEBUG)  # every HTTP line, too
    ws = open_workspace(root)
    manager = AccountManager.for_workspace(ws)
    try:
        with MastodonSimulator(owner_role="user") as masto, BlueskySimulator() as sky, MatrixSimulator() as mx:
            flow = svc.mastodon_flow(masto.base_url)
            flow.prepare()
            # The browser (another program: its requests are not CMDesk's log lines) approves.
            urllib.request.urlopen(flow.authorize_url, timeout=30).close()
            manager.save(Platform.MASTODON, flow.wait_for_browser(30))
            manager.save(Platform.BLUESKY, svc.sign_in_bluesky(sky.owner_handle, sky.app_password, sky.base_url))
            manager.save(Platform.MATRIX, svc.sign_in_matrix(mx.base_url, mx.owner_handle, mx.owner_password))
            for sim in (masto, sky, mx):
                seed(sim, "Bonjour, une question sur ma commande")
            for account in ws.store.accounts():
                asyncio.run(sync_once(ws.store, manager.connector(account), account.id))
            exports = root / "exports"
            exports.mkdir()
            names = {a.id: (a.name, a.platform.value) for a in ws.store.accounts()}
            for fmt, writer in WRITERS.items():
                with open(exports / f"items.{fmt}", "w", encoding="utf-8", newline="") as out:
                    writer(ws.store.iter_items(InboxQuery()), out, names)
            ws.settings.set("agent_name", "Camille")
            out = str(exports / "cli.json")
            cli = [
                run("-m", "cmdesk", "sync", "--once", "--profile", str(root)),
                run("-m", "cmdesk", "accounts", "list", "--profile", str(root)),
                run("-m", "cmdesk", "export", "--format", "json", "--out", out, "--profile", str(root)),
            ]
            assert [r.returncode for r in cli] == [0, 0, 0], [r.stderr for r in cli]
            assert ws.store.item_count() == 3

        store = SecretStore(profile.id)
        secrets = [mx.owner_password, sky.app_password, sky.main_password]
        for account in ws.store.accounts():
            uid = ws.store.account_uid(account.id)
            stored = [store.get(uid, name) for name in spec_for(account.platform).secret_names]
            assert all(stored), f"{account.name}: every credential is in the keyring"
            secrets += stored
        files = everything_in(root)  # while the database is open: the -wal file is there too
        assert {"cmdesk.db", "cmdesk.db-wal", "settings.json", "cmdesk.log", "items.csv", "cli.json"} <= {
            p.name for p in files
        }
        logged = caplog.text + "".join(r.stdout + r.stderr for r in cli)
        for secret in secrets:
            assert len(secret) >= 8
            leaks = [str(p.relative_to(root)) for p, data in files.items() if secret.encode() in data]
            assert leaks == [], f"a credential was written to {leaks}"
            assert secret not in logged
    finally:
        for account in ws.store.accounts():
            manager.remove(account.id, revoke=False)
        ws.close()
        logging.getLogger().removeHandler(file_handler)
        file_handler.close()
    files = everything_in(root)
    assert not any(secret.encode() in data for secret in secrets for data in files.values())


@pytest.mark.keyring
def test_sign_out_and_remove_delete_the_keyring_entries(tmp_path, real_keyring):
    with open_workspace(tmp_path / "profile") as ws, BlueskySimulator() as sim:
        manager = AccountManager.for_workspace(ws)
        secrets = SecretStore(ws.profile.id)
        account = manager.save(
            Platform.BLUESKY, svc.sign_in_bluesky(sim.owner_handle, sim.app_password, sim.base_url)
        ).account
        uid = ws.store.account_uid(account.id)
        refresh = secrets.get(uid, "refresh_jwt")
        assert refresh and secrets.get(uid, "access_jwt")
        assert refresh not in str(ws.store.account(account.id))

        manager.sign_out(account.id)
        assert secrets.get(uid, "refresh_jwt") is None and secrets.get(uid, "access_jwt") is None
        assert not sim.check_token(refresh)  # the session was revoked on the server too
        assert ws.store.sync_state(account.id).needs_signin

        again = manager.save(Platform.BLUESKY, svc.sign_in_bluesky(sim.owner_handle, sim.app_password, sim.base_url))
        assert not again.created and again.account.id == account.id
        assert secrets.get(uid, "refresh_jwt") and not ws.store.sync_state(account.id).needs_signin

        assert manager.remove(account.id) == ""
        assert secrets.get(uid, "refresh_jwt") is None and secrets.get(uid, "access_jwt") is None
        assert ws.store.accounts() == []


# ---- the account manager's handling of credentials (an in-memory store: runs everywhere) --------------


class MemorySecrets:
    def __init__(self, fail_after: int | None = None):
        self.values: dict[tuple[str, str], str] = {}
        self.fail_after = fail_after

    def set(self, uid, name, value):
        if self.fail_after is not None and len(self.values) >= self.fail_after:
            raise KeyringError("The keyring refused to save the credential: locked")
        self.values[(uid, name)] = value

    def get(self, uid, name):
        return self.values.get((uid, name))

    def delete(self, uid, name):
        self.values.pop((uid, name), None)

    def vault(self, uid, names=()):
        return Vault(self, uid, names)


def test_a_keyring_failing_half_way_leaves_no_account_and_no_credential(store):
    secrets = MemorySecrets(fail_after=1)
    manager = AccountManager(store, secrets, keyring_check=lambda: (True, "memory"))
    with BlueskySimulator() as sim:
        result = svc.sign_in_bluesky(sim.owner_handle, sim.app_password, sim.base_url)
    with pytest.raises(KeyringError):
        manager.save(Platform.BLUESKY, result)
    assert store.accounts() == [] and secrets.values == {}


def test_signing_in_again_keeps_the_users_settings(store):
    secrets = MemorySecrets()
    manager = AccountManager(store, secrets, keyring_check=lambda: (True, "memory"))
    with MatrixSimulator() as sim:
        first = manager.save(Platform.MATRIX, svc.sign_in_matrix(sim.base_url, sim.owner_handle, sim.owner_password))
        manager.update_settings(first.account.id, rooms=["#community:cmdesk.test"], sync_interval_s=120)
        again = manager.save(Platform.MATRIX, svc.sign_in_matrix(sim.base_url, sim.owner_handle, sim.owner_password))
    assert not again.created
    settings = store.account(first.account.id).settings
    assert settings["rooms"] == ["#community:cmdesk.test"] and settings["sync_interval_s"] == 120
    assert len(secrets.values) == 1  # the new token replaced the old one
    with pytest.raises(InvalidInput):
        manager.update_settings(first.account.id, sync_interval_s=1)
