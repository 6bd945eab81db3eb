"""Importing a standard from .xlsx through the import jobs: a good file makes the tree, one bad row
imports nothing and says where."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.campaigns.tests.factories import make_campaign
from apps.core.models import AuditEvent
from apps.imports import jobs
from apps.imports import services as import_services
from apps.imports.template_book import template_workbook
from apps.imports.tests.helpers import upload, workbook_bytes
from apps.standards import services
from apps.standards.imports import StandardImport, parse_requirements
from apps.standards.models import Standard, StandardItem

from .helpers import HEADERS, good_rows, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_import(actor, rows, name="standard.xlsx"):
    job = import_services.import_job_start(
        actor=actor, source="standard_items", upload=upload(workbook_bytes(HEADERS, rows), name)
    )
    jobs.data_job_run(job.pk)
    job.refresh_from_db()
    return job


def errors_of(job) -> dict:
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_good_workbook_makes_the_standard_and_its_tree(org):
    job = run_import(org.office, good_rows())
    assert job.status == "succeeded", job.errors
    assert job.result_count == 4
    standard = Standard.objects.get(code="town-2026")
    assert (standard.name, standard.kind) == ("某镇卫生镇标准（导入）", "provincial_town")
    version = standard.current_version
    assert version.number == 1 and version.source == "standard.xlsx"
    assert [(s.code, s.name) for s in version.sections.all()] == [("0", "申报必备条件"), ("1", "爱国卫生组织管理")]
    items = {i.code: i for i in StandardItem.objects.filter(version=version)}
    assert items["0.1"].kind == "prerequisite" and items["0.1"].points is None
    assert (items["1.1"].kind, items["1.1"].points, items["1.1"].method) == ("scored", Decimal("4.0"), "查阅资料")
    assert list(items["1.1"].requirements.values_list("name", "min_count")) == [
        ("领导小组成立文件", 1),
        ("例会记录", 4),
    ]
    indicators = list(items["1.2"].indicators.values_list("name", "measure", "comparator", "threshold", "unit"))
    assert indicators == [
        ("群众满意率", "rate", "gte", Decimal("90.00"), "%"),
        ("调查样本量", "count", "gte", Decimal("100.00"), "份"),
    ]
    assert items["1.3"].is_example and not items["1.2"].is_example
    event = AuditEvent.objects.get(action="standards.standard.imported")
    assert event.data == {"version_number": 1, "sections": 2, "items": 4, "import_job": job.pk}


def test_one_bad_row_imports_nothing_and_reports_row_and_column(org):
    rows = good_rows()
    rows.append(row(大项编号="1", 小项编号="1.4", 条文="坏行", 类型="计分项", 指标名称="知晓率", 达标值=120, 单位="%"))
    before = Standard.objects.count()
    job = run_import(org.office, rows)
    assert job.status == "failed"
    assert Standard.objects.count() == before
    assert not Standard.objects.filter(code="town-2026").exists()
    errors = errors_of(job)
    assert errors == {(7, "分值"): "计分项请填写分值", (7, "达标值"): "比率的达标值不能超过 100%"}
    assert "未导入任何数据" in job.message


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"标准代码": "中文代码"}, "标准代码", "只能包含字母、数字、- 和 _"),
        ({"小项编号": "1.1"}, "小项编号", "与第 3 行的小项编号重复"),
        ({"大项编号": "9"}, "大项名称", "大项“9”第一次出现，必须填写大项名称"),
        ({"大项名称": "别的名称"}, "大项名称", "与第 3 行的大项名称不一致"),
        ({"类型": "达标项", "分值": 3}, "分值", "只有计分项有分值"),
        ({"所需资料": "照片×0"}, "所需资料", "“照片×0”的份数必须在 1 到 999 之间"),
        ({"单位": "%"}, "指标名称", "填写了达标值、单位或系统数据时必须填写指标名称"),
        ({"比较": "大于"}, "比较", "取值必须是以下之一：≥、≤、="),
        ({"条文": ""}, "条文", "必填项不能为空"),
        ({"系统数据": "未注册的数据"}, "系统数据", "系统数据“未注册的数据”不存在"),
    ],
)
def test_row_level_errors(org, bad, column, message):
    rows = good_rows()
    rows.append(row(**{"大项编号": "1", "小项编号": "1.9", "条文": "新条文", **bad}))
    job = run_import(org.office, rows)
    assert job.status == "failed"
    assert errors_of(job).get((7, column)) == message, job.errors
    assert not Standard.objects.filter(code="town-2026").exists()


def test_a_new_standard_needs_a_name_and_an_unknown_code_is_not_taken(org):
    job = run_import(org.office, [row("nameless", 大项名称="一")])
    assert errors_of(job)[(2, "标准名称")] == "新标准的第一行必须填写标准名称"


def test_importing_an_existing_code_makes_a_new_version_and_keeps_the_campaigns(org):
    standard = Standard.objects.get(code="jiangsu-town")
    old = standard.current_version
    campaign = make_campaign(org, old, org.street_a)
    job = run_import(org.office, good_rows(code="jiangsu-town", name=""))
    assert job.status == "succeeded", job.errors
    standard.refresh_from_db()
    assert standard.current_version.number == 2
    assert standard.current_version.items.count() == 4
    campaign.refresh_from_db()
    assert campaign.standard_version_id == old.pk and old.items.count() > 0
    assert standard.name == "江苏省卫生镇标准"


def test_an_existing_code_with_another_name_is_refused(org):
    job = run_import(org.office, good_rows(code="jiangsu-town", name="另一个标准"))
    assert errors_of(job)[(2, "标准名称")].startswith("代码“jiangsu-town”已是“江苏省卫生镇标准”的代码")


def test_an_empty_new_standard_is_filled_in_place(org):
    standard = services.standard_create(actor=org.office, data={"code": "empty-1", "name": "空标准", "kind": "local"})
    job = run_import(org.office, good_rows(code="empty-1", name="空标准"))
    assert job.status == "succeeded", job.errors
    standard.refresh_from_db()
    assert list(standard.versions.values_list("number", flat=True)) == [1]
    assert standard.current_version.items.count() == 4


def test_only_editors_may_import(org):
    from apps.core.exceptions import PermissionDeniedForRole

    with pytest.raises(PermissionDeniedForRole):
        import_services.import_job_start(
            actor=org.street, source="standard_items", upload=upload(workbook_bytes(HEADERS, good_rows()))
        )


def test_the_template_has_every_column_and_an_example_the_importer_accepts(org, tmp_path):
    from io import BytesIO

    content = template_workbook(StandardImport, org.office)
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    headers = [cell.value.rstrip("*") for cell in sheet[1]]
    assert headers == HEADERS
    example = [cell.value for cell in sheet[2]]
    example[0] = example[0].replace("【示例】", "")
    job = run_import(org.office, [example])
    assert job.status == "succeeded", job.errors
    assert Standard.objects.get(code="my-community-2026").current_version.items.count() == 1


def test_parse_requirements():
    assert parse_requirements("成立文件；例会记录×4; 照片 x 2\n台账") == [
        ("成立文件", 1),
        ("例会记录", 4),
        ("照片", 2),
        ("台账", 1),
    ]
