"""Fixtures for the Matrix connector tests: a running simulator and a connector on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.matrix import MatrixConnector
from cmdesk.connectors.simulators.matrix import MatrixSimulator, connector_for

from .helpers import fast_http


@pytest.fixture
def sim() -> Iterator[MatrixSimulator]:
    simulator = MatrixSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def make_connector(sim):
    def make(settings: dict | None = None, token: str | None = None, http: HttpClient | None = None):
        account, vault = connector_for(sim, settings=settings, token=token)
        return MatrixConnector(account, vault, http or fast_http())

    return make


@pytest.fixture
def connector(make_connector) -> MatrixConnector:
    return make_connector()
