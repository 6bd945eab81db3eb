"""The binder: starting a build, the .zip it packs (folders, files, index), names, area, failures."""

import io
import zipfile

import pytest
from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from apps.campaigns.binder import build, jobs, names
from apps.campaigns.models import BinderExport
from apps.campaigns.services.binder import BinderAlreadyRunning, binder_start
from apps.campaigns.tests.binder_helpers import FakeSource, record, register_fake, upload
from apps.core.audit import AuditEvent
from apps.core.exceptions import OutsideJurisdiction
from apps.standards.models import EvidenceRequirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fake(monkeypatch):
    source = FakeSource()
    register_fake(monkeypatch, source)
    return source


def _items(camp):
    return camp.standard_version.items_by_code


def _start(actor, campaign, area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binder = binder_start(actor=actor, campaign=campaign, jurisdiction=area)
    binder.refresh_from_db()
    return binder


def _open(binder):
    with binder.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _evidence(camp):
    items = _items(camp)
    req = EvidenceRequirement.objects.get(item=items["1.1"])
    upload(camp, camp.campaign, items["1.1"], camp.comm_a1, "领导小组成立文件", name="成立文件.pdf", requirement=req)
    upload(camp, camp.campaign, items["1.1"], camp.comm_a2, "领导小组成立文件", name="成立文件.pdf", requirement=req)
    record(camp.campaign, items["2.1"], camp.comm_a1, 11, "7月检查表")
    record(camp.campaign, items["2.1"], camp.comm_a2, 12, "8月检查表")
    return req


def test_build_packs_folders_files_and_index(camp, media, fake, django_capture_on_commit_callbacks):
    _evidence(camp)
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded", binder.message
    assert (binder.total, binder.processed, binder.file_count) == (4, 4, 6)  # 2 uploads + 2 records × 2 files
    archive = _open(binder)
    files = sorted(n for n in archive.namelist() if not n.endswith("/"))
    assert files == sorted(
        [
            "00 目录.docx",
            "00 目录.xlsx",
            "01 爱国卫生组织管理/1.1 成立创卫领导小组/001 领导小组成立文件.pdf",
            "01 爱国卫生组织管理/1.1 成立创卫领导小组/002 领导小组成立文件.pdf",
            "01 爱国卫生组织管理/1.2 每月召开例会/缺少资料.txt",
            "02 环境卫生/2.1 无暴露垃圾/001 7月检查表-检查表.docx",
            "02 环境卫生/2.1 无暴露垃圾/001 7月检查表-整改前.jpg",
            "02 环境卫生/2.1 无暴露垃圾/002 8月检查表-检查表.docx",
            "02 环境卫生/2.1 无暴露垃圾/002 8月检查表-整改前.jpg",
            "02 环境卫生/2.1 无暴露垃圾/缺少资料.txt",  # the 2 sheets are not filed against 检查记录
            "02 环境卫生/2.2 按期结案/缺少资料.txt",
        ]
    )
    assert archive.read("01 爱国卫生组织管理/1.1 成立创卫领导小组/001 领导小组成立文件.pdf").startswith(b"%PDF")
    assert archive.read("02 环境卫生/2.1 无暴露垃圾/001 7月检查表-检查表.docx") == b"sheet 11"
    missing = archive.read("02 环境卫生/2.2 按期结案/缺少资料.txt").decode()
    assert "结案案件：需 1 份，已有 0 份" in missing
    info = archive.getinfo("01 爱国卫生组织管理/1.1 成立创卫领导小组/001 领导小组成立文件.pdf")
    assert info.compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("01 爱国卫生组织管理/1.2 每月召开例会/缺少资料.txt").compress_type == zipfile.ZIP_DEFLATED

    sheet = load_workbook(io.BytesIO(archive.read("00 目录.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "大项", "小项", "资料名称", "日期", "来源", "文件名", "关联方式")
    assert len(rows) - 1 == 4  # one row per piece
    assert rows[1][:4] == (1, "01 爱国卫生组织管理", "1.1 成立创卫领导小组", "领导小组成立文件")
    assert rows[1][5:] == (
        "台账上传",
        "01 爱国卫生组织管理/1.1 成立创卫领导小组/001 领导小组成立文件.pdf",
        "上传资料",
    )
    assert rows[3][5] == "测试检查表" and rows[3][7] == "自动关联"
    assert rows[3][6].split("\n") == [
        "02 环境卫生/2.1 无暴露垃圾/001 7月检查表-检查表.docx",
        "02 环境卫生/2.1 无暴露垃圾/001 7月检查表-整改前.jpg",
    ]

    document = Document(io.BytesIO(archive.read("00 目录.docx")))
    assert len(document.tables) == 2  # one per section
    assert [c.text for c in document.tables[0].rows[0].cells] == ["序号", "小项", "资料名称", "日期", "来源", "文件"]
    assert len(document.tables[1].rows) == 1 + 2
    assert document.tables[1].rows[1].cells[2].text == "7月检查表"
    assert fake.calls == [["11", "12"]]  # one call per source and batch

    actions = list(
        AuditEvent.objects.filter(object_id=str(binder.pk), action__startswith="campaigns.binder").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["campaigns.binder.started", "campaigns.binder.succeeded"]


def test_street_binder_of_district_campaign_holds_only_its_area(camp, media, fake, django_capture_on_commit_callbacks):
    from apps.campaigns.tests.factories import make_campaign

    district = make_campaign(camp, camp.standard_version, camp.district, title="区创建国家卫生城市")
    item = _items(camp)["1.1"]
    upload(camp, district, item, camp.comm_a1, "甲一社区文件")
    upload(camp, district, item, camp.comm_b1, "乙一社区文件")
    record(district, item, camp.street_b, 99, "乙街道检查表")
    binder = _start(camp.street, district, camp.street_a, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded"
    names_ = _open(binder).namelist()
    assert any("甲一社区文件" in n for n in names_)
    assert not any("乙" in n for n in names_)
    assert binder.total == 1
    with pytest.raises(OutsideJurisdiction):
        binder_start(actor=camp.street, campaign=district, jurisdiction=camp.street_b)


def test_area_must_lie_inside_the_campaign(camp):
    from apps.core.exceptions import DomainError

    with pytest.raises(DomainError):
        binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_b)
    with pytest.raises(OutsideJurisdiction):
        binder_start(actor=camp.community, campaign=camp.campaign, jurisdiction=camp.comm_a2)


def test_superseded_and_unlinked_pieces_are_left_out(camp, media, django_capture_on_commit_callbacks):
    item = _items(camp)["1.2"]
    old, _ = upload(camp, camp.campaign, item, camp.comm_a1, "例会记录（旧）")
    old.is_current = False
    old.save(update_fields=["is_current"])
    _, gone = upload(camp, camp.campaign, item, camp.comm_a1, "已移除")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    upload(camp, camp.campaign, item, camp.comm_a1, "例会记录")
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    members = [n for n in _open(binder).namelist() if n.startswith("01 爱国卫生组织管理/1.2")]
    assert members == ["01 爱国卫生组织管理/1.2 每月召开例会/001 例会记录.pdf"]


def test_second_build_of_same_area_refused_while_running(camp):
    first = binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_a)
    assert first.status == "pending"
    with pytest.raises(BinderAlreadyRunning, match="正在生成"):
        binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_a)
    other = binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.comm_a1)  # another area
    assert other.pk != first.pk
    BinderExport.objects.filter(pk=first.pk).update(status="succeeded")
    again = binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_a)
    assert again.pk != first.pk


def test_stale_build_does_not_block_forever(camp):
    from datetime import timedelta

    from django.utils import timezone

    first = binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_a)
    BinderExport.objects.filter(pk=first.pk).update(
        status="running", started_at=timezone.now() - timedelta(hours=1), created_at=timezone.now() - timedelta(hours=3)
    )
    again = binder_start(actor=camp.office, campaign=camp.campaign, jurisdiction=camp.street_a)
    first.refresh_from_db()
    assert first.status == "failed" and "超时" in first.message
    assert again.status == "pending"


