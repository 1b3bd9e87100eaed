"""The HTTP layer against hand-made loopback servers: answers without an honest length are cut
off at the client's cap in bounded memory, a name that cannot be resolved reads as "offline",
an untrusted certificate is always refused, and retry delays back off exponentially with jitter.

Every server here listens on 127.0.0.1; name resolution is replaced, so no real DNS is asked."""

from __future__ import annotations

import datetime as dt
import http.server
import inspect
import ipaddress
import itertools
import random
import socket
import ssl
import threading
import tracemalloc
import zlib

import pytest
import requests

from cmdesk.connectors.base import Permanent, Transient
from cmdesk.connectors.http import HttpClient, ResponseTooLarge
from cmdesk.services.sync import is_offline_error

BIG = 50 * 1024 * 1024  # what a hostile or broken server sends
BLOCK = 64 * 1024
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def client(**kwargs) -> HttpClient:
    kwargs.setdefault("backoff_base", 0.001)
    kwargs.setdefault("backoff_cap", 0.002)
    return HttpClient(label="test", **kwargs)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """Requests go straight to the loopback servers, whatever the developer's shell exports."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class _Loopback:
    """A threaded stdlib HTTP(S) server on 127.0.0.1; ``routes`` maps a path to ``fn(handler)``.

    ``sent`` holds, per answer, the body bytes the server managed to write before the client hung up.
    """

    def __init__(self, routes, ssl_context: ssl.SSLContext | None = None):
        seen = self.seen = []
        sent = self.sent = []
        done = self.done = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                seen.append(self.path)
                try:
                    sent.append(routes[self.path](self))
                except OSError:  # the client hung up first
                    sent.append(-1)
                finally:
                    done.set()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _answer(handler, body: bytes, *, status: int = 200, encoding: str = "") -> int:
    """A whole JSON answer with an honest Content-Length; returns its size."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    if encoding:
        handler.send_header("Content-Encoding", encoding)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return len(body)


def _stream(handler, headers: dict[str, str], *, chunked: bool, total: int = BIG) -> int:
    """Send ``total`` bytes of body in 64 KB writes; returns how many got out before the client left."""
    handler.send_response(200)
    for name, value in headers.items():
        handler.send_header(name, value)
    if chunked:
        handler.send_header("Transfer-Encoding", "chunked")
    else:
        handler.close_connection = True  # an answer that ends when the connection does
    handler.end_headers()
    block = b"x" * BLOCK
    frame = f"{BLOCK:x}\r\n".encode() + block + b"\r\n" if chunked else block
    written = 0
    try:
        while written < total:
            handler.wfile.write(frame)
            written += BLOCK
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass
    return written


