"""A real Synapse homeserver on 127.0.0.1 for end-to-end tests: config, start, users, rooms, stop.

The recipe (Synapse documentation: "Installation", "Configuration Manual", "Shared-Secret
Registration" admin API):

1. ``python -m synapse.app.homeserver --generate-config`` writes a config, a log config and a
   signing key into a temporary directory;
2. the YAML is edited: one plain-HTTP client listener on 127.0.0.1 and a free port, SQLite,
   no federation (``trusted_key_servers: []``, ``federation_domain_whitelist: []``), no open
   registration, and generous rate limits — or Synapse's defaults for the test that wants 429s;
3. Synapse runs as a subprocess; ``GET /_matrix/client/versions`` says when it is ready;
4. users are registered through ``/_synapse/admin/v1/register`` (a nonce, then an HMAC-SHA1 of
   ``nonce\\0user\\0password\\0admin|notadmin`` keyed by ``registration_shared_secret``);
5. ``stop()`` terminates the process, then kills it if it does not go.

The tests' own Matrix calls (creating rooms, posting as other users, checking what other
clients see) go through ``MatrixTestClient``, a few lines of ``urllib`` that share nothing
with the connector under test. This module never imports Synapse, so it can be imported (and
the tests skipped) where Synapse is not installed.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml

REQUIRE_ENV = "CMDESK_REQUIRE_SYNAPSE"
CLIENT = "/_matrix/client/v3"
# Generous limits for every rate limiter Synapse knows: the functional tests must never meet a 429.
_GENEROUS = {"per_second": 1000, "burst_count": 1000}
GENEROUS_RATE_LIMITS = {
    "rc_message": _GENEROUS,
    "rc_registration": _GENEROUS,
    "rc_login": {"address": _GENEROUS, "account": _GENEROUS, "failed_attempts": _GENEROUS},
    "rc_admin_redaction": _GENEROUS,
    "rc_joins": {"local": _GENEROUS, "remote": _GENEROUS},
    "rc_joins_per_room": _GENEROUS,
    "rc_invites": {"per_room": _GENEROUS, "per_user": _GENEROUS, "per_issuer": _GENEROUS},
    "rc_room_creation": _GENEROUS,
    "rc_reports": _GENEROUS,
    "rc_profile": _GENEROUS,
    "rc_delayed_event_mgmt": _GENEROUS,
}


def synapse_missing_reason() -> str | None:
    """Why the Synapse tests cannot run here, or None when ``matrix-synapse`` is importable."""
    try:
        found = importlib.util.find_spec("synapse.app.homeserver") is not None
    except (ImportError, ValueError):  # no "synapse" package, or one without synapse.app
        found = False
    if not found:
        return "matrix-synapse is not installed (pip install 'matrix-synapse'): the Synapse end-to-end tests need it"
    return None


def synapse_required() -> bool:
    """CI sets CMDESK_REQUIRE_SYNAPSE=1: a missing Synapse is then a failure, not a skip."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MatrixHttpError(RuntimeError):
    def __init__(self, status: int, body: dict, url: str):
        super().__init__(f"HTTP {status} from {url}: {body}")
        self.status = status
        self.body = body
        self.errcode = body.get("errcode", "") if isinstance(body, dict) else ""


def call(
    base_url: str, method: str, path: str, body: object = None, *, token: str = "", params=None, timeout: float = 30.0
) -> dict:
    """One JSON request with ``urllib``; a non-2xx answer raises ``MatrixHttpError``."""
    url = base_url + path + (("?" + urlencode(params)) if params else "")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"error": raw.decode("utf-8", "replace")[:300]}
        raise MatrixHttpError(exc.code, payload, url) from None
    return json.loads(raw) if raw else {}


def q(value: str) -> str:
    """A path segment: room ids, event ids and user ids carry ``!``, ``$``, ``@`` and ``:``."""
    return quote(value, safe="")


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    access_token: str
    device_id: str
    password: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


