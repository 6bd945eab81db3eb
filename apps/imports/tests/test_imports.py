import pytest
from django.urls import reverse

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.imports import jobs, services
from apps.imports.models import DataJob
from apps.organization.models import Jurisdiction, License, Staff, Unit

from .helpers import UNIT_HEADERS, unit_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_import(actor, source, content, name="data.xlsx", capture=None):
    job = services.import_job_start(actor=actor, source=source, upload=upload(content, name))
    jobs.data_job_run(job.pk)
    job.refresh_from_db()
    return job


def test_good_units_workbook_imports_everything_with_audit(org):
    rows = [unit_row(f"面馆{i}", org.comm_a1.code) for i in range(5)]
    job = run_import(org.community, "units", workbook_bytes(UNIT_HEADERS, rows))
    assert job.status == "succeeded", job.errors
    assert job.result_count == 5
    created = Unit.objects.filter(name__startswith="面馆")
    assert created.count() == 5
    assert License.objects.filter(unit__in=created, kind="食品经营许可证").count() == 5
    assert AuditEvent.objects.filter(action="organization.unit.created", data__import_job=job.pk).count() == 5


def test_one_bad_row_imports_nothing_and_reports_every_error_by_row_and_column(org):
    rows = [
        unit_row("好单位一", org.comm_a1.code),
        unit_row("坏单位", "NO-SUCH-CODE", 联系电话="abc", 纬度=95),
        unit_row("好单位二", org.comm_a1.code, 经营状态="倒闭"),
        unit_row("越界单位", org.comm_b1.code),
    ]
    job = run_import(org.community, "units", workbook_bytes(UNIT_HEADERS, rows))
    assert job.status == "failed"
    assert not Unit.objects.filter(name__in=["好单位一", "坏单位", "好单位二", "越界单位"]).exists()
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(3, "所在辖区代码")] == "辖区代码“NO-SUCH-CODE”不存在或不在您的管辖范围内"
    assert errors[(3, "联系电话")] == "电话号码格式不正确"
    assert errors[(3, "纬度")] == "必须在 -90 到 90 之间"
    assert errors[(4, "经营状态")].startswith("取值必须是以下之一：营业、停业、注销")
    assert (5, "所在辖区代码") in errors  # another street's code reads as unknown
    assert "未导入任何数据" in job.message


def test_duplicate_rows_and_missing_required_cells_are_reported(org):
    rows = [unit_row("同名", org.comm_a1.code), unit_row("同名", org.comm_a1.code), unit_row("", org.comm_a1.code)]
    job = run_import(org.community, "units", workbook_bytes(UNIT_HEADERS, rows))
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(3, "单位名称")] == "与第 2 行重复（同一辖区内同名单位）"
    assert errors[(4, "单位名称")] == "必填项不能为空"


def test_a_failed_import_is_an_audit_event_with_a_readable_label(org, client):
    from apps.core.models import AuditEvent

    rows = [unit_row("坏单位", "NO-SUCH-CODE")]
    job = run_import(org.community, "units", workbook_bytes(UNIT_HEADERS, rows))
    event = AuditEvent.objects.get(action="imports.job.failed", object_id=str(job.pk))
    assert event.actor == org.community
    assert event.data["errors"] == 1 and event.data["source"] == "units"
    assert event.action_label.endswith("导入失败")
    client.force_login(org.community)
    html = client.get(reverse("core:audit_list"), {"action": "imports.job.failed"}).content.decode()
    table = html.split('data-testid="audit-table"')[1].split("</table>")[0]
    assert "导入失败" in table and "imports.job.failed" not in table
    bad_layout = run_import(org.community, "units", workbook_bytes(["名称"], [["a"]]))
    assert AuditEvent.objects.filter(action="imports.job.failed", object_id=str(bad_layout.pk)).exists()


def test_wrong_headers_are_explained(org):
    job = run_import(org.community, "units", workbook_bytes(["名称", "类型"], [["a", "b"]]))
    assert job.status == "failed"
    assert job.message.startswith("表头缺少列：单位名称")


