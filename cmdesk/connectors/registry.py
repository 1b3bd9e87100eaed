"""The typed registry of platform connectors (Picard's extension-point habit).

Each platform module registers a ``ConnectorSpec`` when imported; ``spec_for`` imports the
built-in modules on first use so start-up does not pay for connectors it does not need.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from cmdesk.connectors.base import ConnectorFactory
from cmdesk.core.models import Platform

_BUILTIN_MODULES = {
    Platform.MASTODON: "cmdesk.connectors.mastodon",
    Platform.BLUESKY: "cmdesk.connectors.bluesky",
    Platform.MATRIX: "cmdesk.connectors.matrix",
}


@dataclass(frozen=True)
class ConnectorSpec:
    platform: Platform
    factory: ConnectorFactory  # (account, vault, http) -> Connector
    secret_names: tuple[str, ...]  # keyring entries the connector uses (deleted on sign-out)


_registry: dict[Platform, ConnectorSpec] = {}


def register(spec: ConnectorSpec) -> None:
    _registry[spec.platform] = spec


def spec_for(platform: Platform) -> ConnectorSpec:
    """The connector of ``platform``; ``LookupError`` with a readable message when there is none."""
    if platform not in _registry and platform in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[platform])
    try:
        return _registry[platform]
    except KeyError:
        raise LookupError(f"CMDesk has no connector for {platform.label} yet.") from None


def available_platforms() -> list[Platform]:
    return list(_BUILTIN_MODULES)