def _peak_during(call) -> tuple[object, int]:
    """What ``call()`` returned or raised, and the peak of Python memory allocated meanwhile."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        try:
            outcome = call()
        except Exception as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---- 1. answers bigger than the cap, without an honest Content-Length ---------------------


@pytest.mark.parametrize(
    ("headers", "chunked"),
    [
        pytest.param({}, True, id="chunked-no-length"),
        # Transfer-Encoding wins over Content-Length (RFC 9112 6.3): the small length is a lie.
        pytest.param({"Content-Length": "1024"}, True, id="chunked-with-lying-length"),
        pytest.param({"Connection": "close"}, False, id="until-close-no-length"),
    ],
)
def test_an_answer_without_an_honest_length_is_cut_off_at_the_cap_in_bounded_memory(headers, chunked):
    """The streamed read stops at ``max_bytes`` with ``ResponseTooLarge``: the Content-Length check
    cannot catch these, memory stays near the cap, and the client hangs up instead of draining."""
    routes = {"/big": lambda h: _stream(h, {"Content-Type": "application/json", **headers}, chunked=chunked)}
    with _Loopback(routes) as server:
        http = client(retries=0)
        outcome, peak = _peak_during(lambda: http.request("GET", f"{server.url}/big"))
        assert isinstance(outcome, ResponseTooLarge), outcome
        assert "sent more than" in str(outcome)  # the streamed cap, not the Content-Length check
        assert f"{http.max_bytes:,}" in str(outcome)
        assert peak < http.max_bytes + 2 * 1024 * 1024, f"peak {peak:,} bytes"
        assert peak < BIG // 4
        assert server.done.wait(10)
    assert server.sent[0] < BIG // 2  # the client hung up: the rest was never pulled in


def test_a_compressed_answer_is_capped_by_its_decompressed_size():
    """A 50 KB gzip body that inflates to 50 MB passes the Content-Length check but is refused while
    it is being inflated, without ever holding the whole inflated answer."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = bytes(1024 * 1024)
    bomb = b"".join(squeeze.compress(zeros) for _ in range(BIG // len(zeros))) + squeeze.flush()
    assert len(bomb) < 1024 * 1024

    def gzip_bomb(handler):
        return _answer(handler, bomb, encoding="gzip")

    with _Loopback({"/bomb": gzip_bomb}) as server:
        http = client(retries=0)
        outcome, peak = _peak_during(lambda: http.request("GET", f"{server.url}/bomb"))
    assert isinstance(outcome, ResponseTooLarge), outcome
    assert "sent more than" in str(outcome)
    assert peak < http.max_bytes + 4 * 1024 * 1024, f"peak {peak:,} bytes"


def test_a_short_content_length_bounds_what_is_read_and_the_rest_is_never_taken_for_an_answer():
    """With a plain Content-Length that is too small, HTTP framing ends the answer there: the client
    holds the declared bytes only, and the junk that follows does not poison the next request."""

    def lying(handler):
        return _stream(handler, {"Content-Type": "text/plain", "Content-Length": "1024"}, chunked=False)

    def ok(handler):
        return _answer(handler, b'{"ok": true}')

    with _Loopback({"/lying": lying, "/ok": ok}) as server:
        http = client(retries=0)
        response, peak = _peak_during(lambda: http.request("GET", f"{server.url}/lying"))
        assert not isinstance(response, Exception), response
        assert response.status == 200 and response.body == b"x" * 1024
        assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes"
        assert http.get_json(f"{server.url}/ok") == {"ok": True}
        http.close()  # the server's endless write now fails
        assert server.done.wait(10)


# ---- 2. a name that cannot be resolved ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (socket.EAI_NONAME, "Name or service not known"),
        (socket.EAI_AGAIN, "Temporary failure in name resolution"),  # what Linux says when offline
    ],
)
def test_a_name_that_cannot_be_resolved_is_an_offline_error(monkeypatch, code, text):
    """A failed lookup becomes a retried ``Transient`` whose sentence says the name could not be found
    (offline?), which the sync service recognises as being offline; no real resolver is asked."""
    looked_up = []

    def getaddrinfo(host, *args, **kwargs):
        looked_up.append(host)
        raise socket.gaierror(code, text)

    def no_lookup(*args, **kwargs):
        raise AssertionError("a real DNS lookup was attempted")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", no_lookup)
    monkeypatch.setattr(socket, "gethostbyname_ex", no_lookup)
    waits = []
    http = client(retries=2, sleep=waits.append)
    with pytest.raises(Transient) as raised:
        http.request("GET", "https://mastodon.example/api/v1/notifications")
    error = raised.value
    assert not isinstance(error, requests.RequestException)
    assert looked_up == ["mastodon.example"] * 3 and len(waits) == 2  # a network hiccup is retried
    message = str(error)
    assert message.startswith("Cannot reach mastodon.example: ")
    assert "server name could not be found" in message and "offline" in message
    assert text not in message  # the user reads a sentence, not the resolver's words
    assert is_offline_error(error)


# ---- 3. TLS verification cannot be turned off ---------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """A certificate for 127.0.0.1 and localhost signed by itself, and its key, as PEM files."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def https_server(self_signed):
    cert_file, key_file = self_signed
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)

    def ok(handler):
        return _answer(handler, b'{"secure": true}')

    with _Loopback({"/ok": ok}, ssl_context=context) as server:
        yield server


