"""The binder job's claim (one worker builds it), a community's binder of a district campaign
(缺少资料 only for its items) and the binder's working language."""

import io
import zipfile
from types import SimpleNamespace

import pytest
from django.utils import translation

from apps.campaigns.binder import jobs
from apps.campaigns.models import BinderExport, Task
from apps.campaigns.services.binder import binder_start
from apps.campaigns.tests.binder_helpers import FakeSource, record, register_fake, upload
from apps.campaigns.tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fake(monkeypatch):
    source = FakeSource()
    register_fake(monkeypatch, source)
    return source


def _start(actor, campaign, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binder = binder_start(actor=actor, campaign=campaign, jurisdiction=area)
    binder.refresh_from_db()
    return binder


def _members(binder):
    with binder.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read())).namelist()


def test_a_job_taken_by_another_worker_is_not_built_again(camp, media, monkeypatch):
    binder = BinderExport.objects.create(
        campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.office, status="pending"
    )
    stale = BinderExport.objects.select_related("campaign", "jurisdiction").get(pk=binder.pk)
    # Between this worker's read and its write, a duplicated message's worker took the job.
    BinderExport.objects.filter(pk=binder.pk).update(status="running")
    built = []
    monkeypatch.setattr(jobs, "build_binder", lambda *args, **kwargs: built.append(args))
    monkeypatch.setattr(BinderExport.objects, "select_related", lambda *names: SimpleNamespace(get=lambda **kw: stale))
    jobs.binder_build_run(binder.pk)
    assert built == []
    assert BinderExport.objects.get(pk=binder.pk).status == "running"


def test_community_binder_of_a_district_campaign_notes_only_its_items(
    camp, media, fake, django_capture_on_commit_callbacks
):
    district = make_campaign(camp, camp.standard_version, camp.district, title="区创建国家卫生城市")
    items = camp.standard_version.items_by_code
    Task.objects.create(campaign=district, item=items["1.2"], jurisdiction=camp.comm_a1, title="甲一社区例会")
    record(district, items["2.1"], camp.comm_a1, 11, "甲一社区检查表")
    Task.objects.create(campaign=district, item=items["2.2"], jurisdiction=camp.comm_b1, title="乙一社区结案")
    binder = _start(camp.community, district, camp.comm_a1, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded", binder.message
    missing = sorted(n.split("/")[1] for n in _members(binder) if n.endswith("缺少资料.txt"))
    # 1.2 (a task here) and 2.1 (a piece here, short of its requirement); not 1.1 nor 乙一社区's 2.2.
    assert missing == ["1.2 每月召开例会", "2.1 无暴露垃圾"]
    # The district's own binder still notes every item short of evidence.
    whole = _start(camp.office, district, camp.district, django_capture_on_commit_callbacks)
    assert len([n for n in _members(whole) if n.endswith("缺少资料.txt")]) == 4


def test_binder_is_written_in_the_working_language(camp, media, fake, settings, django_capture_on_commit_callbacks):
    upload(camp, camp.campaign, camp.standard_version.items_by_code["1.1"], camp.comm_a1, "成立文件")
    with translation.override("en"):  # an English session on a Chinese deployment
        binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
        name = jobs.binder_file_name(binder)
    members = _members(binder)
    assert {"00 目录.docx", "00 目录.xlsx"} <= set(members)
    assert any(n.endswith("/缺少资料.txt") for n in members)
    assert name.startswith("台账-")

    settings.LANGUAGE_CODE = "en"  # an English deployment
    english = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    members = _members(english)
    assert {"00 Index.docx", "00 Index.xlsx"} <= set(members)
    assert any(n.endswith("/Missing evidence.txt") for n in members)
    assert jobs.binder_file_name(english).startswith("Ledger-")
