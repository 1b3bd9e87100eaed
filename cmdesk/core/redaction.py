"""Secrets never reach a log line: a registry of known secrets and a logging filter that scrubs them.

``cmdesk.secrets`` registers every credential it reads or writes; the HTTP layer redacts
headers, query parameters and bodies by name as well. This filter is the second line of
defence for anything that slips through (an exception message quoting a URL, say).
"""

from __future__ import annotations

import logging
import threading

REDACTED = "[redacted]"
_known_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Remember a secret so that ``scrub`` and ``SecretFilter`` remove it wherever it appears."""
    if value and len(value) >= 6:
        with _lock:
            _known_secrets.add(value)


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced."""
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class SecretFilter(logging.Filter):
    """A logging filter that removes registered secrets from every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
