"""The downloadable import template guides people: marks, an example, drop-downs, codes."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.registry import registry
from apps.imports import jobs, services
from apps.imports.columns import header_name
from apps.imports.specs import check_cell
from apps.imports.template_book import is_example_row, template_workbook
from apps.organization.models import Unit, UnitType

from .helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def download(client, user, source="units"):
    client.force_login(user)
    response = client.get(reverse("imports:import_template", args=[source]))
    assert response.status_code == 200
    return response.content


def list_values(book, validation) -> list[str]:
    """The values a list validation offers, inline ("a,b") or a range on another sheet."""
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, ref = formula.rsplit("!", 1)
    sheet = book[sheet_name.strip("'").replace("''", "'")]
    return [cell.value for row in sheet[ref.replace("$", "")] for cell in row]


def validation_for(sheet, letter):
    found = [v for v in sheet.data_validations.dataValidation if f"{letter}2" in v.sqref and f"{letter}500" in v.sqref]
    assert len(found) == 1, f"no single validation on column {letter}"
    return found[0]


def letter_of(sheet, header) -> str:
    return next(cell.column_letter for cell in sheet[1] if cell.value == header)


def test_unit_template_marks_required_columns_and_carries_an_example(client, org):
    book = load_workbook(BytesIO(download(client, org.community)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["单位名称*", "单位类型*", "所在辖区代码*", "地址"]
    assert sheet["A1"].fill.fgColor.rgb != sheet["D1"].fill.fgColor.rgb  # required ones stand out
    assert sheet["A1"].comment.text.startswith("必填")
    assert "YYYY-MM-DD" in sheet[f"{letter_of(sheet, '证照有效期至')}1"].comment.text
    assert sheet.freeze_panes == "A2"

    example = [cell.value for cell in sheet[2]]
    assert example[0] == "【示例】锦绣花园物业服务有限公司"
    assert example[1:3] == ["物业公司", org.comm_a1.code]  # a code from the user's own scope
    assert sheet["A2"].font.i and "自动跳过" in sheet["A2"].comment.text
    assert is_example_row(example)
    assert not is_example_row(["锦绣花园物业服务有限公司", "物业公司", org.comm_a1.code])


def test_type_and_status_columns_offer_exactly_the_valid_values(client, org):
    UnitType.objects.filter(code="other").update(is_active=False)  # inactive types are not offered
    book = load_workbook(BytesIO(download(client, org.community)))
    sheet = book.worksheets[0]
    types = list_values(book, validation_for(sheet, letter_of(sheet, "单位类型*")))
    assert types == list(UnitType.objects.filter(is_active=True).values_list("name", flat=True))
    assert "其他" not in types
    assert list_values(book, validation_for(sheet, letter_of(sheet, "经营状态"))) == ["营业", "停业", "注销"]
    codes = list_values(book, validation_for(sheet, letter_of(sheet, "所在辖区代码*")))
    assert codes == [org.comm_a1.code, org.estate_a1.code, org.grid_a1.code]


def test_long_lists_move_to_a_hidden_sheet(client, org):
    for i in range(40):
        UnitType.objects.create(code=f"long{i}", name=f"很长很长的单位类型名称{i}", sort=100 + i)
    book = load_workbook(BytesIO(download(client, org.community)))
    sheet = book.worksheets[0]
    validation = validation_for(sheet, letter_of(sheet, "单位类型*"))
    assert not validation.formula1.startswith('"')
    assert list_values(book, validation) == list(UnitType.objects.filter(is_active=True).values_list("name", flat=True))
    assert book["选项"].sheet_state == "hidden"


def test_codes_sheet_lists_only_the_users_subtree(client, org):
    book = load_workbook(BytesIO(download(client, org.community)))
    codes = book["辖区代码"]
    rows = [[cell.value for cell in row] for row in codes.iter_rows()]
    assert rows[0] == ["区划代码", "名称", "层级", "完整路径"]
    assert rows[1:] == [
        [org.comm_a1.code, "甲一社区", "社区/村", "甲一社区"],
        [org.estate_a1.code, "幸福小区", "小区/自然村", "甲一社区 / 幸福小区"],
        [org.grid_a1.code, "幸福网格", "网格", "甲一社区 / 幸福小区 / 幸福网格"],
    ]
    assert codes.freeze_panes == "A2" and codes.column_dimensions["D"].width > 10

    other = load_workbook(BytesIO(download(client, org.community_other)))
    assert [row[0].value for row in other["辖区代码"].iter_rows(min_row=2)] == [org.comm_a2.code]
    assert other.worksheets[0]["C2"].value == org.comm_a2.code


def test_template_with_the_example_left_in_imports_only_the_real_rows(client, org):
    book = load_workbook(BytesIO(download(client, org.community)))
    sheet = book.worksheets[0]
    headers = [cell.value.rstrip("*") for cell in sheet[1]]
    real = {"单位名称": "锦绣花园二期物业", "单位类型": "物业公司", "所在辖区代码": org.estate_a1.code}
    sheet.append([real.get(header) for header in headers])
    buffer = BytesIO()
    book.save(buffer)

    job = services.import_job_start(
        actor=org.community, source="units", upload=upload(buffer.getvalue(), "template-units.xlsx")
    )
    jobs.data_job_run(job.pk)
    job.refresh_from_db()

    assert job.status == "succeeded", job.errors
    assert job.result_count == 1
    assert Unit.objects.filter(name="锦绣花园二期物业", jurisdiction=org.estate_a1).exists()
    assert not Unit.objects.filter(name__contains="锦绣花园物业服务有限公司").exists()


def test_the_required_mark_is_not_part_of_the_header_name():
    assert header_name("单位名称*") == header_name("单位名称 ＊") == header_name(" 单位名称 ") == "单位名称"


@pytest.mark.parametrize("source", sorted(registry.imports()))
def test_every_spec_gives_a_workbook_whose_example_the_importer_accepts(org, source):
    spec_class = registry.imports()[source]
    book = load_workbook(BytesIO(template_workbook(spec_class, org.street)))
    sheet = book.worksheets[0]
    spec = spec_class()
    columns = spec.columns()
    assert [cell.value for cell in sheet[1]] == [c.template_header for c in columns]
    assert all(cell.comment is not None for cell in sheet[1])
    example = [cell.value for cell in sheet[2]]
    assert is_example_row(example)

    # Without its mark the example is a row the importer accepts in this user's scope.
    spec.prepare(org.street, columns)
    example[0] = example[0].removeprefix("【示例】")
    errors = {c.header: check_cell(c, raw)[1] for c, raw in zip(columns, example, strict=True)}
    assert not any(errors.values()), errors
    for validation in sheet.data_validations.dataValidation:
        assert list_values(book, validation)
    assert book["辖区代码"].max_row > 1
