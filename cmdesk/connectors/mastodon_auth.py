"""Signing in to a Mastodon instance: app registration + OAuth authorization code with PKCE.

Follows the Mastodon documentation: "Obtaining client app access" / "Logging in with an
account" (client guide), methods/apps (``POST /api/v1/apps``), methods/oauth
(``GET /oauth/authorize``, ``POST /oauth/token``; PKCE ``code_challenge`` /
``code_challenge_method=S256`` / ``code_verifier`` since Mastodon 4.3, ignored by older
servers), methods/accounts (``GET /api/v1/accounts/verify_credentials``) and methods/instance
(``GET /api/v2/instance``, ``GET /api/v1/instance`` before 4.0).

The user approves in the system browser; the browser comes back to a tiny loopback listener
on ``http://127.0.0.1:PORT/callback`` (RFC 8252). When no browser can be opened, or the
listener cannot bind, the out-of-band redirect ``urn:ietf:wg:oauth:2.0:oob`` shows the code
on the instance's page and the user pastes it. Passwords and second factors are entered on
the instance's own page, never in CMDesk.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cmdesk.connectors.base import AuthExpired, ConnectorError, CredentialVault, NotFound, Permanent, Transient
from cmdesk.connectors.http import HttpClient, check_server_url, error_message
from cmdesk.connectors.mastodon_parse import account_handle, instance_limits, role_permissions
from cmdesk.core.models import Account
from cmdesk.core.text import clean_name

log = logging.getLogger("cmdesk.connectors.mastodon")

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
BASE_SCOPES = ("read", "write:statuses", "write:blocks", "write:mutes", "write:reports", "write:follows")
ADMIN_SCOPES = ("admin:read:accounts", "admin:write:accounts")
SECRET_NAMES = ("access_token", "client_id", "client_secret")
CLIENT_NAME = "CMDesk"
CLIENT_WEBSITE = "https://github.com/cmdesk/cmdesk"


class SignInCancelled(ConnectorError):
    """The user closed the dialog, or never came back from the browser."""


@dataclass(frozen=True)
class SignInResult:
    """What a successful sign-in gives the caller: settings go to the DB, secrets to the keyring."""

    handle: str
    display_name: str
    base_url: str
    settings: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)


def requested_scopes(admin: bool = False) -> str:
    return " ".join(BASE_SCOPES + (ADMIN_SCOPES if admin else ()))


# ---- PKCE (RFC 7636) ------------------------------------------------------------------------


def make_verifier() -> str:
    """43–128 characters from the unreserved set; 64 random bytes give 86."""
    return secrets.token_urlsafe(64)


def challenge_for(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# ---- the loopback listener ------------------------------------------------------------------

_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>CMDesk</title></head>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p></body></html>"
)


class LoopbackReceiver:
    """Waits for ``GET /callback?code=…&state=…`` on 127.0.0.1 (a random free port by default).

    Requests with a wrong ``state`` are answered with an error page and ignored, so another
    page on the machine cannot inject a code. The first valid answer (a code, or an OAuth
    ``error``) ends the wait.
    """

    def __init__(self, state: str, *, host: str = "127.0.0.1", port: int = 0):
        self.state = state
        self._done = threading.Event()
        self.code: str | None = None
        self.error: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # no stderr noise; the URL holds the code
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                if parts.path != "/callback":
                    self._answer(404, "Not found", "This address only receives the sign-in answer.")
                    return
                if query.get("state") != receiver.state:
                    self._answer(
                        400,
                        "Sign-in not recognised",
                        "This answer does not belong to the sign-in CMDesk started. Go back to CMDesk and try again.",
                    )
                    return
                if "error" in query:
                    receiver.error = query.get("error_description") or query["error"]
                    self._answer(200, "Sign-in cancelled", "You can close this window and return to CMDesk.")
                elif query.get("code"):
                    receiver.code = query["code"]
                    self._answer(200, "Signed in", "CMDesk is connected. You can close this window.")
                else:
                    self._answer(400, "Sign-in failed", "The answer carried no code.")
                    return
                receiver._done.set()

            def _answer(self, status: int, title: str, text: str) -> None:
                body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self._server = HTTPServer((host, port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="mastodon-oauth", daemon=True
        )

    @property
    def redirect_uri(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/callback"

    def start(self) -> LoopbackReceiver:
        self._thread.start()
        return self

    def wait(self, timeout: float | None) -> bool:
        return self._done.wait(timeout)

    def cancel(self) -> None:
        self._done.set()

    def close(self) -> None:
        self._done.set()
        self._server.shutdown()
        self._server.server_close()


def code_from_paste(pasted: str) -> str:
    """The authorization code from what the user pasted: the code itself, or a whole redirect URL."""
    pasted = pasted.strip()
    if "code=" in pasted:
        values = parse_qs(urlsplit(pasted).query or pasted).get("code")
        if values:
            return values[-1].strip()
    return pasted


# ---- the flow -------------------------------------------------------------------------------


class MastodonSignIn:
    """One sign-in attempt, in steps a dialog can drive (``sign_in`` runs them all).

    ``prepare()`` checks the server and registers the app; ``authorize_url`` is then ready;
    ``wait_for_browser()`` or ``finish(pasted_code)`` completes it. ``cancel()`` may be
    called from another thread.
    """

    def __init__(
        self,
        server_url: str,
        *,
        http: HttpClient | None = None,
        admin: bool = False,
        use_loopback: bool = True,
        client_name: str = CLIENT_NAME,
    ):
        self.base_url = check_server_url(server_url)
        self.http = http or HttpClient(label=urlsplit(self.base_url).hostname or "Mastodon", retries=2)
        self.scopes = requested_scopes(admin)
        self.client_name = client_name
        self.state = secrets.token_urlsafe(24)
        self.verifier = make_verifier()
        self.instance: dict = {}
        self.client_id = ""
        self.client_secret = ""
        self.redirect_uri = OOB_REDIRECT
        self._receiver: LoopbackReceiver | None = None
        self._use_loopback = use_loopback
        self._cancelled = threading.Event()

    # -- steps

    def prepare(self) -> str:
        """Check that the server speaks Mastodon, register CMDesk with it; returns the authorize URL."""
        self.instance = self._probe_instance()
        if self._use_loopback:
            try:
                self._receiver = LoopbackReceiver(self.state).start()
                self.redirect_uri = self._receiver.redirect_uri
            except OSError:
                self._receiver = None  # no loopback socket: the pasted code still works
        redirect_uris = [self.redirect_uri] + ([OOB_REDIRECT] if self.redirect_uri != OOB_REDIRECT else [])
        app = self._post_form(
            "/api/v1/apps",
            {
                "client_name": self.client_name,
                "redirect_uris": "\n".join(redirect_uris),
                "scopes": self.scopes,
                "website": CLIENT_WEBSITE,
            },
            what="register CMDesk with",
        )
        if not isinstance(app, dict) or not app.get("client_id") or not app.get("client_secret"):
            raise Permanent(f"{self._host} did not register CMDesk (its answer had no client id).")
        self.client_id, self.client_secret = str(app["client_id"]), str(app["client_secret"])
        return self.authorize_url

    @property
    def authorize_url(self) -> str:
        return self.authorize_url_for(self.redirect_uri)

    @property
    def oob_url(self) -> str:
        """The authorize URL that shows the code on the instance's page (for pasting)."""
        return self.authorize_url_for(OOB_REDIRECT)

    def authorize_url_for(self, redirect_uri: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scopes,
            "state": self.state,
            "code_challenge": challenge_for(self.verifier),
            "code_challenge_method": "S256",
        }
        return f"{self.base_url}/oauth/authorize?{urlencode(query)}"

    def wait_for_browser(self, timeout: float = 300.0) -> SignInResult:
        """Wait until the browser comes back to the loopback listener, then finish."""
        if self._receiver is None:
            raise Permanent("CMDesk could not listen for the browser's answer; paste the code instead.")
        if not self._receiver.wait(timeout) or self._cancelled.is_set():
            raise SignInCancelled("The sign-in was not completed in the browser.")
        if self._receiver.error:
            raise Permanent(f"{self._host} did not authorise CMDesk: {self._receiver.error}")
        return self.finish(self._receiver.code or "", redirect_uri=self.redirect_uri)

    def finish(self, code: str, *, redirect_uri: str = OOB_REDIRECT) -> SignInResult:
        """Exchange the authorization code (pasted, or from the listener) for a token and check it."""
        code = code_from_paste(code)
        if not code:
            raise Permanent("No sign-in code was given.")
        token = self._post_form(
            "/oauth/token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "redirect_uri": redirect_uri,
                "code_verifier": self.verifier,
                "scope": self.scopes,
            },
            what="get a token from",
        )
        access_token = token.get("access_token") if isinstance(token, dict) else None
        if not isinstance(access_token, str) or not access_token:
            raise Permanent(f"{self._host} answered without an access token.")
        granted = str(token.get("scope") or self.scopes)
        self.close()
        return self._result(access_token, granted)

    def cancel(self) -> None:
        self._cancelled.set()
        if self._receiver:
            self._receiver.cancel()

    def close(self) -> None:
        if self._receiver:
            self._receiver.close()
            self._receiver = None

    # -- helpers

    @property
    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _probe_instance(self) -> dict:
        for path in ("/api/v2/instance", "/api/v1/instance"):
            try:
                response = self.http.request("GET", self.base_url + path)
            except NotFound:
                continue
            except (AuthExpired, Permanent) as exc:
                raise Permanent(f"{self._host} refused to describe itself ({exc}); is it a Mastodon server?") from exc
            try:
                payload = response.json()
            except Transient:
                payload = None
            if isinstance(payload, dict) and (payload.get("domain") or payload.get("uri")):
                return payload
            break
        raise Permanent(
            f"{self._host} does not look like a Mastodon server (no instance information found). "
            "Check the address, e.g. mastodon.social."
        )

    def _post_form(self, path: str, form: dict, *, what: str):
        response = self.http.request("POST", self.base_url + path, data=form, ok_statuses=(400, 401, 403, 422))
        if response.status >= 400:
            detail = error_message(response) or f"HTTP {response.status}"
            if path == "/oauth/token" and response.status in (400, 401):
                raise Permanent(f"{self._host} refused the sign-in code ({detail}). Start the sign-in again.")
            raise Permanent(f"Could not {what} {self._host}: {detail}")
        return response.json()

    def _result(self, access_token: str, granted: str) -> SignInResult:
        try:
            me = self.http.get_json(
                self.base_url + "/api/v1/accounts/verify_credentials",
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except AuthExpired as exc:
            raise Permanent(f"{self._host} did not accept the new token ({exc}).") from exc
        if not isinstance(me, dict) or not me.get("id") or not me.get("acct"):
            raise Permanent(f"{self._host} did not say which account signed in.")
        domain, max_chars, url_weight = instance_limits(self.instance)
        domain = domain or urlsplit(self.base_url).hostname or ""
        handle = account_handle(me, domain)
        settings = {
            "account_id": str(me["id"]),
            "acct": str(me["acct"]),
            "domain": domain,
            "scopes": granted,
            "role_permissions": role_permissions(me),
            "role_name": str((me.get("role") or {}).get("name") or ""),
            "max_characters": max_chars,
            "url_weight": url_weight,
        }
        return SignInResult(
            handle=handle,
            display_name=clean_name(str(me.get("display_name") or "")) or handle,
            base_url=self.base_url,
            settings=settings,
            secrets={"access_token": access_token, "client_id": self.client_id, "client_secret": self.client_secret},
        )


def sign_in(
    server_url: str,
    *,
    http: HttpClient | None = None,
    open_browser: Callable[[str], bool | None] = webbrowser.open,
    ask_code: Callable[[str], str | None] | None = None,
    admin: bool = False,
    timeout: float = 300.0,
    use_loopback: bool = True,
) -> SignInResult:
    """Sign in to any Mastodon instance; blocking (run it off the GUI thread).

    ``open_browser(url)`` shows the instance's authorisation page (``webbrowser.open`` by
    default; returning ``False`` or raising means no browser). ``ask_code(url)`` is the
    fallback: it shows ``url`` to the user and returns the code they paste (or ``None`` to
    give up). ``admin=True`` also asks for ``admin:write:accounts`` (suspend/silence).
    """
    flow = MastodonSignIn(server_url, http=http, admin=admin, use_loopback=use_loopback)
    try:
        flow.prepare()
        opened = False
        if flow.redirect_uri != OOB_REDIRECT:
            try:
                opened = open_browser(flow.authorize_url) is not False
            except Exception:  # no usable browser is a normal situation, not a crash
                opened = False
        if opened:
            try:
                return flow.wait_for_browser(timeout)
            except SignInCancelled:
                if ask_code is None:
                    raise
        if ask_code is None:
            raise Permanent("CMDesk could not open a web browser to sign in.")
        pasted = ask_code(flow.oob_url)
        if not pasted:
            raise SignInCancelled("The sign-in was cancelled.")
        return flow.finish(pasted, redirect_uri=OOB_REDIRECT)
    finally:
        flow.close()


def sign_out(account: Account, vault: CredentialVault, http: HttpClient | None = None) -> None:
    """Revoke the token on the instance (``POST /oauth/revoke``), then forget the secrets.

    A server that cannot be reached does not keep the secrets on this machine."""
    token, client_id, secret = vault.get("access_token"), vault.get("client_id"), vault.get("client_secret")
    try:
        if token and client_id and secret:
            (http or HttpClient(label=account.name)).request(
                "POST",
                account.base_url.rstrip("/") + "/oauth/revoke",
                data={"client_id": client_id, "client_secret": secret, "token": token},
                ok_statuses=(400, 401, 403),
            )
    except ConnectorError as exc:
        log.info("Mastodon: token not revoked on the server: %s", exc)
    finally:
        vault.clear(SECRET_NAMES)
