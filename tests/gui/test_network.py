"""The system's network news reaches the sync (cmdesk/gui/network.py)."""

from __future__ import annotations

from PySide6.QtNetwork import QNetworkInformation

from cmdesk.gui.network import is_online, watch_network

Reachability = QNetworkInformation.Reachability


def test_only_disconnected_pauses():
    assert not is_online(Reachability.Disconnected)
    # "Unknown" may be a system that cannot tell; a local network may be all a self-hosted server needs.
    assert all(is_online(r) for r in (Reachability.Unknown, Reachability.Local, Reachability.Site, Reachability.Online))


def test_the_network_coming_and_going_is_passed_on(qapp):
    told: list[bool] = []
    if not watch_network(told.append):
        assert told == []  # no backend on this system: nothing is said, the sync finds out by itself
        return
    info = QNetworkInformation.instance()
    assert told == [is_online(info.reachability())]  # what the system says now…
    info.reachabilityChanged.emit(Reachability.Disconnected)  # …and each change after
    info.reachabilityChanged.emit(Reachability.Online)
    assert told[1:] == [False, True]


def test_a_paused_account_says_why_in_the_status_bar(qapp):
    from types import SimpleNamespace

    from cmdesk.gui.main_window import describe_status
    from cmdesk.services.sync import NO_NETWORK, AccountStatus, Phase

    account = SimpleNamespace(name="Boulangerie Lyon")
    paused = describe_status(account, AccountStatus(1, Phase.OFFLINE, error=NO_NETWORK))
    assert paused == "Boulangerie Lyon: no network connection, sync resumes when it is back"
    refused = describe_status(account, AccountStatus(1, Phase.OFFLINE, error="Cannot reach x: refused"))
    assert refused == "Boulangerie Lyon: offline, retrying later (Cannot reach x: refused)"