class MatrixTestClient:
    """What the tests do as other Matrix clients would: rooms, messages, state, account data."""

    _txn = itertools.count(1)

    def __init__(self, base_url: str, user: MatrixUser):
        self.base_url = base_url
        self.user = user

    def call(self, method: str, path: str, body: object = None, **kwargs) -> dict:
        return call(self.base_url, method, path, body, token=self.user.access_token, **kwargs)

    # -- rooms

    def create_room(
        self,
        name: str = "",
        *,
        alias: str = "",
        preset: str = "public_chat",
        is_direct: bool = False,
        invite: tuple[str, ...] = (),
        power_overrides: dict | None = None,
    ) -> str:
        body: dict = {"preset": preset, "is_direct": is_direct}
        if name:
            body["name"] = name
        if alias:
            body["room_alias_name"] = alias
        if invite:
            body["invite"] = list(invite)
        if power_overrides:
            body["power_level_content_override"] = power_overrides
        return self.call("POST", f"{CLIENT}/createRoom", body)["room_id"]

    def join(self, room_id_or_alias: str) -> str:
        return self.call("POST", f"{CLIENT}/join/{q(room_id_or_alias)}", {})["room_id"]

    def invite(self, room_id: str, user_id: str) -> None:
        self.call("POST", f"{CLIENT}/rooms/{q(room_id)}/invite", {"user_id": user_id})

    def send(self, room_id: str, content: dict, *, event_type: str = "m.room.message", txn: str = "") -> str:
        txn = txn or f"test-{os.getpid()}-{next(self._txn)}"
        path = f"{CLIENT}/rooms/{q(room_id)}/send/{q(event_type)}/{q(txn)}"
        return self.call("PUT", path, content)["event_id"]

    def send_text(
        self,
        room_id: str,
        body: str,
        *,
        reply_to: str = "",
        html: str = "",
        mentions: tuple[str, ...] | None = None,
        msgtype: str = "m.text",
    ) -> str:
        content: dict = {"msgtype": msgtype, "body": body}
        if html:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        if mentions is not None:
            content["m.mentions"] = {"user_ids": list(mentions)}
        return self.send(room_id, content)

    def event(self, room_id: str, event_id: str) -> dict:
        return self.call("GET", f"{CLIENT}/rooms/{q(room_id)}/event/{q(event_id)}")

    def state(self, room_id: str, event_type: str, state_key: str = "") -> dict:
        return self.call("GET", f"{CLIENT}/rooms/{q(room_id)}/state/{q(event_type)}/{q(state_key)}")

    def set_state(self, room_id: str, event_type: str, content: dict, state_key: str = "") -> str:
        path = f"{CLIENT}/rooms/{q(room_id)}/state/{q(event_type)}/{q(state_key)}"
        return self.call("PUT", path, content)["event_id"]

    def set_power(self, room_id: str, user_id: str, level: int) -> None:
        """Give ``user_id`` a power level in the room (as a client with the right to)."""
        power = self.state(room_id, "m.room.power_levels")
        power.setdefault("users", {})[user_id] = level
        self.set_state(room_id, "m.room.power_levels", power)

    def membership(self, room_id: str, user_id: str) -> str:
        return self.state(room_id, "m.room.member", user_id).get("membership", "")

    def messages(self, room_id: str, *, limit: int = 50, types: tuple[str, ...] = ("m.room.message",)) -> list[dict]:
        """The newest events of the room, oldest first (as another client would list them)."""
        params = {"dir": "b", "limit": str(limit), "filter": json.dumps({"types": list(types)})}
        chunk = self.call("GET", f"{CLIENT}/rooms/{q(room_id)}/messages", params=params)["chunk"]
        return list(reversed(chunk))

    def account_data(self, event_type: str) -> dict:
        return self.call("GET", f"{CLIENT}/user/{q(self.user.user_id)}/account_data/{q(event_type)}")

    def set_account_data(self, event_type: str, content: dict) -> None:
        self.call("PUT", f"{CLIENT}/user/{q(self.user.user_id)}/account_data/{q(event_type)}", content)

    def set_displayname(self, name: str) -> None:
        self.call("PUT", f"{CLIENT}/profile/{q(self.user.user_id)}/displayname", {"displayname": name})


