"""Backup, wipe, restore, compare: on whichever database the settings point at (SQLite or PostgreSQL).

Transactional tests: `backup` takes its own snapshot (PostgreSQL: pg_dump in another process sees
only committed rows) and `restore` replaces the database under the test, so nothing may sit in a
test transaction.
"""

import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections

from apps.accounts.models import User
from apps.core.audit_guard import installed
from apps.core.models import AuditEvent
from apps.ops.backup import MANIFEST, SUMS, backups_list, sha256
from tests.builders import build_org

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _media(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = Path(settings.MEDIA_ROOT)
    (root / "photos" / "2026" / "11").mkdir(parents=True)
    (root / "photos" / "2026" / "11" / "现场.jpg").write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    (root / "documents" / "通报.docx").parent.mkdir(parents=True)
    (root / "documents" / "通报.docx").write_bytes(b"PK\x03\x04 a generated notice")
    return root


def _backup(tmp_path, *args) -> Path:
    call_command("backup", "--output", str(tmp_path / "backups"), *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return backups_list(tmp_path / "backups")[-1]


def test_backup_wipe_restore_gives_back_every_row_and_file(tmp_path, media):
    org = build_org()
    counts, files = _counts(), _media(media)
    assert counts["core.auditevent"] > 0 and counts["accounts.user"] > 0

    folder = _backup(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["rows"] == {label: n for label, n in counts.items() if label in manifest["rows"]}
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    core_leaf = MigrationLoader(connection).graph.leaf_nodes("core")[0][1]
    assert "0002_audit_append_only" in manifest["migrations"]["core"]
    assert manifest["migrations"]["core"][-1] == core_leaf
    assert {f["path"] for f in manifest["files"]} >= {f"media/{path}" for path in files}
    for entry in manifest["files"]:
        assert sha256(folder / entry["path"]) == entry["sha256"]

    # Wipe: the database emptied, the media gone, a stray file that the restore must remove.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    (media / "stray").mkdir(parents=True)
    (media / "stray" / "new.txt").write_text("made after the backup")
    assert User.objects.count() == 0 and AuditEvent.objects.count() == 0

    out = tmp_path / "restore.log"
    with open(out, "w") as stdout:
        call_command("restore", str(folder), "--yes", "--allow-connected", stdout=stdout)
    assert "all verified" in out.read_text()

    assert _counts() == counts
    assert _media(media) == files
    assert User.objects.get(pk=org.community.pk).username == org.community.username
    assert installed(connection)  # the restored audit table is protected again


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, media):
    build_org()
    folder = _backup(tmp_path)
    counts = _counts()
    photo = folder / "media" / "photos" / "2026" / "11" / "现场.jpg"
    data = bytearray(photo.read_bytes())
    data[100] ^= 0xFF
    photo.write_bytes(bytes(data))
    (media / "documents" / "通报.docx").write_bytes(b"changed after the backup")
    with pytest.raises(CommandError, match=r"damaged.*现场\.jpg does not match its checksum"):
        call_command("restore", str(folder), "--yes")
    assert _counts() == counts
    assert (media / "documents" / "通报.docx").read_bytes() == b"changed after the backup"


def _rewrite_manifest(folder: Path, change) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    change(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))
    sums = [line for line in (folder / SUMS).read_text().splitlines() if not line.endswith(MANIFEST)]
    (folder / SUMS).write_text("\n".join([*sums, f"{sha256(folder / MANIFEST)}  {MANIFEST}"]) + "\n")


def test_another_engine_newer_code_or_a_newer_database_is_refused(tmp_path, media):
    build_org()
    folder = _backup(tmp_path)
    counts = _counts()

    other = (
        "sqlite" if json.loads((folder / MANIFEST).read_text())["database"]["engine"] == "postgresql" else "postgresql"
    )
    engine = tmp_path / "engine"
    shutil.copytree(folder, engine)
    _rewrite_manifest(engine, lambda m: m["database"].update(engine=other))
    with pytest.raises(CommandError, match="same engine"):
        call_command("restore", str(engine), "--yes")

    newer = tmp_path / "newer"
    shutil.copytree(folder, newer)
    _rewrite_manifest(newer, lambda m: m["migrations"]["core"].append("0099_future"))
    with pytest.raises(CommandError, match=r"newer code.*core\.0099_future"):
        call_command("restore", str(newer), "--yes")

    older = tmp_path / "older"
    shutil.copytree(folder, older)
    _rewrite_manifest(older, lambda m: m["migrations"]["core"].remove("0002_audit_append_only"))
    with pytest.raises(CommandError, match=r"migrations the backup lacks \(core\.0002_audit_append_only\)"):
        call_command("restore", str(older), "--yes")

    tampered = tmp_path / "tampered"
    shutil.copytree(folder, tampered)
    (tampered / MANIFEST).write_text((tampered / MANIFEST).read_text().replace('"rows"', '"rows" ', 1))
    with pytest.raises(CommandError, match=r"manifest\.json does not match"):
        call_command("restore", str(tampered), "--yes")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder), interactive=False)
    assert _counts() == counts


def test_keep_deletes_the_oldest_backups_and_day_old_partial_folders_only(tmp_path, media):
    build_org()
    killed = tmp_path / "backups" / "chuangwei-backup-20200101T000000Z.partial"
    running = tmp_path / "backups" / "chuangwei-backup-20200102T000000Z.partial"
    for folder in (killed, running):
        folder.mkdir(parents=True)
    os.utime(killed, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    made = [_backup(tmp_path, "--keep", "2") for _ in range(3)]
    assert backups_list(tmp_path / "backups") == made[1:]
    assert not killed.exists() and running.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sessions of other processes: PostgreSQL only")
def test_restore_refuses_while_other_sessions_are_connected(tmp_path, media):
    """Idle sessions (the live server of other tests) are allowed with --allow-connected only."""
    build_org()
    folder = _backup(tmp_path)
    counts = _counts()
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    with psycopg.connect(**params), pytest.raises(CommandError, match="other sessions are connected"):
        call_command("restore", str(folder), "--yes")
    assert _counts() == counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump's version matters on PostgreSQL only")
def test_an_older_pg_dump_than_the_server_is_refused_plainly(tmp_path, media):
    fake = subprocess.CompletedProcess([], 0, stdout="pg_dump (PostgreSQL) 9.6.24\n")
    with mock.patch("apps.ops.backup.subprocess.run", return_value=fake), pytest.raises(CommandError) as raised:
        _backup(tmp_path)
    assert f"install postgresql-client-{connection.pg_version // 10000}" in str(raised.value)
    assert not backups_list(tmp_path / "backups")


def test_a_backup_taken_while_the_app_writes_is_consistent(tmp_path, media):
    """Rows inserted during the backup: the dump and the manifest's counts come from one snapshot,
    so the restore's own verification (counts against the manifest) passes."""
    build_org()
    template = AuditEvent.objects.first()
    stop, written = threading.Event(), []

    def write():
        try:
            while not stop.is_set():
                AuditEvent.objects.create(
                    action=template.action, content_type_id=template.content_type_id, object_id="1", object_repr="x"
                )
                written.append(1)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5 and writer.is_alive():
            time.sleep(0.01)
        before = len(written)
        folder = _backup(tmp_path)
        during = len(written) - before
    finally:
        stop.set()
        writer.join()
    assert during > 0, "nothing was written while the backup ran"
    in_backup = json.loads((folder / MANIFEST).read_text())["rows"]["core.auditevent"]
    call_command("restore", str(folder), "--yes", "--allow-connected", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AuditEvent.objects.count() == in_backup
