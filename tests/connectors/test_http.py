"""The one HTTP layer against a loopback server: typed errors, bounded memory, safe retries,
rate limits read from headers (with the server's clock), and logs that never show a token."""

from __future__ import annotations

import logging
import threading
import time
from email.utils import formatdate

import pytest

from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Transient
from cmdesk.connectors.http import (
    HttpClient,
    RequestBudget,
    ResponseTooLarge,
    check_server_url,
    decode_json,
    redact_body,
    redact_headers,
    redact_url,
    retry_after_seconds,
)
from cmdesk.connectors.simulators.server import Faults, Response, SimulatorServer
from cmdesk.core.redaction import SecretFilter, register_secret


@pytest.fixture
def server():
    sim = SimulatorServer(faults=Faults(seed=3))
    calls = {"n": 0}

    def ok(request):
        calls["n"] += 1
        return Response(200, {"ok": True, "n": calls["n"]})

    def status(request):
        return Response(int(request.params["code"]), {"error": f"status {request.params['code']}"})

    def slow(request):
        time.sleep(1.0)
        return Response(200, {"late": True})

    def post(request):
        calls["n"] += 1
        return Response(503, {"error": "busy"})

    sim.add_route("GET", r"/ok", ok, auth=False)
    sim.add_route("GET", r"/status/(?P<code>\d+)", status, auth=False)
    sim.add_route("GET", r"/slow", slow, auth=False)
    sim.add_route("POST", r"/post", post, auth=False)
    sim.calls = calls
    with sim:
        yield sim


def client(**kwargs) -> HttpClient:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.02)
    return HttpClient(label="test", **kwargs)


@pytest.mark.parametrize(
    ("body", "value"),
    [
        (b'{"id": "1", "n": 18446744073709551615}', {"id": "1", "n": 18446744073709551615}),
        # What the fast reader refuses and the standard one accepts is still read.
        (b'{"text": "\\ud800 lone"}', {"text": "\ud800 lone"}),
        (b'{"score": NaN}', None),
        (b'\xef\xbb\xbf{"bom": true}', {"bom": True}),
    ],
)
def test_platform_json_is_read_fast_and_as_leniently_as_before(body, value):
    decoded = decode_json(body, "example.org")
    if value is None:
        assert decoded["score"] != decoded["score"]  # NaN
    else:
        assert decoded == value


@pytest.mark.parametrize("body", [b'{"items": [1, 2', b"<html>502</html>", b"[1] trailing", b'{"a": "\xff"}'])
def test_malformed_json_is_a_transient_error_naming_the_server(body):
    with pytest.raises(Transient, match=r"example\.org sent a malformed answer"):
        decode_json(body, "example.org")


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (401, AuthExpired),
        (403, Permanent),
        (404, NotFound),
        (410, NotFound),
        (422, Permanent),
        (500, Transient),
        (503, Transient),
    ],
)
def test_statuses_become_typed_errors(server, code, error):
    with pytest.raises(error) as raised:
        client().request("GET", f"{server.base_url}/status/{code}")
    assert f"status {code}" in str(raised.value)  # the platform's own message is kept for the user


def test_idempotent_calls_are_retried_and_posts_are_not(server):
    server.faults.error_rate = 1.0
    with pytest.raises(Transient):
        client(retries=3).request("GET", f"{server.base_url}/ok")
    server.faults.clear()
    with pytest.raises(Transient):
        client(retries=3).request("POST", f"{server.base_url}/post")
    assert server.calls["n"] == 1  # a POST without an idempotency key is sent once
    with pytest.raises(Transient):
        client(retries=3).request("POST", f"{server.base_url}/post", headers={"Idempotency-Key": "k1"})
    assert server.calls["n"] == 5  # with a key it is safe to retry


def test_a_flaky_server_is_survived(server):
    server.faults.error_rate = 0.5
    results = [client(retries=6).get_json(f"{server.base_url}/ok") for _ in range(10)]
    assert all(r["ok"] for r in results)


def test_timeouts_are_transient(server):
    with pytest.raises(Transient, match="did not answer in time"):
        client(timeout=(1.0, 0.2), retries=0).request("GET", f"{server.base_url}/slow")


def test_huge_answers_are_refused_in_bounded_memory(server):
    server.faults.oversize_bytes = 50 * 1024 * 1024
    with pytest.raises(ResponseTooLarge, match="at most"):
        client(max_bytes=4 * 1024 * 1024).request("GET", f"{server.base_url}/ok")


