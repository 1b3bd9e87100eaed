"""The one HTTP layer: every connector talks to its platform through ``HttpClient``.

It owns what every platform needs and nobody should write twice: timeouts, retries with
exponential backoff and full jitter (only for calls that are safe to repeat), ``Retry-After``
and rate-limit headers, a per-account request budget, bounded response sizes, proxies from
the environment, TLS verification that cannot be turned off, and logs that never show a
token. HTTP failures become the typed errors of ``cmdesk.connectors.base``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import parse_header_links

from cmdesk import __version__
from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Transient
from cmdesk.core.cpu_turn import BACKGROUND
from cmdesk.core.redaction import REDACTED, scrub

log = logging.getLogger("cmdesk.http")

USER_AGENT = f"CMDesk/{__version__} (+https://github.com/cmdesk/cmdesk)"
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # no API page we read is anywhere near this
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

# ---- redaction ----------------------------------------------------------------------------

SECRET_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "accessjwt",
        "refreshjwt",
        "token",
        "password",
        "client_secret",
        "code",
        "code_verifier",
        "authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api_key",
        "apikey",
        "key",
        "secret",
        "app_password",
        "session",
    }
)


def redact_url(url: str) -> str:
    """The URL with secret query parameters (``access_token=…``) and user info replaced."""
    parts = urlsplit(url)
    query = [(k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in parse_qsl(parts.query, True)]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="[]"), ""))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_KEYS else v) for k, v in headers.items()}


def redact_body(body: object) -> object:
    """A copy of a JSON-like body with secret fields replaced, at any depth."""
    if isinstance(body, Mapping):
        return {k: (REDACTED if str(k).lower() in SECRET_KEYS else redact_body(v)) for k, v in body.items()}
    if isinstance(body, list | tuple):
        return [redact_body(v) for v in body]
    return body


# ---- URL policy ---------------------------------------------------------------------------


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """Normalise a server URL typed by a user; plain ``http://`` only for loopback addresses.

    Raises ``Permanent`` with a sentence the user can act on.
    """
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Permanent(f"“{url}” is not a web address (expected https://example.org).")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise Permanent(
            f"“{url}” uses plain http://, which would send your credentials unencrypted. "
            "Use https:// (plain http is only accepted for servers on this computer)."
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


# ---- rate control -------------------------------------------------------------------------


@dataclass
class RequestBudget:
    """A token bucket: at most ``capacity`` requests per ``per_seconds`` for one account."""

    capacity: int = 300
    per_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(init=False)
    _stamp: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._tokens = float(self.capacity)
        self._stamp = self.clock()

    def take(self) -> float:
        """Use one request; returns 0, or the seconds to wait before one is available."""
        with self._lock:
            now = self.clock()
            rate = self.capacity / self.per_seconds
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / rate


@dataclass
class RateState:
    """What the platform's rate-limit headers last said (``remaining`` requests until ``reset_at``)."""

    remaining: int | None = None
    reset_at: float | None = None  # time.time() seconds

    def wait_needed(self, now: float) -> float:
        if self.remaining is not None and self.remaining <= 0 and self.reset_at and self.reset_at > now:
            return self.reset_at - now
        return 0.0


def _server_now(headers: Mapping[str, str], local_now: float) -> float:
    """The server's clock from its ``Date`` header (to survive clock skew), else ours."""
    try:
        return parsedate_to_datetime(headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError, IndexError):
        return local_now


def _parse_reset(value: str, server_now: float) -> float | None:
    """A reset time given as epoch seconds, seconds-from-now, HTTP date or ISO 8601; as seconds to wait."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        return max(0.0, number - server_now) if number > 1_000_000_000 else max(0.0, number)
    for parse in (parsedate_to_datetime, lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))):
        try:
            moment = parse(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, moment.timestamp() - server_now)
    return None


def retry_after_seconds(headers: Mapping[str, str], body: bytes = b"", now: float | None = None) -> float | None:
    """How long the server asked us to wait: ``Retry-After``, rate-limit reset headers, or Matrix's
    ``retry_after_ms`` in the body. Times are taken relative to the server's ``Date`` header."""
    local_now = time.time() if now is None else now
    server_now = _server_now(headers, local_now)
    if "Retry-After" in headers:
        parsed = _parse_reset(headers["Retry-After"], server_now)
        if parsed is not None:
            return parsed
    if body:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("retry_after_ms"), int | float):
            return max(0.0, payload["retry_after_ms"] / 1000)
    for name in ("X-RateLimit-Reset", "RateLimit-Reset"):
        if name in headers:
            parsed = _parse_reset(headers[name], server_now)
            if parsed is not None:
                return parsed
    return None


