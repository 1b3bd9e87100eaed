"""The system's news about the network, passed on to the services.

Qt reads it from NetworkManager, ConnMan or GLib's network monitor, whichever the desktop
has. Where none is available nothing is passed on, and the sync finds out by itself (an
unreachable server is retried after 15 s, 30 s… up to two minutes).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtNetwork import QNetworkInformation


def is_online(reachability: QNetworkInformation.Reachability) -> bool:
    """Only "disconnected" pauses the sync: "unknown" may be a system that cannot tell, and a
    local network may be all a self-hosted server needs."""
    return reachability != QNetworkInformation.Reachability.Disconnected


def watch_network(set_online: Callable[[bool], None]) -> bool:
    """Call ``set_online`` now and whenever the network comes or goes; False when the system
    gives no such news."""
    if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
        return False
    info = QNetworkInformation.instance()
    if info is None:
        return False
    info.reachabilityChanged.connect(lambda reachability: set_online(is_online(reachability)))
    set_online(is_online(info.reachability()))
    return True
