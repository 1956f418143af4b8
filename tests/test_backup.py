"""`traedesten backup` and `traedesten restore` into a fresh database, compared table by table."""

import json
import os
import subprocess
import sys
import uuid

import dj_database_url
import pytest

from conftest import subprocess_env

TRAEDESTEN = [sys.executable, "-m", "traedesten"]


def _run(args, env):
    run = subprocess.run(TRAEDESTEN + args, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return run.stdout


def _fresh_databases(tmp_path):
    """Two empty databases of the engine the suite runs on: the live one and the restore target."""
    base = subprocess_env()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        (tmp_path / "live").mkdir(), (tmp_path / "restored").mkdir()
        return (base | {"TRAEDESTEN_DATA_DIR": str(tmp_path / "live")},
                base | {"TRAEDESTEN_DATA_DIR": str(tmp_path / "restored")}, lambda: None)
    config = dj_database_url.parse(url)
    names = [f"traedesten_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("live", "restored")]
    admin = ["psql", "-h", config["HOST"] or "127.0.0.1", "-p", str(config["PORT"] or 5432), "-U", config["USER"] or "postgres",
             "-d", "postgres", "-qc"]
    for name in names:
        subprocess.run(admin + [f"CREATE DATABASE {name}"], check=True)

    def drop():
        for name in names:
            subprocess.run(admin + [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
    envs = [base | {"DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name, "TRAEDESTEN_DATA_DIR": str(tmp_path)} for name in names]
    return envs[0], envs[1], drop


def test_backup_restores_every_row_into_a_fresh_database(tmp_path):
    """The backup is written for the owner only and encrypted with the file key; the restore needs the same key."""
    from traedesten.core.secure_files import MAGIC, new_key

    live, restored, drop = _fresh_databases(tmp_path)
    key = new_key()
    live, restored = live | {"TRAEDESTEN_FILE_KEY": key}, restored | {"TRAEDESTEN_FILE_KEY": key}
    try:
        _run(["migrate", "--noinput", "-v0"], live)
        _run(["seed_demo", "--citizens", "40", "--seed", "2"], live)
        out = _run(["backup", "--out", str(tmp_path / "backups")], live)
        assert "Backup skrevet" in out
        [dump] = [p for p in (tmp_path / "backups").iterdir() if not p.name.endswith(".manifest.json")]
        assert [p.name for p in (tmp_path / "backups").iterdir() if p.is_dir()] == []  # no plain working copy left
        for written in (tmp_path / "backups").iterdir():
            assert written.stat().st_mode & 0o777 == 0o600, written
            assert written.read_bytes().startswith(MAGIC), written
        wrong_key = subprocess.run(TRAEDESTEN + ["restore", str(dump)], env=restored | {"TRAEDESTEN_FILE_KEY": new_key()},
                                   capture_output=True, text=True)
        assert wrong_key.returncode != 0 and "key" in wrong_key.stderr
        assert _run(["restore", str(dump)], restored).strip().endswith("kontrolsummer).")
        check = ("from traedesten.core.backup import table_fingerprints; import json; "
                 "print(json.dumps(table_fingerprints()))")
        shell = [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                 "'traedesten.settings'); django.setup(); " + check]
        a = subprocess.run(shell, env=live, capture_output=True, text=True, check=True).stdout
        b = subprocess.run(shell, env=restored, capture_output=True, text=True, check=True).stdout
        tables = json.loads(a)
        assert a == b and tables["people_person"]["rows"] >= 40 and tables["authority_grant"]["rows"] > 0
        second = subprocess.run(TRAEDESTEN + ["restore", str(dump)], env=restored, capture_output=True, text=True)
        assert second.returncode != 0 and "not empty" in second.stderr
    finally:
        drop()


def test_restore_refuses_a_backup_without_its_manifest(tmp_path):
    env = subprocess_env(TRAEDESTEN_DATA_DIR=str(tmp_path))
    (tmp_path / "x.dump").write_bytes(b"junk")
    run = subprocess.run(TRAEDESTEN + ["restore", str(tmp_path / "x.dump")], env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "manifest" in run.stderr


pytestmark = pytest.mark.filterwarnings("ignore")