def test_failure_marks_failed_with_message_and_audits(camp, media, monkeypatch):
    binder = BinderExport.objects.create(campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.office)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "build_binder", boom)
    with pytest.raises(RuntimeError):
        jobs.binder_build_run(binder.pk)
    binder.refresh_from_db()
    assert binder.status == "failed" and "内部错误" in binder.message and not binder.file
    assert AuditEvent.objects.filter(object_id=str(binder.pk), action="campaigns.binder.failed").exists()


def test_soft_time_limit_fails_with_readable_message(camp, media, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    binder = BinderExport.objects.create(campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.office)

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "build_binder", slow)
    jobs.binder_build_run(binder.pk)  # handled, not raised
    binder.refresh_from_db()
    assert binder.status == "failed" and "超过时间限制" in binder.message


def test_unreadable_upload_is_noted_not_fatal(camp, media, django_capture_on_commit_callbacks):
    document, _ = upload(camp, camp.campaign, _items(camp)["1.1"], camp.comm_a1, "丢失的文件")
    document.file.storage.delete(document.file.name)
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded"
    assert "1 个文件无法读取" in binder.message
    rows = list(load_workbook(io.BytesIO(_open(binder).read("00 目录.xlsx"))).active.iter_rows(values_only=True))
    assert rows[1][3] == "丢失的文件" and rows[1][6] == "（无文件，见系统记录）"


