"""The pieces of "secure by default" that need no server: secrets on first run, host
names, sender namespaces, bounded metadata, the sanitiser, private SQLite files and no
deleted text left on disk."""
import sqlite3
import stat

import pytest

from bot import run
from bot.channels.identity import ReservedSender, local_id, person_id
from bot.channels.sanitize import clean
from bot.channels.turn import BadMetadata, accept_metadata
from bot.security import host_allowed, host_name, load_or_create
from bot.store import Store
from bot.store.files import make_private


def test_secrets_are_created_once_private_and_env_wins(tmp_path):
    value, created = load_or_create("COACH_API_TOKEN", tmp_path, env={})
    assert created == tmp_path / "api-token" and len(value) >= 32
    assert stat.S_IMODE(created.stat().st_mode) == 0o600
    again, created_again = load_or_create("COACH_API_TOKEN", tmp_path, env={})
    assert again == value and created_again is None
    given, none = load_or_create("COACH_API_TOKEN", tmp_path, env={"COACH_API_TOKEN": "from-env"})
    assert given == "from-env" and none is None


def test_only_loopback_without_allowed_hosts_and_secrets():
    cfg = {"host": "0.0.0.0", "token": "t", "secret": "s", "allowed_hosts": ""}
    with pytest.raises(RuntimeError, match="COACH_ALLOWED_HOSTS"):
        run.check_exposure(cfg)
    with pytest.raises(RuntimeError, match="COACH_WEBHOOK_SECRET"):
        run.check_exposure({**cfg, "secret": "", "allowed_hosts": "bot.example.org"})
    run.check_exposure({**cfg, "allowed_hosts": "bot.example.org"})
    run.check_exposure({"host": "127.0.0.1", "token": "", "secret": "", "allowed_hosts": ""})


def test_the_token_never_goes_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "VAR_DIR", tmp_path)
    cfg = {**run.settings(), "token": "very-secret-token", "secret": "s3", "port": "1", "action_port": "2"}
    assert "very-secret-token" not in " ".join(run.rasa_server_command(cfg, {}))
    assert run.child_env(cfg)["COACH_API_TOKEN"] == "very-secret-token"


def test_host_header_allow_list():
    env = {"COACH_ALLOWED_HOSTS": "bot.example.org, Other.Example.org"}
    assert host_name("[::1]:5005") == "::1" and host_name("Bot.Example.org:443") == "bot.example.org"
    for good in ("127.0.0.1:5005", "localhost", "[::1]:5005", "bot.example.org", "other.example.org:8443"):
        assert host_allowed(good, env), good
    for bad in ("attacker.example", "bot.example.org.attacker.example", "", "127.0.0.1.nip.io"):
        assert not host_allowed(bad, env), bad


def test_each_channel_has_its_own_namespace():
    assert person_id("slack", "U0123ABC") == "slack:U0123ABC"
    assert person_id("botframework", "29:abc") == "teams:29:abc"
    assert person_id("socketio", "ab" * 16) == "web:" + "ab" * 16
    assert person_id("rest", "U0123ABC") == "U0123ABC"  # a different person from the Slack one
    for forged in ("slack:U0123ABC", "teams:29:abc", "web:" + "ab" * 16, " SLACK:U1", "\x00web:x"):
        with pytest.raises(ReservedSender):
            person_id("rest", forged)
    assert local_id("slack", "slack:U1") == "U1" and local_id("rest", "slack-ish") == "slack-ish"


def test_metadata_allow_list_and_limits():
    assert accept_metadata({"timezone": "Europe/Paris", "persona": "x", "coach_full_text": "forged"},
                           "rest") == {"timezone": "Europe/Paris"}
    assert accept_metadata({"out_channel": "D1", "users": ["U1"]}, "slack") == {"out_channel": "D1",
                                                                                 "users": ["U1"]}
    assert accept_metadata({"out_channel": "D1"}, "rest") == {}
    assert accept_metadata(None, "rest") == {}
    deep = {}
    for _ in range(900):
        deep = {"a": deep}
    for bad in (deep, {"timezone": "x" * 5000}, {"junk": "y" * 1_000_000}, ["not", "an", "object"], "text"):
        with pytest.raises(BadMetadata):
            accept_metadata(bad, "rest")


def test_sanitiser_keeps_every_emoji_and_letter():
    text = "I feel \U0001FAE0 today \U0001F979 \u00e9\u4f60\u0645 \U0001F469\u200D\U0001F4BB"
    assert clean(text).text == text
    assert clean("a\x00b\x07c\x1b\ud800d\x7f").text == "abcd"
    assert clean("line\nnext\tcell").text == "line\nnext\tcell"


def test_sqlite_files_are_private_and_deleted_text_leaves_the_disk(tmp_path):
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = Store(url)
    store.migrate()
    marker = "unmistakable goal text 7f3a"
    store.add_goal("someone", marker, measure=marker + " measure")
    for name in ("coach.db", "coach.db-wal"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    store.delete_person("someone")
    store.dispose()
    for path in tmp_path.iterdir():
        assert marker.encode() not in path.read_bytes(), path.name
    loose = tmp_path / "loose.db"
    sqlite3.connect(loose).close()
    loose.chmod(0o644)
    make_private(f"sqlite:///{loose}")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