def test_rate_limits_from_headers_use_the_servers_clock():
    server_now = 1_800_000_000.0
    headers = {"Date": formatdate(server_now, usegmt=True), "Retry-After": formatdate(server_now + 90, usegmt=True)}
    # Our clock is an hour fast: the wait is still the 90 s the server meant.
    assert retry_after_seconds(headers, now=server_now + 3600) == pytest.approx(90, abs=1)
    assert retry_after_seconds({"Retry-After": "12"}) == 12
    assert retry_after_seconds({}, b'{"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 2500}') == 2.5
    mastodon = {"Date": formatdate(server_now, usegmt=True), "X-RateLimit-Reset": "2027-01-15T08:00:30.000Z"}
    assert retry_after_seconds(mastodon, now=server_now) == pytest.approx(30, abs=1)


def test_429_with_a_long_wait_is_handed_to_the_caller(server):
    server.faults.rate_limit = 0
    server.faults.retry_after = 120
    with pytest.raises(RateLimited) as raised:
        client().request("GET", f"{server.base_url}/ok")
    assert raised.value.retry_after == 120


def test_the_request_budget_spaces_requests():
    clock = {"t": 0.0}
    budget = RequestBudget(capacity=2, per_seconds=10.0, clock=lambda: clock["t"])
    assert budget.take() == 0 and budget.take() == 0
    assert budget.take() == pytest.approx(5.0)
    clock["t"] += 5.0
    assert budget.take() == 0


def test_plain_http_only_for_loopback():
    assert check_server_url("mastodon.social") == "https://mastodon.social"
    assert check_server_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert check_server_url("http://localhost:3000") == "http://localhost:3000"
    with pytest.raises(Permanent, match="unencrypted"):
        check_server_url("http://example.org")
    with pytest.raises(Permanent, match="not a web address"):
        check_server_url("ftp://example.org")


def test_tokens_never_reach_a_log_line(server, caplog):
    secret = "tok_4f9a8b7c6d5e"
    register_secret(secret)
    assert (
        redact_url(f"https://x.test/api?access_token={secret}&q=1") == "https://x.test/api?access_token=[redacted]&q=1"
    )
    assert redact_headers({"Authorization": f"Bearer {secret}", "Accept": "json"})["Authorization"] == "[redacted]"
    assert redact_body({"password": secret, "nested": [{"refreshJwt": secret}], "name": "ok"}) == {
        "password": "[redacted]",
        "nested": [{"refreshJwt": "[redacted]"}],
        "name": "ok",
    }
    logger = logging.getLogger("cmdesk.http")
    handler_filter = SecretFilter()
    caplog.handler.addFilter(handler_filter)
    with caplog.at_level(logging.DEBUG, logger="cmdesk"):
        client().request(
            "GET",
            f"{server.base_url}/ok",
            params={"access_token": secret},
            headers={"Authorization": f"Bearer {secret}"},
        )
        logger.warning("something went wrong with %s", secret)
    assert caplog.records and secret not in caplog.text


def test_cancel_stops_a_long_wait(server):
    http = client(retries=5, backoff_base=5.0, backoff_cap=5.0)
    server.faults.error_rate = 1.0
    threading.Timer(0.3, http.cancel).start()
    started = time.monotonic()
    with pytest.raises(Transient):
        http.request("GET", f"{server.base_url}/ok")
    assert time.monotonic() - started < 4


class _LoopbackProxy:
    """A forward proxy on 127.0.0.1 that answers every request itself and keeps its request line."""

    def __init__(self):
        import http.server

        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)  # a proxy is sent the absolute URL
                body = b'{"via": "proxy"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_proxies_come_from_the_environment_and_no_proxy_exempts_a_server(server, monkeypatch):
    proxy = _LoopbackProxy()
    try:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        proxied = client()
        assert proxied.request("GET", f"{server.base_url}/ok").json() == {"via": "proxy"}
        assert proxied.request("GET", f"{server.base_url}/ok").json() == {"via": "proxy"}  # read once, kept
        assert proxy.seen == [f"{server.base_url}/ok"] * 2 and server.calls["n"] == 0
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        assert client().request("GET", f"{server.base_url}/ok").json() == {"ok": True, "n": 1}
        assert len(proxy.seen) == 2
    finally:
        proxy.close()


def test_a_netrc_password_never_reaches_a_server(server, tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password hunter2\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    seen = []

    def whoami(request):
        seen.append(request.headers.get("authorization"))
        return Response(200, {})

    server.add_route("GET", r"/whoami", whoami, auth=False)
    client().request("GET", f"{server.base_url}/whoami")
    assert seen == [None]
