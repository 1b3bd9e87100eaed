"""Dates and small texts as the interface shows them, in the interface's language."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale


def local_datetime(millis: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(millis).toLocalTime()


def relative_time(millis: int, now: datetime | None = None) -> str:
    """ "just now", "12 min", "3 h", "yesterday", then a short date."""
    now = now or datetime.now(UTC)
    seconds = (now.timestamp() * 1000 - millis) / 1000
    if seconds < 60:
        return QCoreApplication.translate("Formatting", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("Formatting", "{0} min").format(int(seconds // 60))
    if seconds < 86400:
        return QCoreApplication.translate("Formatting", "{0} h").format(int(seconds // 3600))
    if seconds < 2 * 86400:
        return QCoreApplication.translate("Formatting", "yesterday")
    return QLocale().toString(local_datetime(millis).date(), QLocale.FormatType.ShortFormat)


def full_time(millis: int) -> str:
    """ "Mon 23 Nov 2026, 19:13" in the interface's language (weekday and month names from the locale)."""
    return QLocale().toString(local_datetime(millis), "ddd d MMM yyyy, HH:mm")
