"""OAuth for the Mastodon simulator: app registration, an authorisation that approves at once, PKCE.

Follows the Mastodon documentation: methods/apps (``POST /api/v1/apps``) and methods/oauth
(``GET /oauth/authorize`` — here it redirects straight to ``redirect_uri`` with ``code`` and
``state``, or shows the code for ``urn:ietf:wg:oauth:2.0:oob`` — ``POST /oauth/token`` with the
``code_verifier`` checked against the S256 ``code_challenge``, ``POST /oauth/revoke``), with the
documented error bodies (``invalid_client``, ``invalid_grant``, ``invalid_scope``).
"""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import urlencode

from cmdesk.connectors.simulators.mastodon_entities import has_scope
from cmdesk.connectors.simulators.server import Request, Response

OOB = "urn:ietf:wg:oauth:2.0:oob"


class OAuthMixin:
    """The OAuth routes (needs ``_state``, ``_serial``, ``_apps``, ``_codes``, ``_tokens``,
    ``_form`` and ``deny_authorization``)."""

    def _create_app(self, request: Request) -> Response:
        form = self._form(request)
        name = (form.get("client_name") or [""])[-1]
        if not name:
            return Response(422, {"error": "Validation failed: Application name can't be blank"})
        uris = [
            u
            for value in form.get("redirect_uris", []) + form.get("redirect_uris[]", [])
            for u in value.split("\n")
            if u.strip()
        ]
        if not uris:
            return Response(422, {"error": "Validation failed: Redirect URI can't be blank"})
        scopes = (form.get("scopes") or ["read"])[-1].split()
        with self._state:
            number = next(self._serial)
            app = {
                "id": str(number),
                "name": name,
                "website": (form.get("website") or [None])[-1],
                "redirect_uri": "\n".join(uris),
                "redirect_uris": uris,
                "client_id": f"sim-client-{number}",
                "client_secret": f"sim-secret-{number}",
                "scopes": scopes,
                "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eT",
            }
            self._apps[app["client_id"]] = app
        return Response(200, app | {"client_secret_expires_at": 0})

    def _authorize(self, request: Request) -> Response:
        app = self._apps.get(request.arg("client_id") or "")
        redirect = request.arg("redirect_uri") or ""
        if app is None or redirect not in app["redirect_uris"] or request.arg("response_type") != "code":
            return Response(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "The request is missing a required parameter or is invalid.",
                },
            )
        scope = request.arg("scope") or "read"
        if not all(has_scope(set(app["scopes"]), s) for s in scope.split()):
            return Response(400, {"error": "invalid_scope"})
        challenge, method = request.arg("code_challenge"), request.arg("code_challenge_method")
        if challenge and method != "S256":
            return Response(400, {"error": "invalid_request", "error_description": "Unsupported PKCE method"})
        state = request.arg("state")
        if self.deny_authorization:
            query = {"error": "access_denied", "error_description": "The resource owner denied the request."}
            return self._redirect(redirect, query | ({"state": state} if state else {}))
        with self._state:
            code = f"sim-code-{next(self._serial)}"
            self._codes[code] = {
                "client_id": app["client_id"],
                "redirect_uri": redirect,
                "scope": scope,
                "challenge": challenge,
                "used": False,
            }
        if redirect == OOB:
            page = f"<!doctype html><html><body><p>Copy this code:</p><input value='{code}'></body></html>"
            return Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
        return self._redirect(redirect, {"code": code} | ({"state": state} if state else {}))

    @staticmethod
    def _redirect(uri: str, query: dict) -> Response:
        target = f"{uri}{'&' if '?' in uri else '?'}{urlencode(query)}"
        return Response(302, b"", {"Location": target, "Content-Type": "text/html; charset=utf-8"})

    def _token(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in self._form(request).items()}
        app = self._apps.get(form.get("client_id", ""))
        if app is None or form.get("client_secret") != app["client_secret"]:
            return Response(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "Client authentication failed "
                    "due to unknown client, no client authentication included, or unsupported "
                    "authentication method.",
                },
            )
        if form.get("grant_type") != "authorization_code":
            return Response(400, {"error": "unsupported_grant_type"})
        invalid = Response(
            400,
            {
                "error": "invalid_grant",
                "error_description": "The provided authorization grant "
                "is invalid, expired, revoked, does not match the redirection URI used in the "
                "authorization request, or was issued to another client.",
            },
        )
        with self._state:
            grant = self._codes.get(form.get("code", ""))
            if (
                not grant
                or grant["used"]
                or grant["client_id"] != app["client_id"]
                or grant["redirect_uri"] != form.get("redirect_uri")
            ):
                return invalid
            if grant["challenge"]:
                verifier = form.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if digest != grant["challenge"]:
                    return invalid
            grant["used"] = True
            token = f"sim-token-{hashlib.sha256(form['code'].encode()).hexdigest()[:24]}"
            self._tokens[token] = set(grant["scope"].split())
        return Response(
            200,
            {"access_token": token, "token_type": "Bearer", "scope": grant["scope"], "created_at": int(time.time())},
        )

    def _revoke(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in self._form(request).items()}
        app = self._apps.get(form.get("client_id", ""))
        if app is None or form.get("client_secret") != app["client_secret"]:
            return Response(
                403,
                {"error": "unauthorized_client", "error_description": "You are not authorized to revoke this token"},
            )
        with self._state:
            self._tokens.pop(form.get("token", ""), None)
        return Response(200, {})
