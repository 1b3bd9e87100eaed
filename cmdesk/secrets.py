"""Credentials live only in the OS keyring: this is the one module that touches ``keyring``.

Tokens, passwords and refresh tokens are never written to the database, the settings, the
logs or an export. Each account gets a per-account ``Vault`` view; the service name includes
the profile, so the demo profile and a real profile never see each other's entries.

Without a usable keyring backend (no Secret Service, no macOS Keychain, no Windows Credential
Locker) CMDesk refuses to store credentials and says how to get one; it never falls back to
a plaintext file.
"""

from __future__ import annotations

import hashlib
import logging

from cmdesk.core.redaction import register_secret

log = logging.getLogger("cmdesk.secrets")

HOW_TO_GET_A_KEYRING = (
    "CMDesk keeps passwords and tokens only in your system's keyring, and none is available. "
    "On Linux install and start a Secret Service (GNOME Keyring or KeePassXC with Secret Service "
    "enabled, e.g. `sudo apt install gnome-keyring`); macOS and Windows have one built in."
)

# Backends that would store secrets unencrypted, or not at all.
_REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file.PlaintextKeyring")


class SecretsUnavailable(RuntimeError):
    """No safe keyring backend: credentials cannot be stored."""


class KeyringError(RuntimeError):
    """The keyring is there but refused the request (locked, access denied)."""


def _backend():
    import keyring  # imported lazily: start-up does not pay for backend discovery

    return keyring.get_keyring()


def _backend_name(backend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def keyring_status() -> tuple[bool, str]:
    """Whether credentials can be stored, and the backend's name or the reason they cannot."""
    try:
        backend = _backend()
    except Exception as exc:  # a broken backend configuration must not crash the app
        return False, f"{HOW_TO_GET_A_KEYRING} ({exc})"
    name = _backend_name(backend)
    if any(name.startswith(refused) for refused in _REFUSED_BACKENDS) or getattr(backend, "priority", 1) <= 0:
        return False, HOW_TO_GET_A_KEYRING
    return True, name


class SecretStore:
    """The keyring entries of one profile."""

    def __init__(self, profile_id: str):
        self.service = f"cmdesk:{hashlib.sha256(profile_id.encode()).hexdigest()[:16]}"

    def _require(self):
        ok, reason = keyring_status()
        if not ok:
            raise SecretsUnavailable(reason)
        return _backend()

    def set(self, account_uid: str, name: str, value: str) -> None:
        backend = self._require()
        register_secret(value)
        try:
            backend.set_password(self.service, f"{account_uid}/{name}", value)
        except Exception as exc:
            raise KeyringError(f"The keyring refused to save the credential: {exc}") from exc

    def get(self, account_uid: str, name: str) -> str | None:
        backend = self._require()
        try:
            value = backend.get_password(self.service, f"{account_uid}/{name}")
        except Exception as exc:
            raise KeyringError(f"The keyring could not be read (is it locked?): {exc}") from exc
        if value:
            register_secret(value)
        return value

    def delete(self, account_uid: str, name: str) -> None:
        import keyring.errors

        backend = self._require()
        try:
            backend.delete_password(self.service, f"{account_uid}/{name}")
        except keyring.errors.PasswordDeleteError:
            pass  # already gone is fine

    def vault(self, account_uid: str, names: tuple[str, ...] = ()) -> Vault:
        return Vault(self, account_uid, names)


class Vault:
    """One account's credentials, as connectors see them (``get``/``set``/``clear``)."""

    def __init__(self, store: SecretStore, account_uid: str, names: tuple[str, ...] = ()):
        self._store = store
        self._uid = account_uid
        self._names = set(names)

    def get(self, name: str) -> str | None:
        return self._store.get(self._uid, name)

    def set(self, name: str, value: str) -> None:
        self._names.add(name)
        self._store.set(self._uid, name, value)

    def clear(self, names: tuple[str, ...] = ()) -> None:
        """Delete this account's entries (sign out): the names given plus those set here."""
        for name in set(names) | self._names:
            self._store.delete(self._uid, name)


class MemoryVault:
    """Credentials held in memory only, for demo accounts on loopback simulators and for tests.

    Nothing here is persisted, so nothing can leak to disk.
    """

    def __init__(self, values: dict[str, str] | None = None):
        self._values = dict(values or {})

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def clear(self, names: tuple[str, ...] = ()) -> None:
        self._values.clear()