@pytest.mark.parametrize("bundle", [None, ""], ids=["no-bundle-variables", "empty-bundle-variables"])
def test_an_untrusted_certificate_is_refused_with_a_typed_error(https_server, monkeypatch, bundle):
    """A self-signed certificate is a ``Permanent`` error saying so, sent once; empty
    REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (which some tools use to mean "don't verify") change nothing."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        if bundle is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, bundle)
    with pytest.raises(Permanent) as raised:
        client().request("GET", f"{https_server.url}/ok")
    assert not isinstance(raised.value, requests.RequestException)
    assert "certificate is not valid" in str(raised.value)
    assert https_server.seen == []  # no request was ever sent over the untrusted connection


def test_verification_cannot_be_switched_off_through_the_client_or_its_session(https_server, monkeypatch):
    """``HttpClient`` has no way to say ``verify=False``: a session handed in with verification off
    is verified anyway."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    assert not any("verify" in p or "ssl" in p or "cert" in p for p in inspect.signature(HttpClient).parameters)
    lax = requests.Session()
    lax.verify = False
    with pytest.raises(Permanent, match="certificate is not valid"):
        client(session=lax).request("GET", f"{https_server.url}/ok")
    assert https_server.seen == []


def test_a_ca_bundle_from_the_environment_is_honoured(https_server, self_signed, monkeypatch):
    """The control for the refusals above: the same server is accepted once its certificate is in
    the REQUESTS_CA_BUNDLE (a company's inspecting proxy is set up this way), so they were about trust."""
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(self_signed[0]))
    assert client().get_json(f"{https_server.url}/ok") == {"secure": True}
    assert https_server.seen == ["/ok"]


# ---- 4. exponential backoff with full jitter ----------------------------------------------


class _RecordingRandom(random.Random):
    """A seeded ``Random`` that remembers the ranges it was asked to draw from."""

    def __init__(self, seed):
        super().__init__(seed)
        self.ranges = []

    def uniform(self, a, b):
        self.ranges.append((a, b))
        return super().uniform(a, b)


def _always_busy(handler):
    return _answer(handler, b'{"error": "busy"}', status=503)


def test_retry_delays_double_up_to_the_cap_and_are_jittered():
    """Each retry waits a random time in [0, base * 2**attempt], the ceiling capped at ``backoff_cap``;
    the waits go through the injected sleep and random source (no real sleeping here)."""
    with _Loopback({"/busy": _always_busy}) as server:
        waits, rng = [], _RecordingRandom(1234)
        http = client(retries=7, backoff_base=0.5, backoff_cap=30.0, sleep=waits.append, rng=rng)
        with pytest.raises(Transient, match="HTTP 503"):
            http.request("GET", f"{server.url}/busy")
        assert len(server.seen) == 8
    ceilings = [http.backoff_base * 2**attempt for attempt in range(6)] + [http.backoff_cap]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert rng.ranges == [(0, ceiling) for ceiling in ceilings]
    assert len(waits) == 7 and all(0 <= w <= c for w, c in zip(waits, ceilings, strict=True))
    assert waits != ceilings and len(set(waits)) == 7  # jittered, not fixed steps
    # The same seed gives the same waits: the random source really is the one handed in.
    again = client(retries=7, backoff_base=0.5, backoff_cap=30.0, rng=random.Random(1234))
    assert [again._backoff(attempt) for attempt in range(7)] == waits


def test_jitter_spreads_delays_over_the_whole_range_and_their_mean_doubles():
    """Sampled many times, the delay for each attempt covers [0, ceiling] evenly (mean about half the
    ceiling) and the mean doubles from one attempt to the next, so clients retrying at once drift apart."""
    http = client(backoff_base=0.5, backoff_cap=1000.0, rng=random.Random(99))
    means = []
    for attempt in range(6):
        ceiling = 0.5 * 2**attempt
        samples = [http._backoff(attempt) for _ in range(4000)]
        assert 0 <= min(samples) < 0.05 * ceiling and 0.95 * ceiling < max(samples) <= ceiling
        assert len(set(samples)) > 3900
        means.append(sum(samples) / len(samples))
        assert means[-1] == pytest.approx(ceiling / 2, rel=0.05)
    for smaller, larger in itertools.pairwise(means):
        assert larger / smaller == pytest.approx(2, rel=0.1)
    # Two clients without a seed do not retry in lockstep.
    assert client()._backoff(3) != client()._backoff(3)
