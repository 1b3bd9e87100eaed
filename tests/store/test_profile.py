"""Profiles: where they live, one instance at a time, settings that survive bad files."""

import json
import os
import stat
import subprocess
import sys

import pytest

from cmdesk.profile import Profile, ProfileLock, Settings, resolve
from cmdesk.services.workspace import open_workspace
from cmdesk.store.errors import ProfileInUse, ProfileNotWritable


def test_profile_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("CMDESK_HOME", str(tmp_path / "home"))
    assert resolve(None) == tmp_path / "home"
    assert resolve(str(tmp_path / "x")) == tmp_path / "x"
    demo = resolve(None, demo=True)
    assert demo != resolve(None) and demo.name == "demo"


def test_second_instance_is_refused_with_the_pid(profile_dir):
    with open_workspace(profile_dir, lock=True):
        with pytest.raises(ProfileInUse, match=f"process {os.getpid()}"):
            open_workspace(profile_dir, lock=True)
        # Readers (search, export) may still open it.
        open_workspace(profile_dir).close()
    open_workspace(profile_dir, lock=True).close()


def test_lock_is_released_when_the_holder_is_killed(profile_dir):
    Profile(profile_dir).ensure()
    code = (
        "import sys,time; from cmdesk.profile import Profile, ProfileLock; "
        f"ProfileLock(Profile(__import__('pathlib').Path({str(profile_dir)!r}))).acquire(); print('ok', flush=True); "
        "time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ok"
    with pytest.raises(ProfileInUse):
        ProfileLock(Profile(profile_dir)).acquire()
    holder.kill()
    holder.wait()
    ProfileLock(Profile(profile_dir)).acquire().release()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_profile_folder_is_explained(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ProfileNotWritable, match="cannot use the profile folder"):
        Profile(locked / "p").ensure()


def test_profile_under_a_file_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProfileNotWritable, match="--profile"):
        Profile(blocker / "p").ensure()


def test_settings_round_trip_private_and_corrupt_file_kept_aside(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set("language", "fr")
    settings.set("brand", "Maison Brioche")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert Settings(path).get("language") == "fr"
    with pytest.raises(ValueError):
        settings.set("language", "klingon")
    path.write_text("{not json")
    again = Settings(path)
    assert again.get("language") == "system" and "could not be read" in again.problem
    assert (tmp_path / "settings.json.unreadable").exists()
    path.write_text(json.dumps({"language": 42}))
    assert Settings(path).get("language") == "system"
