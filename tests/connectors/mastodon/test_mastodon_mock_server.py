"""The connector against a third-party Mastodon API server: the ``mastodon-mock`` package.

``mastodon_mock serve --in-memory --demo`` is a FastAPI + SQLite implementation of the Mastodon
client API written by someone else, so it checks our reading of the docs against another one.
Its demo seeds @ada (an admin, token ``ada_token``), @grace, @alan and @katherine (plain users).
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest
import requests

from cmdesk.connectors.base import Target, Verb
from cmdesk.connectors.mastodon import MastodonConnector
from cmdesk.connectors.mastodon_auth import sign_in
from cmdesk.core.models import Account, ItemKind, Platform
from cmdesk.secrets import MemoryVault
from tests.connectors.mastodon.mastodon_testkit import fast_http

if importlib.util.find_spec("mastodon_mock") is None:
    pytest.skip("mastodon-mock is not installed (pip install 'mastodon-mock>=0.6.1')", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def mock_url(tmp_path_factory):
    port = _free_port()
    # It keeps uploads in a fresh temporary folder that it never removes: one under pytest's.
    scratch = tmp_path_factory.mktemp("mastodon_mock")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastodon_mock",
            "serve",
            "--in-memory",
            "--demo",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ, TMPDIR=str(scratch)),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"mastodon_mock exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                if requests.get(url + "/api/v2/instance", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("mastodon_mock did not start within 60 s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def connector(url: str, token: str) -> MastodonConnector:
    account = Account(1, Platform.MASTODON, token, "", url)
    return MastodonConnector(account, MemoryVault({"access_token": token}), fast_http())


def post(url: str, token: str, **form) -> dict:
    response = requests.post(
        url + "/api/v1/statuses", data=form, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    response.raise_for_status()
    return response.json()


def target_of(item) -> Target:
    return Target(item.platform_item_id, item.kind, item.author.platform_author_id, ref=item.ref)


def test_mentions_replies_and_direct_messages(mock_url):
    ada = connector(mock_url, "ada_token")
    start = ada.fetch(None)
    ours = post(mock_url, "ada_token", status="Our launch is today")
    mention = post(mock_url, "grace_token", status="@ada what a week &amp; <b>more</b> :blobcat:")
    reply = post(mock_url, "grace_token", status="@ada congratulations!", in_reply_to_id=ours["id"])
    dm = post(mock_url, "alan_token", status="@ada a private question", visibility="direct")
    batch = ada.fetch(start.cursor)
    by_id = {i.platform_item_id: i for i in batch.items}
    assert {mention["id"], reply["id"], dm["id"]} <= set(by_id)
    assert by_id[mention["id"]].kind == ItemKind.MENTION
    assert by_id[reply["id"]].kind == ItemKind.REPLY and by_id[reply["id"]].parent_platform_id == ours["id"]
    assert by_id[dm["id"]].kind == ItemKind.DIRECT_MESSAGE
    assert by_id[mention["id"]].author.display_name == "Grace Hopper"
    assert by_id[mention["id"]].text == "@ada what a week &amp; <b>more</b> :blobcat:"  # typed text, round-tripped
    assert ada.fetch(start.cursor) == batch  # same cursor, same items
    assert ada.fetch(batch.cursor).items == []


def test_pages_forward_without_gaps(mock_url):
    ada = connector(mock_url, "ada_token")
    cursor = ada.fetch(None).cursor
    posted = [post(mock_url, "katherine_token", status=f"@ada note {i}")["id"] for i in range(45)]
    seen, more = [], True
    while more:
        batch = ada.fetch(cursor)
        seen += [i.platform_item_id for i in batch.items]
        cursor, more = batch.cursor, batch.more
    assert seen == posted


def test_reply_is_idempotent_and_found_again(mock_url):
    ada = connector(mock_url, "ada_token")
    cursor = ada.fetch(None).cursor
    question = post(mock_url, "grace_token", status="@ada is the meetup on?", visibility="unlisted")
    item = next(i for i in ada.fetch(cursor).items if i.platform_item_id == question["id"])
    first = ada.reply(target_of(item), "Yes, 6pm!", "mock-key-1")
    again = ada.reply(target_of(item), "Yes, 6pm!", "mock-key-1")
    assert first.platform_item_id == again.platform_item_id and first.is_own
    seen_by_grace = requests.get(
        f"{mock_url}/api/v1/statuses/{first.platform_item_id}",
        headers={"Authorization": "Bearer grace_token"},
        timeout=5,
    ).json()
    assert seen_by_grace["in_reply_to_id"] == question["id"] and seen_by_grace["visibility"] == "unlisted"
    assert "@grace" in seen_by_grace["content"]
    found = ada.find_reply(target_of(item), "mock-key-1", "Yes, 6pm!")
    assert found is not None and found.platform_item_id == first.platform_item_id
    thread = ada.context(target_of(item))
    assert [i.platform_item_id for i in thread] == [question["id"], first.platform_item_id]


def test_capabilities_by_role(mock_url):
    assert connector(mock_url, "ada_token").capabilities().allows(Verb.BAN_AUTHOR)
    grace = connector(mock_url, "grace_token").capabilities()
    assert not grace.allows(Verb.BAN_AUTHOR) and "Manage Users" in grace.why_not(Verb.BAN_AUTHOR)
    assert grace.max_reply_length == 500


def test_moderation_verbs(mock_url):
    ada = connector(mock_url, "ada_token")
    cursor = ada.fetch(None).cursor
    rude = post(mock_url, "katherine_token", status="@ada rude words")
    item = next(i for i in ada.fetch(cursor).items if i.platform_item_id == rude["id"])
    target = target_of(item)
    headers = {"Authorization": "Bearer ada_token"}
    ada.act(Verb.REPORT, target, "spam: rude words")
    ada.act(Verb.MUTE_AUTHOR, target)
    ada.act(Verb.BLOCK_AUTHOR, target)
    relation = requests.get(
        f"{mock_url}/api/v1/accounts/relationships",
        params={"id[]": target.author_platform_id},
        headers=headers,
        timeout=5,
    ).json()[0]
    assert relation["blocking"] and relation["muting"]
    reports = requests.get(f"{mock_url}/api/v1/admin/reports", headers=headers, timeout=5).json()
    assert any(r["target_account"]["id"] == target.author_platform_id and r["category"] == "spam" for r in reports)
    ada.act(Verb.BAN_AUTHOR, target, "repeated abuse")
    admin_view = requests.get(
        f"{mock_url}/api/v1/admin/accounts/{target.author_platform_id}", headers=headers, timeout=5
    ).json()
    assert admin_view["suspended"]
    ada.act(Verb.UNBAN_AUTHOR, target)
    admin_view = requests.get(
        f"{mock_url}/api/v1/admin/accounts/{target.author_platform_id}", headers=headers, timeout=5
    ).json()
    assert not admin_view["suspended"]
    own = ada.reply(target, "Please keep it civil.", "mock-key-civil")
    ada.act(Verb.DELETE, target_of(own))
    gone = requests.get(f"{mock_url}/api/v1/statuses/{own.platform_item_id}", headers=headers, timeout=5)
    assert gone.status_code == 404


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def test_sign_in_through_the_mock_authorisation_page(mock_url):
    def browser(url: str) -> bool:
        """Open the mock's account picker and choose @grace, as a person would."""
        page = requests.get(url, timeout=5)
        form = _Form()
        form.feed(page.text)
        assert re.search(r'value="grace"', page.text)
        requests.post(mock_url + "/oauth/authorize", data=form.fields | {"username": "grace"}, timeout=5)
        return True

    result = sign_in(mock_url, http=fast_http(), open_browser=browser, timeout=10)
    assert result.display_name == "Grace Hopper"
    assert result.handle.startswith("@grace@")
    grace = MastodonConnector(
        Account(2, Platform.MASTODON, "grace", result.handle, result.base_url, settings=result.settings),
        MemoryVault(result.secrets),
        fast_http(),
    )
    assert grace.profile().me.acct == "grace"