class SynapseHomeserver:
    """One Synapse process with its own directory, port and SQLite database."""

    def __init__(
        self,
        workdir: Path,
        *,
        server_name: str = "localhost",
        default_rate_limits: bool = False,
        port: int | None = None,
        python: str = sys.executable,
    ):
        self.workdir = Path(workdir)
        self.server_name = server_name
        self.default_rate_limits = default_rate_limits
        self.port = port or free_port()
        self.python = python
        self.config_path = self.workdir / "homeserver.yaml"
        self.log_path = self.workdir / "synapse.stdout.log"
        self.shared_secret = ""
        self._process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- configuration

    def generate_config(self) -> Path:
        """Synapse's own config generator, then the edits that make it local, quiet and fast."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                self.python,
                "-m",
                "synapse.app.homeserver",
                "--server-name",
                self.server_name,
                "--config-path",
                str(self.config_path),
                "--generate-config",
                "--report-stats=no",
            ],
            cwd=self.workdir,
            check=True,
            capture_output=True,
            timeout=120,
        )
        config = yaml.safe_load(self.config_path.read_text())
        config.update(
            listeners=[
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            database={"name": "sqlite3", "args": {"database": str(self.workdir / "homeserver.db")}},
            media_store_path=str(self.workdir / "media_store"),
            pid_file=str(self.workdir / "homeserver.pid"),
            trusted_key_servers=[],
            suppress_key_server_warning=True,
            federation_domain_whitelist=[],
            enable_registration=False,
            report_stats=False,
            presence={"enabled": False},
            url_preview_enabled=False,
            enable_metrics=False,
        )
        if not self.default_rate_limits:
            config.update(GENEROUS_RATE_LIMITS)
        self.shared_secret = config["registration_shared_secret"]
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        self._quiet_logs(Path(config["log_config"]))
        return self.config_path

    def _quiet_logs(self, log_config: Path) -> None:
        """Warnings only, written straight to the file: less I/O, and a readable tail on failure."""
        logging_config = yaml.safe_load(log_config.read_text())
        logging_config["root"] = {"level": "WARNING", "handlers": ["file"]}
        logging_config.setdefault("loggers", {})["synapse.storage.SQL"] = {"level": "WARNING"}
        log_config.write_text(yaml.safe_dump(logging_config, sort_keys=False))

    # -- life cycle

    def start(self, timeout: float = 60.0) -> str:
        if not self.config_path.exists():
            self.generate_config()
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._process = subprocess.Popen(
            [self.python, "-m", "synapse.app.homeserver", "--config-path", str(self.config_path)],
            cwd=self.workdir,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_ready(timeout)
        return self.base_url

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"Synapse exited with code {self._process.returncode}:\n{self.log_tail()}")
            try:
                versions = call(self.base_url, "GET", "/_matrix/client/versions", timeout=2.0)
            except (OSError, MatrixHttpError, ValueError):
                time.sleep(0.2)
                continue
            if versions.get("versions"):
                return
        self.stop()
        raise TimeoutError(f"Synapse did not answer on {self.base_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, grace: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(grace)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        text = ""
        for path in (self.log_path, self.workdir / "homeserver.log"):
            if path.exists():
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    def __enter__(self) -> SynapseHomeserver:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- users

    def register(self, localpart: str, password: str = "", *, admin: bool = False, displayname: str = "") -> MatrixUser:
        """Shared-secret registration (Synapse admin API ``/_synapse/admin/v1/register``)."""
        password = password or f"pw-{localpart}-{os.getpid()}"
        path = "/_synapse/admin/v1/register"
        nonce = call(self.base_url, "GET", path)["nonce"]
        mac = hmac.new(self.shared_secret.encode("utf-8"), digestmod=hashlib.sha1)
        for part in (nonce, localpart, password, "admin" if admin else "notadmin"):
            if part != nonce:
                mac.update(b"\x00")
            mac.update(part.encode("utf-8"))
        body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": mac.hexdigest()}
        if displayname:
            body["displayname"] = displayname
        answer = call(self.base_url, "POST", path, body)
        return MatrixUser(answer["user_id"], answer["access_token"], answer["device_id"], password)

    def login(self, user: MatrixUser, device_name: str = "e2e") -> MatrixUser:
        """A second session (new device, new token) for ``user``."""
        answer = call(
            self.base_url,
            "POST",
            f"{CLIENT}/login",
            {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": user.localpart},
                "password": user.password,
                "initial_device_display_name": device_name,
            },
        )
        return MatrixUser(answer["user_id"], answer["access_token"], answer["device_id"], user.password)

    def client(self, user: MatrixUser) -> MatrixTestClient:
        return MatrixTestClient(self.base_url, user)

    def admin_call(self, admin: MatrixUser, method: str, path: str, body: object = None, **kwargs) -> dict:
        """The Synapse admin API (``/_synapse/admin/...``) with a server admin's token."""
        return call(self.base_url, method, path, body, token=admin.access_token, **kwargs)
