"""Sign-in with app passwords, and a session that refreshes instead of signing in again."""

from __future__ import annotations

import socket
import time

import pytest

from cmdesk.connectors import bluesky_session
from cmdesk.connectors.base import AuthExpired, Permanent, RateLimited, Transient
from cmdesk.connectors.bluesky import BlueskyConnector, sign_in
from cmdesk.connectors.bluesky_session import (
    ACCESS_SECRET,
    REFRESH_SECRET,
    MainPasswordUsed,
    TwoFactorRequired,
    WrongCredentials,
    jwt_claims,
)
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.core.models import Account, Platform
from cmdesk.secrets import MemoryVault
from tests.connectors.bluesky.bluesky_helpers import fast_http


def account_from(result, account_id: int = 7) -> tuple[Account, MemoryVault]:
    account = Account(account_id, Platform.BLUESKY, "Ours", result.handle, result.base_url, settings=result.settings)
    return account, MemoryVault(dict(result.secrets))


def test_sign_in_with_an_app_password(sim):
    result = sign_in(sim.base_url + "/", "@" + sim.owner_handle.upper(), sim.app_password, http=fast_http())
    assert result.handle == sim.owner_handle
    assert result.display_name == "CMDesk Demo"
    assert result.base_url == sim.base_url
    assert result.settings == {"did": sim.owner_did, "status": "active", "scope": "com.atproto.appPass"}
    assert set(result.secrets) == {ACCESS_SECRET, REFRESH_SECRET}
    assert "secrets" not in repr(result) or sim.app_password not in repr(result)
    assert sim.create_session_count == 1


def test_many_polls_use_one_session(sim, seed):
    seed(3)
    account, vault = account_from(sign_in(sim.base_url, sim.owner_handle, sim.app_password, http=fast_http()))
    connector = BlueskyConnector(account, vault, fast_http())
    cursor = None
    for _ in range(25):
        cursor = connector.fetch(cursor).cursor
    sim.expire_access_tokens()  # the access JWT runs out mid-way: refreshed, not re-created
    for _ in range(25):
        cursor = connector.fetch(cursor).cursor
    assert sim.create_session_count == 1
    assert sim.refresh_count == 1


def test_expired_access_token_is_refreshed_and_rotation_lands_in_the_vault(connector, sim, seed):
    seed(1)
    old_refresh = connector.client.vault.get(REFRESH_SECRET)
    old_access = connector.client.vault.get(ACCESS_SECRET)
    sim.expire_access_tokens()
    assert len(connector.fetch(None).items) == 1
    assert sim.refresh_count == 1
    assert connector.client.vault.get(REFRESH_SECRET) != old_refresh  # rotated and kept
    assert connector.client.vault.get(ACCESS_SECRET) != old_access
    assert any(status == 400 for _, path, status in sim.log if path.endswith("listNotifications"))


def test_access_token_close_to_expiry_is_refreshed_before_the_call(connector, sim, monkeypatch, seed):
    seed(1)
    connector.fetch(None)
    assert sim.refresh_count == 0
    later = time.time() + sim.access_ttl - 30  # 30 s before the JWT's exp
    monkeypatch.setattr(bluesky_session, "_clock", lambda: later)
    connector.fetch(None)
    refreshed = sim.refresh_count
    assert refreshed >= 1  # (the server's new JWTs are also "30 s from exp" on this moved clock)
    assert not any(status == 400 for *_, status in sim.log)  # no failed call was needed
    monkeypatch.undo()
    connector.fetch(None)
    assert sim.refresh_count == refreshed
    assert jwt_claims(connector.client.vault.get(ACCESS_SECRET))["scope"] == "com.atproto.appPass"


def test_revoked_session_asks_for_a_new_sign_in(connector, sim):
    sim.revoke_sessions()  # e.g. the app password was deleted
    with pytest.raises(AuthExpired, match="sign in again"):
        connector.fetch(None)
    assert sim.create_session_count == 0


def test_expired_token_fault_ends_in_auth_expired_after_one_refresh(connector, sim):
    sim.faults.expired_token = True
    with pytest.raises(AuthExpired):
        connector.fetch(None)
    assert sim.refresh_count == 1


def test_missing_session_in_the_vault(sim):
    account = Account(1, Platform.BLUESKY, "x", sim.owner_handle, sim.base_url, settings={"did": sim.owner_did})
    connector = BlueskyConnector(account, MemoryVault(), fast_http())
    with pytest.raises(AuthExpired, match="no stored session"):
        connector.fetch(None)


def test_wrong_password_says_what_to_do(sim):
    with pytest.raises(WrongCredentials, match="app password") as caught:
        sign_in(sim.base_url, sim.owner_handle, "hunter2", http=fast_http())
    assert "does not look like an app password" in str(caught.value)
    with pytest.raises(WrongCredentials) as caught:
        sign_in(sim.base_url, "someone.else.social", sim.app_password, http=fast_http())
    assert "does not look like" not in str(caught.value)


def test_main_password_is_refused_and_its_session_revoked(sim):
    with pytest.raises(MainPasswordUsed, match="main Bluesky password"):
        sign_in(sim.base_url, sim.owner_handle, sim.main_password, http=fast_http())
    assert any(path.endswith("deleteSession") and status == 200 for _, path, status in sim.log)


def test_email_two_factor_means_main_password():
    simulator = BlueskySimulator(email_2fa=True)
    simulator.start()
    try:
        with pytest.raises(TwoFactorRequired, match="app password"):
            sign_in(simulator.base_url, simulator.owner_handle, simulator.main_password, http=fast_http())
        result = sign_in(simulator.base_url, simulator.owner_handle, simulator.app_password, http=fast_http())
        assert result.settings["scope"] == "com.atproto.appPass"  # app passwords need no code
    finally:
        simulator.stop()


def test_server_address_errors(sim):
    with pytest.raises(Permanent, match="plain http://"):
        sign_in("http://bsky.example.com", "a.b", "xxxx-xxxx-xxxx-xxxx")
    with pytest.raises(Permanent, match="does not answer like a Bluesky"):
        sign_in(sim.base_url + "/not-a-pds", sim.owner_handle, sim.app_password, http=fast_http())
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    with pytest.raises(Transient, match="Cannot reach"):
        sign_in(f"http://127.0.0.1:{port}", sim.owner_handle, sim.app_password, http=fast_http(retries=0))
    with pytest.raises(Permanent, match="handle"):
        sign_in(sim.base_url, "  @ ", sim.app_password, http=fast_http())


def test_create_session_rate_limit():
    simulator = BlueskySimulator(session_limit=2)
    simulator.start()
    try:
        for _ in range(2):
            sign_in(simulator.base_url, simulator.owner_handle, simulator.app_password, http=fast_http())
        with pytest.raises(RateLimited, match="Too many sign-in attempts") as caught:
            sign_in(simulator.base_url, simulator.owner_handle, simulator.app_password, http=fast_http())
        assert 200 < caught.value.retry_after <= 300
    finally:
        simulator.stop()


def test_sign_out_revokes_and_forgets(connector, sim):
    connector.sign_out()
    assert connector.client.vault.get(REFRESH_SECRET) is None
    assert any(path.endswith("deleteSession") and status == 200 for _, path, status in sim.log)
