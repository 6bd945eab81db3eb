"""Uploads in S3-compatible object storage (issue 14): the settings' S3 block, a case photo
written through the real service and served through the permission-checked view, a worker's
local copy of a stored workbook. moto stands in for the object store, in this process."""

import json
import os
import runpy
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from moto import mock_aws

from apps.cases import services
from apps.cases.tests.conftest import jpeg
from apps.core.storage import local_path, on_filesystem
from apps.imports.models import DataJob

pytestmark = pytest.mark.django_db

BUCKET = "hmulti-unit"
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"


def production_storages(**env) -> dict:
    """STORAGES as config/settings.py builds it with these environment variables."""
    saved = dict(os.environ)
    os.environ.update({"DJANGO_SECRET_KEY": "storage-test-" + "k" * 40, **env})
    try:
        return runpy.run_path(str(SETTINGS_FILE))["STORAGES"]
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_without_a_bucket_uploads_stay_on_the_filesystem():
    storages = production_storages(CHUANGWEI_S3_BUCKET="")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def s3(settings, tmp_path, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "hmulti",
        "AWS_SECRET_ACCESS_KEY": "hmulti-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    storages = production_storages(CHUANGWEI_S3_BUCKET=BUCKET, CHUANGWEI_S3_REGION="us-east-1")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}
        yield client


def test_the_bucket_setting_switches_uploads_to_private_object_storage():
    options = production_storages(CHUANGWEI_S3_BUCKET=BUCKET, CHUANGWEI_S3_ENDPOINT_URL="http://minio:9000")["default"][
        "OPTIONS"
    ]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == "http://minio:9000"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["querystring_auth"] is True and options["querystring_expire"] <= 300


def test_a_case_photo_goes_to_the_bucket_and_is_served_only_through_the_view(s3, client, org, cats, settings):
    assert not on_filesystem()
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    photo = case.photos.get()
    stored = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {photo.image.name, photo.thumbnail.name} <= stored
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing written locally
    body = s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    assert body[:2] == b"\xff\xd8"
    # Private: the object grants nobody but its owner (no public-read, no AllUsers grant).
    grants = s3.get_object_acl(Bucket=BUCKET, Key=photo.image.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)

    url = reverse("cases:case_photo", args=[photo.pk, "full"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(org.community_b)  # another street's community: the case is out of scope
    assert client.get(url).status_code == 404
    client.force_login(org.grid)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == body
    thumb = client.get(reverse("cases:case_photo", args=[photo.pk, "thumb"]))
    thumb_body = s3.get_object(Bucket=BUCKET, Key=photo.thumbnail.name)["Body"].read()
    assert thumb.status_code == 200 and b"".join(thumb.streaming_content) == thumb_body


def test_a_worker_reads_a_stored_workbook_through_a_local_copy(s3, org):
    job = DataJob(created_by=org.admin)
    job.input_file.save("units.xlsx", ContentFile(b"PK\x03\x04 workbook bytes"), save=False)
    assert job.input_file.name.startswith("imports/")
    with local_path(job.input_file) as path:
        copy = Path(path)
        assert copy.read_bytes() == b"PK\x03\x04 workbook bytes" and copy.suffix == ".xlsx"
    assert not copy.exists()  # the temporary copy is gone after the block


def test_photos_kept_from_a_refused_form_live_in_the_bucket_until_used(s3):
    from apps.photos import pending

    [token] = pending.keep_uploads([jpeg(size=(300, 200))], owner="user:1")
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="pending/")["Contents"]}
    assert len(keys) == 2 and any(key.endswith(".thumb") for key in keys)
    assert pending.valid_tokens([token], owner="user:2") == []  # another person's token is nothing
    [kept] = pending.load_kept([token], owner="user:1")
    assert kept.read()[:2] == b"\xff\xd8"
    [preview] = pending.previews([token], owner="user:1")
    assert preview["src"].startswith("data:image/jpeg;base64,")
    pending.discard([token], owner="user:1")
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="pending/")


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_leave_the_bucket_to_the_object_store(s3, settings, tmp_path):
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.ops.backup import MANIFEST, backups_list
    from tests.builders import build_org

    build_org()
    users = User.objects.count()
    name = default_storage.save("photos/2026/12/kept.jpg", ContentFile(b"\xff\xd8 in the bucket"))
    stray = Path(settings.MEDIA_ROOT) / "old" / "local.jpg"  # an unused MEDIA_ROOT is not touched
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left from the single-machine days")

    log = tmp_path / "backup.log"
    with log.open("w") as out:
        call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    folder = backups_list(tmp_path / "backups")[-1]
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["media_in_object_storage"] is True
    assert not [f for f in manifest["files"] if f["path"].startswith("media/")]
    assert "object storage" in log.read_text()

    call_command("flush", interactive=False, verbosity=0)
    with log.open("w") as out:
        call_command("restore", str(folder), "--yes", "--allow-connected", stdout=out)
    assert "all verified" in log.read_text() and "left as they are" in log.read_text()
    assert User.objects.count() == users
    assert s3.get_object(Bucket=BUCKET, Key=name)["Body"].read() == b"\xff\xd8 in the bucket"
    assert stray.read_bytes() == b"left from the single-machine days"
