"""Sign-in: app registration, OAuth code + PKCE through a loopback listener, the pasted-code fallback."""

from __future__ import annotations

import re
import socket

import pytest
import requests

from cmdesk.connectors.base import AuthExpired, Permanent, Transient, Verb
from cmdesk.connectors.mastodon import MastodonConnector, sign_out
from cmdesk.connectors.mastodon_auth import (
    OOB_REDIRECT,
    MastodonSignIn,
    SignInCancelled,
    challenge_for,
    code_from_paste,
    sign_in,
)
from cmdesk.connectors.simulators.server import SimulatorServer
from cmdesk.core.models import Account, Platform
from cmdesk.secrets import MemoryVault
from tests.connectors.mastodon.mastodon_testkit import fast_http


def browser(url: str) -> bool:
    """The "system browser": the instance approves at once and redirects to the loopback listener."""
    requests.get(url, timeout=5)
    return True


def paste_from_page(url: str) -> str:
    """The user reads the code on the instance's out-of-band page and pastes it."""
    page = requests.get(url, timeout=5).text
    return re.search(r"value='([^']+)'", page).group(1)


def test_loopback_sign_in_end_to_end(sim):
    result = sign_in(sim.base_url, http=fast_http(), open_browser=browser, timeout=5)
    assert result.handle == "@cmdesk@mastodon.example"
    assert result.display_name == "Community Team"
    assert result.base_url == sim.base_url
    assert set(result.secrets) == {"access_token", "client_id", "client_secret"}
    assert result.settings["account_id"] == sim.owner_id
    assert result.settings["max_characters"] == 500 and result.settings["role_permissions"] == 1048575
    assert "admin:write:accounts" not in result.settings["scopes"]
    account = Account(7, Platform.MASTODON, "mine", result.handle, result.base_url, settings=result.settings)
    connector = MastodonConnector(account, MemoryVault(result.secrets), fast_http())
    assert connector.fetch(None).items == []
    assert "sign in again" in connector.capabilities().why_not(Verb.BAN_AUTHOR)


def test_admin_sign_in_asks_for_admin_scopes(sim):
    result = sign_in(sim.base_url, http=fast_http(), open_browser=browser, admin=True, timeout=5)
    assert "admin:write:accounts" in result.settings["scopes"].split()
    account = Account(7, Platform.MASTODON, "mine", result.handle, result.base_url, settings=result.settings)
    connector = MastodonConnector(account, MemoryVault(result.secrets), fast_http())
    assert connector.capabilities().allows(Verb.BAN_AUTHOR)


def test_pasted_code_when_no_browser_opens(sim):
    seen = []

    def ask(url: str) -> str:
        seen.append(url)
        return paste_from_page(url)

    result = sign_in(sim.base_url, http=fast_http(), open_browser=lambda url: False, ask_code=ask)
    assert result.settings["account_id"] == sim.owner_id
    assert "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in seen[0]


def test_pasted_code_without_a_loopback_listener(sim):
    result = sign_in(
        sim.base_url,
        http=fast_http(),
        use_loopback=False,
        ask_code=lambda url: f"urn:ietf:wg:oauth:2.0:oob?code={paste_from_page(url)}",
    )
    assert result.handle == "@cmdesk@mastodon.example"


def test_pkce_verifier_is_checked(sim):
    flow = MastodonSignIn(sim.base_url, http=fast_http())
    url = flow.prepare()
    assert "code_challenge_method=S256" in url and f"code_challenge={challenge_for(flow.verifier)}" in url
    flow.verifier = "a-different-verifier-that-does-not-match-the-challenge-sent-earlier"
    browser(url)
    with pytest.raises(Permanent, match="refused the sign-in code"):
        flow.wait_for_browser(timeout=5)
    flow.close()


def test_answers_with_the_wrong_state_are_ignored(sim):
    flow = MastodonSignIn(sim.base_url, http=fast_http())
    flow.prepare()
    forged = requests.get(flow.redirect_uri + "?code=stolen&state=other", timeout=5)
    assert forged.status_code == 400
    assert not flow._receiver.wait(0.05)
    browser(flow.authorize_url)
    assert flow.wait_for_browser(timeout=5).settings["account_id"] == sim.owner_id


def test_denied_authorisation(sim):
    sim.deny_authorization = True
    with pytest.raises(Permanent, match="did not authorise"):
        sign_in(sim.base_url, http=fast_http(), open_browser=browser, timeout=5)


def test_browser_never_comes_back(sim):
    with pytest.raises(SignInCancelled):
        sign_in(sim.base_url, http=fast_http(), open_browser=lambda url: True, timeout=0.2)
    with pytest.raises(SignInCancelled):
        sign_in(sim.base_url, http=fast_http(), open_browser=lambda url: False, ask_code=lambda url: None)


def test_wrong_or_unsafe_server_addresses():
    with pytest.raises(Permanent, match="plain http"):
        sign_in("http://mastodon.example", open_browser=browser)
    with pytest.raises(Permanent, match="not a web address"):
        sign_in("ftp://mastodon.example", open_browser=browser)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with pytest.raises(Transient, match="Cannot reach"):
        sign_in(f"http://127.0.0.1:{free_port}", http=fast_http(retries=1), open_browser=browser)
    with SimulatorServer() as not_mastodon, pytest.raises(Permanent, match="does not look like a Mastodon server"):
        sign_in(not_mastodon.base_url, http=fast_http(), open_browser=browser)


def test_code_from_paste():
    assert code_from_paste("  abc123 \n") == "abc123"
    assert code_from_paste("http://127.0.0.1:5000/callback?code=xyz&state=s") == "xyz"
    assert code_from_paste(f"{OOB_REDIRECT}?code=q") == "q"


def test_sign_out_revokes_the_token(sim):
    result = sign_in(sim.base_url, http=fast_http(), open_browser=browser, timeout=5)
    account = Account(7, Platform.MASTODON, "mine", result.handle, result.base_url, settings=result.settings)
    vault = MemoryVault(result.secrets)
    connector = MastodonConnector(account, vault, fast_http())
    connector.fetch(None)
    sign_out(account, vault, fast_http())
    assert vault.get("access_token") is None
    stale = MastodonConnector(account, MemoryVault({"access_token": result.secrets["access_token"]}), fast_http())
    with pytest.raises(AuthExpired):
        stale.profile(refresh=True)
