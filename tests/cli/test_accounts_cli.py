"""``cmdesk accounts …`` and ``cmdesk sync``, run as real processes against the simulators on 127.0.0.1.

Signing in stores credentials, so most of these need an OS keyring (``@pytest.mark.keyring``):
``scripts/run_tests.py`` starts a private, unlocked GNOME Keyring for them. The address checks,
the profile lock and the account list work without one.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.connectors.simulators.matrix import MatrixSimulator
from cmdesk.core.models import ItemKind, Platform
from cmdesk.profile import Profile, ProfileLock
from cmdesk.secrets import SecretStore, keyring_status
from cmdesk.services.workspace import open_workspace

WAIT_S = 60  # a safety net for reading a child process's output, not a performance threshold


def cmdesk(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "cmdesk", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )


class Child:
    """A ``cmdesk`` process whose output lines can be waited for."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cmdesk", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str) -> re.Match:
        while True:
            try:
                line = self.lines.get(timeout=WAIT_S)
            except queue.Empty:
                self.process.kill()
                raise AssertionError(f"no line matching {pattern!r}; got {self.seen}") from None
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def finish(self, stdin: str = "") -> tuple[int, str, str]:
        try:
            self.process.stdin.write(stdin)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it has already finished
        code = self.process.wait(WAIT_S)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return code, "\n".join(self.seen + rest), self.process.stderr.read()


@pytest.fixture
def profile(tmp_path):
    root = tmp_path / "profile"
    yield root
    forget_keyring_entries(root)


def forget_keyring_entries(root) -> None:
    """Leave no test credential behind in the keyring (it may be the developer's own)."""
    if not keyring_status()[0] or not (root / "cmdesk.db").exists():
        return
    secrets = SecretStore(Profile(root).id)
    with open_workspace(root) as ws:
        for account in ws.store.accounts():
            for name in spec_for(account.platform).secret_names:
                secrets.delete(ws.store.account_uid(account.id), name)


