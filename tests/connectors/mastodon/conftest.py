"""Fixtures of the Mastodon connector tests: simulators (admin and plain-user owners) and connectors."""

from __future__ import annotations

import pytest

from cmdesk.connectors.mastodon import MastodonConnector
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from tests.connectors.mastodon.mastodon_testkit import make_connector


@pytest.fixture
def sim():
    with MastodonSimulator(owner_role="admin") as server:
        yield server


@pytest.fixture
def user_sim():
    with MastodonSimulator(owner_role="user") as server:
        yield server


@pytest.fixture
def conn(sim) -> MastodonConnector:
    return make_connector(sim)


@pytest.fixture
def user_conn(user_sim) -> MastodonConnector:
    return make_connector(user_sim)
