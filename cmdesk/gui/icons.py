"""Icons drawn at run time (crisp at any scale, no image files to ship) plus the app icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from cmdesk import resources
from cmdesk.core.models import Platform, Status

PLATFORM_COLORS = {
    Platform.MASTODON: "#6364FF",
    Platform.BLUESKY: "#1185FE",
    Platform.MATRIX: "#0DBD8B",
    Platform.YOUTUBE: "#FF0033",
    Platform.FACEBOOK: "#0866FF",
    Platform.INSTAGRAM: "#E1306C",
    Platform.TELEGRAM: "#26A5E4",
    Platform.DISCOURSE: "#444444",
}
STATUS_COLORS = {
    Status.NEW: "#1f6feb",
    Status.OPEN: "#d29922",
    Status.ANSWERED: "#2da44e",
    Status.DONE: "#8c959f",
    Status.SPAM: "#cf222e",
}


@cache
def app_icon() -> QIcon:
    return QIcon(str(resources.path("icons", "cmdesk.svg")))


@cache
def platform_icon(platform: Platform, size: int = 32) -> QIcon:
    """A rounded square in the platform's colour with its initial."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(PLATFORM_COLORS.get(platform, "#666666")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), size / 4, size / 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.58))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, platform.label[0])
    painter.end()
    return QIcon(pixmap)


@cache
def dot_icon(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)


def status_icon(status: Status) -> QIcon:
    return dot_icon(STATUS_COLORS[status])