@pytest.fixture
def real_keyring():
    if not keyring_status()[0]:
        pytest.skip(
            "needs an OS keyring (Secret Service); none is usable here. "
            "scripts/run_tests.py starts a private, unlocked GNOME Keyring for these tests."
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(sim, *texts: str) -> None:
    now = datetime.now(UTC)
    for n, text in enumerate(texts):
        sim.seed_incoming(
            author_id=f"a{n}",
            author_name=f"Author {n}",
            author_handle=f"author{n}",
            text=text,
            created_at=now - timedelta(minutes=10 - n),
            kind=ItemKind.MENTION,
        )


def add_bluesky(profile, sim, password: str, *extra: str):
    return cmdesk(
        "accounts",
        "add",
        "bluesky",
        "--handle",
        sim.owner_handle,
        "--server",
        sim.base_url,
        "--password-stdin",
        "--profile",
        str(profile),
        *extra,
        stdin=password + "\n",
    )


def accounts_in(profile) -> list:
    with open_workspace(profile) as ws:
        return ws.store.accounts()


# ---- without a keyring ----------------------------------------------------------------------------


def test_list_without_accounts(profile):
    result = cmdesk("accounts", "list", "--profile", str(profile))
    assert result.returncode == 0 and "No accounts yet" in result.stdout


def test_plain_http_to_another_host_is_refused_for_every_platform(profile):
    for args in (
        ("mastodon", "--instance", "http://mastodon.example"),
        ("bluesky", "--handle", "alice.example", "--server", "http://pds.example", "--password-stdin"),
        ("matrix", "--homeserver", "http://matrix.example", "--user", "alice", "--password-stdin"),
    ):
        result = cmdesk("accounts", "add", *args, "--profile", str(profile), stdin="secret-never-sent\n")
        assert result.returncode == 2, result.stderr
        assert "plain http://" in result.stderr and "Traceback" not in result.stderr
    assert accounts_in(profile) == []


def test_secrets_are_not_accepted_on_the_command_line(profile):
    result = cmdesk("accounts", "add", "bluesky", "--handle", "h", "--password", "hunter22", "--profile", str(profile))
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_sync_explains_what_is_missing_and_takes_the_profile_lock(profile):
    result = cmdesk("sync", "--once", "--profile", str(profile))
    assert result.returncode == 2 and "cmdesk accounts add" in result.stderr
    with open_workspace(profile) as ws:
        ws.store.add_account(Platform.MASTODON, "Bakery", handle="@bakery@example.social")
    with ProfileLock(Profile(profile)):
        held = cmdesk("sync", "--once", "--profile", str(profile))
    assert held.returncode == 2 and "already running" in held.stderr
    unknown = cmdesk("sync", "--account", "Nope", "--profile", str(profile))
    assert unknown.returncode == 2 and "no account named “Nope”" in unknown.stderr and "Bakery" in unknown.stderr


# ---- Mastodon ----------------------------------------------------------------------------------------


@pytest.mark.keyring
def test_mastodon_sign_in_through_the_browser_then_sync_once(profile, real_keyring):
    with MastodonSimulator(owner_role="user") as sim:
        seed(sim, "Vos croissants sont-ils sans beurre ?", "Is the Lyon shop open on Sunday?")
        child = Child("accounts", "add", "mastodon", "--instance", sim.base_url, "--profile", str(profile))
        url = child.expect(r"^\s+(http://\S+/oauth/authorize\?\S+)$").group(1)
        assert "redirect_uri=http%3A%2F%2F127.0.0.1" in url  # the loopback listener of the child
        child.expect(r"paste the code")
        requests.get(url, timeout=WAIT_S)  # the browser: the instance approves and redirects to the child
        code, out, err = child.finish()
        assert code == 0, err
        assert f"Added “{sim.owner_handle}”: Mastodon account {sim.owner_handle}." in out

        listed = cmdesk("accounts", "list", "--profile", str(profile)).stdout
        assert re.search(rf"{re.escape(sim.owner_handle)}\s+Mastodon\s+{re.escape(sim.owner_handle)}\s+never", listed)

        synced = cmdesk("sync", "--once", "--profile", str(profile))
        assert synced.returncode == 0, synced.stderr
        lines = synced.stdout.splitlines()
        assert len(lines) == 2
        assert "mention" in lines[0] and "Vos croissants sont-ils sans beurre ?" in lines[0]
        assert "Is the Lyon shop open on Sunday?" in lines[1]
        assert "2 new of 2 fetched" in synced.stderr
        again = cmdesk("sync", "--once", "--profile", str(profile))
        assert again.stdout == "" and "0 new" in again.stderr
        listed = cmdesk("accounts", "list", "--profile", str(profile)).stdout
        assert "never" not in listed


@pytest.mark.keyring
def test_mastodon_sign_in_with_a_pasted_code(profile, real_keyring):
    with MastodonSimulator(owner_role="user") as sim:
        child = Child("accounts", "add", "mastodon", "--instance", sim.base_url, "--profile", str(profile))
        child.expect(r"/oauth/authorize\?")  # the loopback address, which this "browser" cannot reach
        oob = child.expect(r"^\s+(http://\S+redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob\S*)$").group(1)
        page = requests.get(oob, timeout=WAIT_S).text
        pasted = re.search(r"value='([^']+)'", page).group(1)
        code, _out, err = child.finish(f"{pasted}\n")
        assert code == 0, err
        assert accounts_in(profile)[0].settings["account_id"] == sim.owner_id


@pytest.mark.keyring
def test_mastodon_errors(profile, real_keyring):
    with MastodonSimulator() as sim:
        sim.deny_authorization = True
        child = Child("accounts", "add", "mastodon", "--instance", sim.base_url, "--profile", str(profile))
        requests.get(child.expect(r"^\s+(http://\S+/oauth/authorize\?\S+)$").group(1), timeout=WAIT_S)
        code, _out, err = child.finish()
        assert code == 2 and "did not authorise CMDesk" in err
    unreachable = cmdesk(
        "accounts", "add", "mastodon", "--instance", f"http://127.0.0.1:{free_port()}", "--profile", str(profile)
    )
    assert unreachable.returncode == 2 and "Cannot reach" in unreachable.stderr
    with BlueskySimulator() as not_mastodon:
        wrong = cmdesk("accounts", "add", "mastodon", "--instance", not_mastodon.base_url, "--profile", str(profile))
    assert wrong.returncode == 2 and "does not look like a Mastodon server" in wrong.stderr
    assert accounts_in(profile) == []


# ---- Bluesky ----------------------------------------------------------------------------------------


@pytest.mark.keyring
def test_bluesky_errors_then_sign_in_and_sign_in_again(profile, real_keyring):
    with BlueskySimulator() as sim:
        wrong = add_bluesky(profile, sim, "nope-nope-nope-nope")
        assert wrong.returncode == 2 and "did not accept this handle and password" in wrong.stderr
        main = add_bluesky(profile, sim, sim.main_password)
        assert main.returncode == 2 and "app password" in main.stderr
        assert accounts_in(profile) == []

        added = add_bluesky(profile, sim, sim.app_password, "--name", "Bakery (Bluesky)")
        assert added.returncode == 0, added.stderr
        assert "Added “Bakery (Bluesky)”" in added.stdout and sim.app_password not in added.stdout + added.stderr
        again = add_bluesky(profile, sim, sim.app_password)
        assert again.returncode == 0 and "Signed “Bakery (Bluesky)” in again" in again.stdout
        assert [a.name for a in accounts_in(profile)] == ["Bakery (Bluesky)"]


@pytest.mark.keyring
def test_a_password_needs_a_terminal_or_stdin(profile, real_keyring):
    with BlueskySimulator() as sim:
        result = cmdesk(
            "accounts", "add", "bluesky", "--handle", sim.owner_handle, "--server", sim.base_url,
            "--profile", str(profile),
        )  # fmt: skip
    assert result.returncode == 2 and "--password-stdin" in result.stderr
    assert sim.create_session_count == 0


# ---- Matrix -------------------------------------------------------------------------------------------


@pytest.mark.keyring
def test_matrix_password_token_and_errors(profile, real_keyring):
    with MatrixSimulator() as sim:

        def add(*args, stdin):
            return cmdesk(
                "accounts", "add", "matrix", "--homeserver", sim.base_url, *args, "--profile", str(profile),
                stdin=stdin,
            )  # fmt: skip

        wrong = add("--user", sim.owner_handle, "--password-stdin", stdin="wrong\n")
        assert wrong.returncode == 2 and "did not accept this user name and password" in wrong.stderr
        sim.login_flows = [{"type": "m.login.sso"}]
        sso = add("--user", sim.owner_handle, "--password-stdin", stdin=sim.owner_password + "\n")
        assert sso.returncode == 2 and "Access Token" in sso.stderr
        sim.login_flows = [{"type": "m.login.password"}]
        ok = add("--user", sim.owner_handle, "--password-stdin", stdin=sim.owner_password + "\n")
        assert ok.returncode == 0 and f"Matrix account {sim.owner_handle}" in ok.stdout, ok.stderr
        by_token = add("--token-stdin", stdin=sim.owner_token + "\n")
        assert by_token.returncode == 0 and "in again" in by_token.stdout
        assert len(accounts_in(profile)) == 1
        no_user = add(stdin="")
        assert no_user.returncode == 2 and "--user" in no_user.stderr


# ---- sign-out, removal, sync -------------------------------------------------------------------------


@pytest.mark.keyring
def test_sign_out_keeps_the_history_and_sync_says_so(profile, real_keyring):
    with BlueskySimulator() as sim:
        seed(sim, "Merci pour la livraison !")
        assert add_bluesky(profile, sim, sim.app_password).returncode == 0
        assert cmdesk("sync", "--once", "--profile", str(profile)).returncode == 0
        out = cmdesk("accounts", "sign-out", sim.owner_handle, "--profile", str(profile))
        assert out.returncode == 0 and "history is kept" in out.stdout
        account = accounts_in(profile)[0]
        with open_workspace(profile) as ws:
            uid = ws.store.account_uid(account.id)
            assert ws.store.item_count() == 1
        assert SecretStore(Profile(profile).id).get(uid, "refresh_jwt") is None
        assert "Signed out" in cmdesk("accounts", "list", "--profile", str(profile)).stdout
        synced = cmdesk("sync", "--once", "--profile", str(profile))
        assert synced.returncode == 1 and "must sign in again" in synced.stderr
        removed = cmdesk("accounts", "remove", account.name, "--yes", "--profile", str(profile))
        assert removed.returncode == 0 and "Removed" in removed.stdout and accounts_in(profile) == []


@pytest.mark.keyring
def test_remove_asks_first_then_deletes_credentials_and_history(profile, real_keyring):
    with BlueskySimulator() as sim:
        seed(sim, "Première question", "Deuxième question")
        assert add_bluesky(profile, sim, sim.app_password).returncode == 0
        assert cmdesk("sync", "--once", "--profile", str(profile)).returncode == 0
        account = accounts_in(profile)[0]
        with open_workspace(profile) as ws:
            uid = ws.store.account_uid(account.id)
        secrets = SecretStore(Profile(profile).id)
        assert secrets.get(uid, "access_jwt")

        refused = cmdesk("accounts", "remove", account.name, "--profile", str(profile), stdin="n\n")
        assert refused.returncode == 1 and "2 items of history" in refused.stdout
        assert accounts_in(profile) == [account]

        removed = cmdesk("accounts", "remove", account.name, "--profile", str(profile), stdin="yes\n")
        assert removed.returncode == 0 and "Removed" in removed.stdout, removed.stderr
        assert accounts_in(profile) == []
        assert secrets.get(uid, "access_jwt") is None and secrets.get(uid, "refresh_jwt") is None
        with open_workspace(profile) as ws:
            assert ws.store.item_count() == 0


@pytest.mark.keyring
def test_sync_keeps_polling_until_interrupted(profile, real_keyring):
    with BlueskySimulator() as sim:
        seed(sim, "Le premier message")
        assert add_bluesky(profile, sim, sim.app_password).returncode == 0
        with open_workspace(profile) as ws:
            account = ws.store.accounts()[0]
            # A short interval for the test (the settings dialog allows 15 s and up).
            ws.store.update_account(account.id, settings=account.settings | {"sync_interval_s": 1})
        child = Child("sync", "--profile", str(profile))
        child.expect("Le premier message")
        sim.seed_incoming(
            author_id="late",
            author_name="Late Comer",
            author_handle="late.test",
            text="Un message arrivé pendant la synchro",
            created_at=datetime.now(UTC),
            kind=ItemKind.MENTION,
        )
        child.expect("Un message arrivé pendant la synchro")
        child.process.send_signal(signal.SIGINT if os.name != "nt" else signal.CTRL_C_EVENT)
        code, _out, err = child.finish()
        assert code == 0 and "Stopped." in err
