"""Signing in: password, token, discovery, and every error a user can meet."""

from __future__ import annotations

import socket

import pytest

from cmdesk.connectors.base import Permanent, RateLimited, Transient
from cmdesk.connectors.matrix import SignInError, sign_in
from cmdesk.connectors.simulators.matrix_model import V3
from cmdesk.connectors.simulators.server import Response, SimulatorServer

from .helpers import fast_http, fixture

RESPONSES = fixture("responses.json")


def test_password_sign_in(sim):
    result = sign_in(sim.base_url, user="community", password=sim.owner_password, http=fast_http())
    assert result.handle == sim.owner_handle
    assert result.display_name == "Community Team"
    assert result.base_url == sim.base_url
    assert result.settings == {"user_id": sim.owner_handle, "device_id": result.settings["device_id"], "rooms": []}
    assert result.settings["device_id"].startswith("DEVICE")
    token = result.secrets["access_token"]
    assert token and token not in str(result.settings)
    assert sim.check_token(token)


def test_full_matrix_id_and_server_from_the_id(sim):
    result = sign_in(sim.base_url, user=sim.owner_handle, password=sim.owner_password, http=fast_http())
    assert result.handle == sim.owner_handle


def test_access_token_sign_in(sim):
    result = sign_in(sim.base_url, access_token=sim.owner_token, http=fast_http())
    assert result.handle == sim.owner_handle and result.secrets == {"access_token": sim.owner_token}
    with pytest.raises(SignInError) as error:
        sign_in(sim.base_url, access_token="syt_wrong", http=fast_http())
    assert error.value.reason == "bad_token"


def test_wrong_password(sim):
    with pytest.raises(SignInError) as error:
        sign_in(sim.base_url, user="community", password="nope", http=fast_http())
    assert error.value.reason == "wrong_password"
    assert "did not accept this user name and password" in str(error.value)


def test_sso_only_server_asks_for_a_token(sim):
    sim.login_flows = [{"type": "m.login.sso"}, {"type": "m.login.token"}]
    with pytest.raises(SignInError) as error:
        sign_in(sim.base_url, user="community", password=sim.owner_password, http=fast_http())
    assert error.value.reason == "password_not_accepted"
    assert "access token" in str(error.value)


def test_second_step_required(sim):
    sim.login_extra_stage = "m.login.email.identity"
    with pytest.raises(SignInError) as error:
        sign_in(sim.base_url, user="community", password=sim.owner_password, http=fast_http())
    assert error.value.reason == "second_factor"


def test_missing_fields():
    with pytest.raises(SignInError) as error:
        sign_in("", user="alice", password="x", http=fast_http())
    assert error.value.reason == "missing"


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(SignInError) as error:
        sign_in("http://matrix.example.org", user="a", password="b", http=fast_http())
    assert error.value.reason == "bad_url" and "https://" in str(error.value)


def test_not_a_homeserver():
    server = SimulatorServer()
    server.add_route("GET", r"/", lambda r: Response(200, b"<html>my blog</html>", {"Content-Type": "text/html"}))
    with server, pytest.raises(SignInError) as error:
        sign_in(server.base_url, user="a", password="b", http=fast_http())
    assert error.value.reason == "not_homeserver"


def test_unreachable_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(Transient, match="Cannot reach"):
        sign_in(f"http://127.0.0.1:{port}", user="a", password="b", http=fast_http(retries=0))


def test_well_known_delegation(sim):
    front = SimulatorServer()
    front.add_route(
        "GET",
        r"/\.well-known/matrix/client",
        auth=False,
        handler=lambda r: Response(200, {**RESPONSES["well_known"], "m.homeserver": {"base_url": sim.base_url}}),
    )
    with front:
        result = sign_in(
            f"http://127.0.0.1:{front.port}", user="community", password=sim.owner_password, http=fast_http()
        )
    assert result.base_url == sim.base_url


def test_spec_login_example_and_its_well_known():
    # The spec's example answer points at https://example.org, which is kept as the new base URL.
    server = SimulatorServer()
    server.add_route("GET", r"/_matrix/client/versions", lambda r: Response(200, RESPONSES["versions"]), auth=False)
    server.add_route("GET", V3 + r"/login", lambda r: Response(200, RESPONSES["login_flows"]), auth=False)
    server.add_route("POST", V3 + r"/login", lambda r: Response(200, RESPONSES["login"]), auth=False)
    server.add_route("GET", r".*/displayname", lambda r: Response(404, {"errcode": "M_NOT_FOUND"}), auth=False)
    with server:
        result = sign_in(server.base_url, user="cheeky_monkey", password="ilovebananas", http=fast_http())
    assert result.handle == "@cheeky_monkey:matrix.org"
    assert result.display_name == "cheeky_monkey"
    assert result.base_url == "https://example.org"
    assert result.secrets == {"access_token": "abc123"}
    assert result.settings["device_id"] == "GHTYAJCE"


def test_deactivated_and_rate_limited_logins():
    server = SimulatorServer()
    answers = [
        Response(403, {"errcode": "M_USER_DEACTIVATED", "error": "This account has been deactivated"}),
        Response(429, RESPONSES["rate_limited"]),
    ]
    server.add_route("GET", r"/_matrix/client/versions", lambda r: Response(200, RESPONSES["versions"]), auth=False)
    server.add_route("GET", V3 + r"/login", lambda r: Response(200, RESPONSES["login_flows"]), auth=False)
    server.add_route("POST", V3 + r"/login", lambda r: answers.pop(0), auth=False)
    with server:
        with pytest.raises(SignInError) as error:
            sign_in(server.base_url, user="a", password="b", http=fast_http())
        assert error.value.reason == "deactivated"
        with pytest.raises(RateLimited) as limited:
            sign_in(server.base_url, user="a", password="b", http=fast_http())
        assert limited.value.retry_after == pytest.approx(2.0)


def test_server_errors_during_discovery_are_transient(sim):
    sim.faults.error_rate = 1.0
    with pytest.raises(Transient):
        sign_in(sim.base_url, user="community", password=sim.owner_password, http=fast_http())


def test_sign_in_error_is_permanent():
    assert issubclass(SignInError, Permanent)
