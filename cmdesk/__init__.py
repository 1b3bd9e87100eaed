"""CMDesk: a local desktop workstation for community managers.

Layers (see DESIGN.md): ``core`` (plain domain), ``store`` (SQLite history),
``connectors`` (platform APIs), ``services`` (sync, outbox, exports), ``gui`` (Qt).
Only ``gui`` and ``app`` import Qt.
"""

__version__ = "0.1.0"
APP_ID = "io.github.cmdesk.CMDesk"
