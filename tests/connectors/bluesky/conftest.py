from __future__ import annotations

from datetime import timedelta

import pytest

from cmdesk.connectors.bluesky import BlueskyConnector
from cmdesk.connectors.simulators.bluesky import BlueskySimulator, connector_for
from cmdesk.core.models import ItemKind
from tests.connectors.bluesky.bluesky_helpers import T0, fast_http


@pytest.fixture
def sim():
    simulator = BlueskySimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def make_connector(sim):
    made = []

    def make(**kwargs) -> BlueskyConnector:
        account, vault = connector_for(sim)
        connector = BlueskyConnector(account, vault, fast_http(), **kwargs)
        made.append(connector)
        return connector

    yield make
    for connector in made:
        connector.close()


@pytest.fixture
def connector(make_connector) -> BlueskyConnector:
    return make_connector()


@pytest.fixture
def seed(sim):
    """seed(n, kind=REPLY, thread_key="launch") -> list of URIs, one minute apart."""
    counter = [0]

    def make(n: int = 1, kind: ItemKind = ItemKind.REPLY, thread_key: str | None = "launch", **kwargs) -> list[str]:
        uris = []
        for _ in range(n):
            i = counter[0]
            counter[0] += 1
            uris.append(
                sim.seed_incoming(
                    author_id=f"user{i % 7}",
                    author_name=f"User {i % 7}",
                    author_handle=f"user{i % 7}.example.com",
                    text=f"message {i}",
                    created_at=T0 + timedelta(minutes=i),
                    kind=kind,
                    thread_key=thread_key,
                    **kwargs,
                )
            )
        return uris

    return make
