"""A small loopback HTTP server that platform simulators are built on, with switchable faults.

Each simulator (Mastodon, Bluesky, Matrix…) registers routes that follow its platform's
documented paths and JSON shapes. This base adds what every test of a connector needs: a
random port on 127.0.0.1, bearer-token checks, a request log, and faults that can be turned
on while the server runs — latency, 5xx, malformed or truncated JSON, connection resets,
expired tokens, 429 storms with ``Retry-After``, oversized answers.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Faults:
    """What goes wrong, and how often. Rates are probabilities per request (0…1)."""

    latency: float = 0.0  # seconds added to every answer
    error_rate: float = 0.0  # answer 503
    malformed_rate: float = 0.0  # answer 200 with a body that is not JSON
    truncate_rate: float = 0.0  # promise a longer body than sent, then hang up
    reset_rate: float = 0.0  # close the connection without answering
    expired_token: bool = False  # every authenticated call answers 401
    rate_limit: int | None = None  # requests allowed per window before 429
    rate_window: float = 60.0
    retry_after: float = 1.0
    oversize_bytes: int = 0  # when > 0, answer GETs with this many bytes of JSON
    extra_fields: bool = False  # a newer server: every JSON object carries fields never seen before
    seed: int | None = None

    def clear(self) -> None:
        fresh = Faults()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route pattern

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name: str) -> list[str]:
        return self.query.get(name, []) + self.query.get(name + "[]", [])

    def json(self) -> dict:
        if not self.body:
            return {}
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        """A form or JSON body as ``name -> values`` (Mastodon accepts both)."""
        kind = self.headers.get("content-type", "")
        if "json" in kind:
            data = self.json()
            return {k: (v if isinstance(v, list) else [v]) for k, v in data.items()}
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else None


@dataclass
class Response:
    status: int = 200
    body: object = None  # JSON-able, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


Handler = Callable[[Request], Response]

# What a future version of a platform might add to every object it sends: new scalars, objects,
# lists and nulls, under names no connector reads.
EXTRA_FIELDS = {
    "x_future_flag": True,
    "x_future_note": "<b>not for display</b>",
    "x_future_object": {"id": 7, "items": [1, "deux", None]},
    "x_future_null": None,
}


# Is this dict a map keyed by ids (rooms by room id, levels by user id) rather than an object with
# fields? Arguments: the key it sits under (None at the top), the dict, the dict holding it.
KeyedMap = Callable[[str | None, dict, dict | None], bool]


def with_extra_fields(response: Response, keyed_map: KeyedMap | None = None) -> Response:
    """``response`` with ``EXTRA_FIELDS`` in every JSON object of its body (others as they are).

    Dicts that ``keyed_map`` names are maps, not objects: a key added there would be a new room
    or user, not a new field, so they keep their keys (what they hold still grows)."""
    body = response.body
    if isinstance(body, str | bytes):
        try:
            body = json.loads(body)
        except ValueError:
            return response

    def grow(value, key=None, parent=None):
        if isinstance(value, dict):
            grown = {k: grow(v, k, value) for k, v in value.items()}
            return grown if keyed_map and keyed_map(key, value, parent) else {**grown, **EXTRA_FIELDS}
        if isinstance(value, list):
            return [grow(v, None, None) for v in value]
        return value

    return Response(response.status, grow(body), response.headers)


@dataclass
class _Route:
    method: str
    pattern: re.Pattern
    handler: Handler
    auth: bool


class SimulatorServer:
    """Base class of every platform simulator: routes, faults, a log, start/stop on 127.0.0.1."""

    name = "simulator"

    def __init__(self, *, port: int = 0, faults: Faults | None = None):
        self.faults = faults or Faults()
        self._routes: list[_Route] = []
        self._lock = threading.RLock()
        self._rng = random.Random(self.faults.seed)
        self._window: list[float] = []
        self.log: list[tuple[str, str, int]] = []
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle

    def start(self) -> str:
        handler = _make_handler(self)
        self._server = _QuietServer(("127.0.0.1", self._port), handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]  # keep the port: a restart reuses it
        # A short poll interval: stop() returns in ~50 ms instead of 0.5 s (tests start many servers).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("simulator not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- routes

    def route(self, method: str, pattern: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
        """Register a handler for ``METHOD`` and a path regex with named groups (full match)."""

        def register(handler: Handler) -> Handler:
            self._routes.append(_Route(method.upper(), re.compile(pattern), handler, auth))
            return handler

        return register

    def add_route(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        self.route(method, pattern, auth=auth)(handler)

    def check_token(self, token: str | None) -> bool:
        """Subclasses say which bearer tokens are valid."""
        return token is not None

    def unauthorized(self, request: Request) -> Response:
        return Response(401, {"error": "The access token is invalid"})

    def not_found(self, request: Request) -> Response:
        return Response(404, {"error": "Record not found"})

    def rate_limited(self, request: Request) -> Response:
        return Response(429, {"error": "Too many requests"}, {"Retry-After": f"{self.faults.retry_after:g}"})

    def is_keyed_map(self, request: Request, key: str | None, obj: dict, parent: dict | None) -> bool:
        """Subclasses whose JSON holds maps keyed by ids name them (see ``with_extra_fields``)."""
        return False

    # -- dispatch (runs on the server's threads)

    def dispatch(self, request: Request) -> Response | str:
        """Returns a response, or the name of a transport fault to act out."""
        faults = self.faults
        with self._lock:
            roll = self._rng.random
            if faults.latency:
                time.sleep(faults.latency)
            if faults.reset_rate and roll() < faults.reset_rate:
                return "reset"
            if faults.rate_limit is not None:
                now = time.monotonic()
                self._window = [t for t in self._window if now - t < faults.rate_window]
                if len(self._window) >= faults.rate_limit:
                    return self.rate_limited(request)
                self._window.append(now)
            if faults.error_rate and roll() < faults.error_rate:
                return Response(503, {"error": "Service temporarily unavailable"})
            malformed = faults.malformed_rate and roll() < faults.malformed_rate
            truncated = faults.truncate_rate and roll() < faults.truncate_rate
        if faults.oversize_bytes and request.method == "GET":
            return Response(200, b'{"padding": "' + b"x" * faults.oversize_bytes + b'"}')
        for route in self._routes:
            if route.method != request.method:
                continue
            match = route.pattern.fullmatch(request.path)
            if not match:
                continue
            if route.auth and (faults.expired_token or not self.check_token(request.bearer())):
                return self.unauthorized(request)
            request.params = {k: v for k, v in match.groupdict().items() if v is not None}
            try:
                response = route.handler(request)
            except (ValueError, KeyError, TypeError) as exc:
                response = Response(400, {"error": f"Invalid request: {exc}"})
            if malformed and response.status == 200:
                return Response(200, b'{"id": "1", "content": <html>oops', response.headers)
            if truncated and response.status == 200:
                return "truncate"
            if faults.extra_fields and response.status < 300:
                return with_extra_fields(response, lambda *where: self.is_keyed_map(request, *where))
            return response
        return self.not_found(request)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # Clients that hang up (timeouts, fault tests) are normal here, not worth a traceback.
        pass


def _make_handler(simulator: SimulatorServer):
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms delayed-ACK stalls

        def log_message(self, format, *args):  # silence the stderr log of http.server
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                outcome = simulator.dispatch(request)
            except Exception as exc:  # a simulator bug must show as a 500, not a hung client
                outcome = Response(500, {"error": f"simulator error: {exc!r}"})
            if outcome == "reset":
                self._reset()
                return
            if outcome == "truncate":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b'{"partial": [1, 2, 3')
                self.wfile.flush()
                self._reset()
                return
            assert isinstance(outcome, Response)
            payload = outcome.encoded()
            with simulator._lock:
                simulator.log.append((self.command, parts.path, outcome.status))
            self.send_response(outcome.status)
            headers = {"Content-Type": "application/json; charset=utf-8", "Date": formatdate(usegmt=True)}
            headers.update(outcome.headers)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _reset(self) -> None:
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    return _Handler
