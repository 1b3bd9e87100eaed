"""Interface language: the user's choice, else the system's; French and English ship compiled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cmdesk import resources

SUPPORTED = ("en", "fr")


def choose_language(setting: str = "system", override: str | None = None) -> str:
    """``override`` (``--lang``) beats the setting, which beats the system locale; English otherwise."""
    for candidate in (override, None if setting == "system" else setting):
        if candidate in SUPPORTED:
            return candidate
    system = QLocale.system().name().split("_")[0]
    return system if system in SUPPORTED else "en"


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load CMDesk's and Qt's own translations for ``language``; returns them (keep them alive)."""
    installed: list[QTranslator] = []
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return installed
    ours = QTranslator(app)
    if ours.load(str(resources.path("translations", f"cmdesk_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", str(qt_dir)):  # standard dialogs and buttons
        app.installTranslator(qt_base)
        installed.append(qt_base)
    return installed
