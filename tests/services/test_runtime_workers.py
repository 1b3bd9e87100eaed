"""The scoring and page workers start while the app opens, when there is an account to sync,
so that the first sync does not wait for a process start and the models' loading."""

from __future__ import annotations

import asyncio

from cmdesk.connectors.page_worker import PAGES
from cmdesk.core.models import Platform
from cmdesk.services.runtime import Services
from cmdesk.services.workspace import open_workspace


def opened(root, *, accounts: int, offline: bool = False) -> Services:
    workspace = open_workspace(root, lock=True)
    for n in range(accounts):
        workspace.store.add_account(Platform.MASTODON, f"Boulangerie {n}", handle=f"@shop{n}@example.social")
    return Services(workspace, offline=offline, make_connector=lambda account: None)


def closed(services: Services) -> None:
    asyncio.run(services.stop())
    services.workspace.close()


def test_the_workers_start_with_the_services_when_an_account_will_sync(tmp_path):
    PAGES.shutdown()
    services = opened(tmp_path / "profile", accounts=1)
    try:
        assert services.moderation.scoring.started and PAGES.started
        assert services.moderation.scoring.score([("Merci pour la livraison", "fr", ())] * 16) is not None
    finally:
        closed(services)
    assert not PAGES.started  # stopping the services stops the page worker


def test_nothing_is_started_without_an_account_or_offline(tmp_path):
    PAGES.shutdown()
    for services in (opened(tmp_path / "empty", accounts=0), opened(tmp_path / "offline", accounts=1, offline=True)):
        try:
            scoring = services.moderation.scoring
            assert not (scoring is not None and scoring.started) and not PAGES.started
        finally:
            closed(services)