def test_progress_writes_are_bounded(camp, media, fake, monkeypatch, django_capture_on_commit_callbacks):
    item = _items(camp)["2.1"]
    for n in range(450):
        record(camp.campaign, item, camp.comm_a1, n, f"检查表{n}")
    writes = []
    real = jobs._progress
    monkeypatch.setattr(jobs, "_progress", lambda pk, **f: (writes.append(f), real(pk, **f)))
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded" and binder.total == 450 and binder.file_count == 900
    processed = [f["processed"] for f in writes if "processed" in f and "status" not in f]
    assert processed == [200, 400, 450]  # every 25 links at least, reported once per batch of 200
    assert len(writes) <= 6
    assert [len(c) for c in fake.calls] == [200, 200, 50]


def test_title_with_injection_is_neutralised_in_the_index(camp, media, django_capture_on_commit_callbacks):
    upload(camp, camp.campaign, _items(camp)["1.1"], camp.comm_a1, '=HYPERLINK("x")')
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    rows = list(load_workbook(io.BytesIO(_open(binder).read("00 目录.xlsx"))).active.iter_rows(values_only=True))
    assert rows[1][3] == '\'=HYPERLINK("x")'
    assert any(n.endswith("001 =HYPERLINK(_x_).pdf") for n in _open(binder).namelist())


# Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('会议:纪要/第1期*?"<>|', "会议_纪要_第1期______"),
        ("  结尾有点和空格. . ", "结尾有点和空格"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("", "_"),
        ("a\tb\nc", "a b c"),
    ],
)
def test_clean(raw, expected):
    assert names.clean(raw, 80) == expected


def test_long_names_are_cut_and_keep_their_extension():
    name = names.file_name("长" * 200, ".pdf")
    assert len(name) == names.FILE_MAX and name.endswith(".pdf")
    assert names.item_folder(type("I", (), {"code": "3.10", "text": "很长的条文" * 30})()).startswith("3.10 很长")
    assert len(names.item_folder(type("I", (), {"code": "3.10", "text": "很长的条文" * 30})())) <= names.ITEM_MAX


def test_duplicates_in_a_folder_get_numbers_case_insensitively():
    folder = names.Folder()
    assert folder.claim("照片.jpg") == "照片.jpg"
    assert folder.claim("照片.jpg") == "照片 (2).jpg"
    assert folder.claim("照片.JPG") == "照片 (3).JPG"
    assert folder.claim("Readme") == "Readme"
    assert folder.claim("README") == "README (2)"


def test_section_folder_numbers():
    section = type("S", (), {"code": "3", "name": "市容环境卫生"})()
    assert names.section_folder(section, 7) == "03 市容环境卫生"
    lettered = type("S", (), {"code": "", "name": "其他"})()
    assert names.section_folder(lettered, 7) == "07 其他"


def test_build_links_query_counts(camp, media, fake, django_assert_max_num_queries, tmp_path):
    item = _items(camp)["2.1"]
    for n in range(60):
        record(camp.campaign, item, camp.comm_a1, n, f"检查表{n}")
    binder = BinderExport.objects.create(campaign=camp.campaign, jurisdiction=camp.street_a, created_by=camp.office)
    binder = BinderExport.objects.select_related("campaign", "jurisdiction").get(pk=binder.pk)
    with transaction.atomic(), django_assert_max_num_queries(12):
        build.build_binder(binder, str(tmp_path / "b.zip"), progress=lambda n: None)


def test_a_provider_error_on_one_record_does_not_stop_the_binder(
    camp, media, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.core.evidence import EvidenceFile

    fake = FakeSource(files_per_record=1)

    def files(object_ids):
        out = fake.files(object_ids)
        out["1"] = [EvidenceFile(name="坏.docx", render=lambda: 1 / 0)]
        return out

    register_fake(monkeypatch, fake)
    from apps.core.registry import registry

    app = registry.apps["campaigns"]
    source = app.evidence_providers[-1]
    monkeypatch.setattr(
        app,
        "evidence_providers",
        [
            *app.evidence_providers[:-1],
            type(source)(key=source.key, label=source.label, records=source.records, files=files),
        ],
    )
    record(camp.campaign, _items(camp)["2.1"], camp.comm_a1, 1, "坏记录")
    record(camp.campaign, _items(camp)["2.1"], camp.comm_a1, 2, "好记录")
    binder = _start(camp.office, camp.campaign, camp.street_a, django_capture_on_commit_callbacks)
    assert binder.status == "succeeded" and binder.file_count == 1
    assert "1 个文件无法读取" in binder.message
    assert "02 环境卫生/2.1 无暴露垃圾/002 好记录.docx" in _open(binder).namelist()
