"""Files with personal data leave the database readable by the owner only, and encrypted with the file key."""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from traedesten.core import secure_files
from traedesten.core.secure_files import MAGIC, FileKeyError, new_key, read_bytes, read_private, write_private


@pytest.fixture
def key(settings):
    settings.TRAEDESTEN_FILE_KEY = new_key()
    return settings.TRAEDESTEN_FILE_KEY


def test_files_are_written_for_the_owner_only_whatever_the_umask(tmp_path, settings):
    settings.TRAEDESTEN_FILE_KEY = ""
    old = os.umask(0)
    try:
        path = write_private(tmp_path / "x.jsonl", b"plain")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_bytes() == b"plain"


def test_a_big_file_round_trips_in_numbered_pieces(tmp_path, key, monkeypatch):
    monkeypatch.setattr(secure_files, "PIECE", 1000)
    data = os.urandom(5500)
    path = write_private(tmp_path / "big", (data[i:i + 700] for i in range(0, len(data), 700)))
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and data not in raw
    assert read_bytes(path) == data
    assert list(read_private(write_private(tmp_path / "empty", b""))) == [b""]


def test_a_changed_reordered_or_cut_off_file_is_refused(tmp_path, key, monkeypatch):
    monkeypatch.setattr(secure_files, "PIECE", 100)
    path = write_private(tmp_path / "f", os.urandom(450))
    raw = path.read_bytes()
    body = raw[len(MAGIC):]
    pieces, at = [], 0
    while at < len(body):
        length = int.from_bytes(body[at:at + 4], "big")
        pieces.append(body[at:at + 4 + length])
        at += 4 + length
    for broken, message in ((MAGIC + pieces[1] + pieces[0] + b"".join(pieces[2:]), "order"),
                            (MAGIC + b"".join(pieces[:-1]), "cut off"),
                            (raw[:-5] + b"xxxxx", "changed")):
        path.write_bytes(broken)
        with pytest.raises(FileKeyError, match=message):
            read_bytes(path)


def test_the_wrong_key_or_no_key_is_refused_with_a_message(tmp_path, key, settings):
    path = write_private(tmp_path / "f", b"secret")
    settings.TRAEDESTEN_FILE_KEY = new_key()
    with pytest.raises(FileKeyError, match="key"):
        read_bytes(path)
    settings.TRAEDESTEN_FILE_KEY = ""
    with pytest.raises(FileKeyError, match="TRAEDESTEN_FILE_KEY"):
        read_bytes(path)


def test_production_refuses_to_write_personal_data_without_a_key(tmp_path, settings):
    settings.TRAEDESTEN_FILE_KEY, settings.TRAEDESTEN_REQUIRE_FILE_KEY = "", True
    with pytest.raises(CommandError, match="TRAEDESTEN_FILE_KEY"):
        call_command("export", out=tmp_path / "x.jsonl", stdout=io.StringIO())
    assert not (tmp_path / "x.jsonl").exists()


def test_an_encrypted_export_imports_again(tmp_path, key, guide, make_person, team):
    make_person(guide, team=team, first_name="Krypteret", cpr="0101801233")
    out = tmp_path / "export.jsonl"
    call_command("export", out=out, stdout=io.StringIO())
    assert out.read_bytes().startswith(MAGIC) and b"0101801233" not in out.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    lines = read_bytes(out).decode().splitlines()
    assert json.loads(lines[0])["type"] == "header" and any("Krypteret" in line for line in lines)
    call_command("import", out, stdout=io.StringIO())


def test_the_subject_access_file_is_private(tmp_path, key, guide, make_person, team):
    person = make_person(guide, team=team, first_name="Indsigt")
    out = tmp_path / "indsigt.json"
    call_command("subject_access", person.pk, out=out, stdout=io.StringIO())
    assert out.stat().st_mode & 0o777 == 0o600 and b"Indsigt" not in out.read_bytes()
    assert b"Indsigt" in read_bytes(out)