# ---- responses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: CaseInsensitiveDict
    body: bytes
    url: str

    def json(self):
        """The body as JSON; a malformed or truncated body is a ``Transient`` error."""
        return decode_json(self.body, urlsplit(self.url).hostname or self.url)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def link(self, rel: str) -> str | None:
        """The URL of a ``Link:`` header relation (``next``, ``prev``), as Mastodon paginates."""
        for entry in parse_header_links(self.headers.get("Link", "")):
            if entry.get("rel") == rel:
                return entry.get("url")
        return None


def decode_json(body: bytes, host: str):
    """``body`` as JSON; a malformed or truncated body is a ``Transient`` error naming ``host``.

    orjson reads a 200 KB page of Mastodon notifications in a quarter of the time ``json`` takes
    (about a third of the cost of turning a page into items). What it refuses and ``json``
    accepts (a lone surrogate escape, NaN, a byte order mark) goes to ``json``, as before. An
    integer past 64 bits comes back as a float: no API we read sends one (ids are strings or
    64-bit numbers).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Transient(f"{host} sent a malformed answer ({exc}).") from exc


class ResponseTooLarge(Permanent):
    """The server sent more than we accept to hold in memory."""


def error_message(response: HttpResponse) -> str:
    """The platform's own error text when its body carries one (Mastodon, Matrix, XRPC shapes)."""
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return response.text[:200].strip()
    if isinstance(payload, dict):
        for key in ("error_description", "error", "message"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                code = payload.get("errcode") or (payload.get("error") if key == "message" else None)
                return f"{value} ({code})" if code and code != value else value
    return ""


# ---- the client ---------------------------------------------------------------------------


class HttpClient:
    """Blocking HTTP for one account. Thread-safe enough for one sync worker plus the outbox."""

    def __init__(
        self,
        *,
        label: str = "",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_inline_wait: float = 30.0,
        budget: RequestBudget | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ):
        self.label = label
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_inline_wait = max_inline_wait
        self.budget = budget or RequestBudget()
        self.rate = RateState()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        # HTTP(S)_PROXY / NO_PROXY from the environment, read once per server (``_proxies_for``):
        # with ``trust_env`` requests reads the whole environment and ~/.netrc at every request
        # (about 0.3 ms a page), and a .netrc password must never replace the keyring's token.
        self.session.trust_env = False
        self._proxies: dict[tuple[str, str], dict[str, str]] = {}
        self._verify: str | bool = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._cancel = threading.Event()
        self.requests_sent = 0

    def cancel(self) -> None:
        """Make waits and retries stop early (account removed, app closing)."""
        self._cancel.set()

    def close(self) -> None:
        self.cancel()
        self.session.close()

    # -- the main entry point

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping | list | None = None,
        json_body: object = None,
        data: Mapping | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        ok_statuses: tuple[int, ...] = (),
        max_bytes: int | None = None,
    ) -> HttpResponse:
        """Send one request, retrying when that is safe; return the response or raise a typed error.

        ``idempotent`` defaults to the method's nature, or True when an ``Idempotency-Key`` header
        is given. ``ok_statuses`` are non-2xx statuses the caller wants back instead of an error.
        """
        method = method.upper()
        headers = dict(headers or {})
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS or any(h.lower() == "idempotency-key" for h in headers)
        attempts = 1 + (self.retries if idempotent else 0)
        last_error: Exception | None = None
        for attempt in range(attempts):
            if self._cancel.is_set():
                raise Transient("Cancelled.")
            self._respect_limits()
            try:
                response = self._send(method, url, params, json_body, data, headers, max_bytes)
            except Transient as exc:
                last_error = exc
                if attempt + 1 < attempts:
                    self._wait(self._backoff(attempt))
                    continue
                raise
            if 200 <= response.status < 300 or response.status in ok_statuses:
                return response
            error = self._error_for(response)
            last_error = error
            retryable = response.status in RETRY_STATUSES and attempt + 1 < attempts
            if not retryable:
                raise error
            wait = error.retry_after if isinstance(error, RateLimited) else self._backoff(attempt)
            if wait > self.max_inline_wait:
                raise error  # a long pause is the service's job (it reschedules), not a blocked thread's
            self._wait(wait)
        raise last_error or Transient("Request failed.")

    def get_json(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs).json()

    def post_json(self, url: str, body: object, **kwargs):
        return self.request("POST", url, json_body=body, **kwargs).json()

    # -- internals

    def _respect_limits(self) -> None:
        wait = max(self.budget.take(), self.rate.wait_needed(time.time()))
        if wait <= 0:
            return
        if wait > self.max_inline_wait:
            raise RateLimited(f"{self.label or 'This account'} is out of requests for now.", wait)
        self._wait(wait)

    def _proxies_for(self, url: str) -> dict[str, str]:
        """The environment's proxies for ``url``'s server ({} when NO_PROXY exempts it)."""
        origin = urlsplit(url)[:2]
        proxies = self._proxies.get(origin)
        if proxies is None:
            proxies = self._proxies[origin] = requests.utils.get_environ_proxies(url)
        return proxies

    def _send(self, method, url, params, json_body, data, headers, max_bytes) -> HttpResponse:
        limit = max_bytes or self.max_bytes
        started = time.monotonic()
        host = urlsplit(url).hostname or url
        try:
            with (
                BACKGROUND.released(),
                self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=True,
                    proxies=self._proxies_for(url),
                    verify=self._verify,  # never False: a CA bundle from the environment at most
                ) as raw,
            ):
                self.requests_sent += 1
                declared = raw.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise ResponseTooLarge(f"{host} sent {int(declared):,} bytes; CMDesk accepts at most {limit:,}.")
                chunks, size = [], 0
                for chunk in raw.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise ResponseTooLarge(f"{host} sent more than {limit:,} bytes; the answer was refused.")
                    chunks.append(chunk)
                response = HttpResponse(raw.status_code, raw.headers, b"".join(chunks), raw.url)
        except requests.exceptions.SSLError as exc:
            raise Permanent(f"The secure connection to {host} failed: its certificate is not valid ({exc}).") from exc
        except requests.exceptions.Timeout as exc:
            raise Transient(f"{host} did not answer in time.") from exc
        except requests.exceptions.ConnectionError as exc:
            raise Transient(f"Cannot reach {host}: {_reason(exc)}") from exc
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise Transient(f"The answer from {host} was cut off.") from exc
        except requests.exceptions.InvalidURL as exc:
            raise Permanent(f"“{url}” is not a valid address.") from exc
        except requests.exceptions.RequestException as exc:
            raise Transient(f"Request to {host} failed: {_reason(exc)}") from exc
        self._note_rate_headers(response)
        log.debug(
            "%s %s -> %s (%d bytes, %.0f ms)",
            method,
            redact_url(url),
            response.status,
            len(response.body),
            (time.monotonic() - started) * 1000,
        )
        return response

    def _note_rate_headers(self, response: HttpResponse) -> None:
        headers = response.headers
        remaining = headers.get("X-RateLimit-Remaining") or headers.get("RateLimit-Remaining")
        if remaining is None or not remaining.strip().lstrip("-").isdigit():
            return
        self.rate.remaining = int(remaining)
        reset_in = retry_after_seconds({k: v for k, v in headers.items() if k.lower() != "retry-after"})
        self.rate.reset_at = time.time() + reset_in if reset_in is not None else None

    def _error_for(self, response: HttpResponse):
        status = response.status
        host = urlsplit(response.url).hostname
        detail = error_message(response)
        suffix = f": {detail}" if detail else "."
        if status == 401:
            return AuthExpired(f"{host} no longer accepts this account's sign-in{suffix}")
        if status == 403:
            return Permanent(f"{host} refused this action (forbidden){suffix}")
        if status in (404, 410):
            return NotFound(f"{host} says this no longer exists{suffix}")
        if status == 429:
            wait = retry_after_seconds(response.headers, response.body)
            return RateLimited(f"{host} asks CMDesk to slow down{suffix}", 60.0 if wait is None else wait)
        if status >= 500 or status in RETRY_STATUSES:
            return Transient(f"{host} had a problem (HTTP {status}){suffix}")
        return Permanent(f"{host} rejected the request (HTTP {status}){suffix}")

    def _backoff(self, attempt: int) -> float:
        # Full jitter (AWS architecture blog): spreads retries of many clients apart.
        return self._rng.uniform(0, min(self.backoff_cap, self.backoff_base * (2**attempt)))

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with BACKGROUND.released():  # a sleeping thread leaves its turn to others
            if self._sleep is time.sleep:
                if self._cancel.wait(seconds):
                    raise Transient("Cancelled.")
            else:
                self._sleep(seconds)


_REASON_PATTERNS = (
    (
        re.compile(r"Name or service not known|nodename nor servname|getaddrinfo failed|Failed to resolve", re.I),
        "the server name could not be found (offline, or a typo in the address?)",
    ),
    (re.compile(r"Connection refused", re.I), "the connection was refused"),
    (re.compile(r"Connection reset|RemoteDisconnected|Connection aborted", re.I), "the connection was cut"),
    (re.compile(r"Network is unreachable", re.I), "the network is unreachable (offline?)"),
)


def _reason(exc: Exception) -> str:
    text = str(exc)
    for pattern, reason in _REASON_PATTERNS:
        if pattern.search(text):
            return reason
    return scrub(text)[:200]
