"""The services a window drives, started on the qasync loop and stopped when it closes."""

from __future__ import annotations


class Services:
    """Sync, outbox and rules for one open workspace (filled in by the sync/outbox layer)."""

    def __init__(self, workspace, *, demo: bool = False, offline: bool = False):
        self.workspace = workspace
        self.demo = demo
        self.offline = offline

    def start(self, loop) -> None:
        self.loop = loop

    async def stop(self) -> None:
        return None

    def reply_blocked_reason(self, item, account) -> str:
        return "Replies need the outbox, which this workspace does not run."
