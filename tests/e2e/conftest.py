"""Session fixtures for the end-to-end tests: real Synapse homeservers on 127.0.0.1.

One Synapse with generous rate limits serves every functional test; a second one keeps
Synapse's default limits for the rate-limit test. Both start lazily (only when a test asks)
and stop at the end of the session. Without ``matrix-synapse`` the tests are skipped with the
reason, unless ``CMDESK_REQUIRE_SYNAPSE=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .synapse import REQUIRE_ENV, SynapseHomeserver, synapse_missing_reason, synapse_required


def _require_synapse() -> None:
    reason = synapse_missing_reason()
    if reason is None:
        return
    if synapse_required():
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 asks for these tests to run.", pytrace=False)
    pytest.skip(reason)


def _homeserver(tmp_path_factory, name: str, *, default_rate_limits: bool) -> Iterator[SynapseHomeserver]:
    _require_synapse()
    homeserver = SynapseHomeserver(tmp_path_factory.mktemp(name), default_rate_limits=default_rate_limits)
    homeserver.start(timeout=90)
    try:
        yield homeserver
    finally:
        homeserver.stop()


@pytest.fixture(scope="session")
def synapse(tmp_path_factory) -> Iterator[SynapseHomeserver]:
    """Synapse with generous rate limits (the functional tests never meet a 429)."""
    yield from _homeserver(tmp_path_factory, "synapse", default_rate_limits=False)


@pytest.fixture(scope="session")
def synapse_default_limits(tmp_path_factory) -> Iterator[SynapseHomeserver]:
    """Synapse with its default rate limits (``rc_message``: 0.2/s, burst 10)."""
    yield from _homeserver(tmp_path_factory, "synapse-limits", default_rate_limits=True)
