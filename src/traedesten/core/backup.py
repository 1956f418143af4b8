"""Backups and restores: pg_dump/pg_restore for PostgreSQL, SQLite's online backup, and a manifest of
row counts and checksums per table so a restore can prove it brought everything back."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection, connections

from .secure_files import PIECE, read_bytes, read_private, write_private

MANIFEST_SUFFIX = ".manifest.json"


def table_fingerprints(alias: str = "default") -> dict[str, dict]:
    """Row count and a SHA-256 over every row for each table. Rows are hashed one by one and the hashes sorted, so
    the fingerprint does not depend on the order the database returns them in."""
    conn = connections[alias]
    result = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            # The table name comes from the database's own introspection, never from input.
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # nosec B608
            hashes = []
            while rows := cursor.fetchmany(2000):
                hashes += [hashlib.sha256(repr(tuple(_plain(v) for v in row)).encode()).hexdigest() for row in rows]
            hashes.sort()
            result[table] = {"rows": len(hashes), "sha256": hashlib.sha256("".join(hashes).encode()).hexdigest()}
    return result


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def backup(out_dir: Path) -> tuple[Path, dict[str, dict]]:
    """Write a backup and its manifest, both readable by the owner only and encrypted when a file key is set
    (see secure_files.py); returns the backup file and the manifest's tables."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    settings_dict = connection.settings_dict
    suffix = {"postgresql": ".dump", "sqlite": ".sqlite3"}.get(connection.vendor)
    if suffix is None:
        raise RuntimeError(f"No backup method for {connection.vendor}")
    target = out_dir / f"traedesten-{stamp}{suffix}"
    with tempfile.TemporaryDirectory(dir=out_dir) as work:
        plain = Path(work) / target.name
        write_private(plain, b"", encrypt=False)  # created 0600 before the database writes into it
        if connection.vendor == "postgresql":
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={plain}", settings_dict["NAME"]],
                           env=_pg_env(settings_dict), check=True)
        else:
            connection.ensure_connection()
            copy = sqlite3.connect(plain)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
        with plain.open("rb") as source:
            write_private(target, iter(lambda: source.read(PIECE), b""))
    tables = table_fingerprints()
    manifest = {"created": stamp, "vendor": connection.vendor, "tables": tables}
    write_private(Path(str(target) + MANIFEST_SUFFIX), json.dumps(manifest, indent=1).encode("utf-8"))
    return target, tables


def restore(source: Path, alias: str = "default") -> None:
    """Restore into the database `alias`, which must be empty."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        if conn.introspection.table_names(cursor):
            raise RuntimeError("The target database is not empty; restore only into a fresh database.")
    settings_dict = conn.settings_dict
    if conn.vendor not in ("postgresql", "sqlite"):
        raise RuntimeError(f"No restore method for {conn.vendor}")
    with tempfile.TemporaryDirectory() as work:
        plain = write_private(Path(work) / "restore", read_private(source), encrypt=False)
        if conn.vendor == "postgresql":
            subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={settings_dict['NAME']}",
                            str(plain)], env=_pg_env(settings_dict), check=True)
        else:
            conn.close()
            shutil.copyfile(plain, settings_dict["NAME"])


def verify(source: Path, alias: str = "default") -> list[str]:
    """Differences between the backup's manifest and the restored database (empty when identical)."""
    expected = json.loads(read_bytes(Path(str(source) + MANIFEST_SUFFIX)).decode("utf-8"))["tables"]
    found = table_fingerprints(alias)
    problems = [f"{t}: missing" for t in expected if t not in found]
    problems += [f"{t}: {found[t]['rows']} rows, expected {v['rows']}" if found[t]["rows"] != v["rows"]
                 else f"{t}: checksum differs" for t, v in expected.items() if t in found and found[t] != v]
    return problems