def test_uploads_are_checked_for_type_and_size(org, settings):
    with pytest.raises(DomainError, match="请上传 Excel 工作簿"):
        services.import_job_start(actor=org.community, source="units", upload=upload(b"hello", "units.csv"))
    with pytest.raises(DomainError, match="请上传 Excel 工作簿"):
        services.import_job_start(actor=org.community, source="units", upload=upload(b"not a zip", "fake.xlsx"))
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DomainError, match="文件过大"):
        services.import_job_start(
            actor=org.community, source="units", upload=upload(workbook_bytes(UNIT_HEADERS, []), "units.xlsx")
        )
    assert not DataJob.objects.exists()


def test_read_only_roles_cannot_import(org):
    with pytest.raises(PermissionDeniedForRole):
        services.import_job_start(actor=org.leader, source="units", upload=upload(workbook_bytes(UNIT_HEADERS, [])))


def test_jurisdictions_import_parents_before_children(org):
    headers = ["区划代码", "名称", "层级", "上级区划代码", "人口", "户数", "面积（平方公里）", "中心纬度", "中心经度"]
    rows = [
        ["N-1", "新社区", "社区/村", org.street_a.code, 5000, 1700, 1.2, 31.46, 104.68],
        ["N-1-1", "新小区", "小区/自然村", "N-1", 2000, 700, None, None, None],
        ["N-1-1-1", "新网格", "网格", "N-1-1", 0, 0, None, None, None],
    ]
    job = run_import(org.street, "jurisdictions", workbook_bytes(headers, rows))
    assert job.status == "succeeded", job.errors
    grid = Jurisdiction.objects.get(code="N-1-1-1")
    assert grid.path.startswith(org.street_a.path) and grid.depth == org.street_a.depth + 3
    assert grid.parent.code == "N-1-1"


def test_jurisdiction_import_rejects_bad_hierarchy(org):
    headers = ["区划代码", "名称", "层级", "上级区划代码", "人口", "户数", "面积（平方公里）", "中心纬度", "中心经度"]
    rows = [
        ["X-1", "子在前", "网格", "X-2", 0, 0, None, None, None],
        ["X-2", "父在后", "小区/自然村", org.comm_a1.code, 100, 200, None, None, None],
        ["X-3", "越级", "街道/镇", org.comm_a1.code, 0, 0, None, None, None],
        [org.comm_a1.code, "重复", "网格", org.comm_a1.code, 0, 0, None, None, None],
    ]
    job = run_import(org.street, "jurisdictions", workbook_bytes(headers, rows))
    errors = {(e["row"], e["column"]) for e in job.errors}
    assert {(2, "上级区划代码"), (3, "户数"), (4, "层级"), (5, "区划代码")} <= errors
    assert not Jurisdiction.objects.filter(code__startswith="X-").exists()


def test_staff_import(org):
    job = run_import(
        org.community,
        "staff",
        workbook_bytes(
            ["姓名", "所属辖区代码", "职务/岗位", "联系电话"], [["钱保洁", org.grid_a1.code, "保洁员", "13700000000"]]
        ),
    )
    assert job.status == "succeeded"
    assert Staff.objects.get(name="钱保洁").jurisdiction == org.grid_a1


def test_import_page_flow_and_progress_partial(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.community)
    content = workbook_bytes(UNIT_HEADERS, [unit_row("页面导入", org.comm_a1.code)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_start", args=["units"]), {"file": upload(content)})
    assert response.status_code == 302
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'id="job-progress"' in html and "<html" not in html
    assert "已导入 1 条记录" in html and "hx-trigger" not in html
    assert Unit.objects.filter(name="页面导入").exists()


def test_import_page_rejects_non_excel_with_a_message(client, org):
    client.force_login(org.community)
    response = client.post(reverse("imports:import_start", args=["units"]), {"file": upload(b"x,y", "a.csv")})
    assert response.status_code == 400
    assert "请上传 Excel 工作簿" in response.content.decode()


def test_stale_jobs_are_failed(org):
    from datetime import timedelta

    from django.utils import timezone

    job = DataJob.objects.create(kind="import", source="units", created_by=org.community)
    DataJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert jobs.data_jobs_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed"


def test_broker_down_marks_the_job_failed_with_a_message(org, monkeypatch, django_capture_on_commit_callbacks):
    from apps.imports import tasks
    from config.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.data_job_run, "delay", refuse)
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_start(
            actor=org.community, source="units", upload=upload(workbook_bytes(UNIT_HEADERS, []))
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert "后台任务服务不可用" in job.message
