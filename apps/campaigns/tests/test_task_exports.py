"""Exports of the task table: .xlsx through the list's export button, .docx grouped by section."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from apps.campaigns.services import tasks as services


@pytest.fixture
def table(camp):
    services.tasks_generate(actor=camp.office, campaign=camp.campaign)
    return camp


@pytest.mark.django_db
def test_xlsx_export_of_the_task_table(client, table):
    client.force_login(table.street)
    url = reverse("campaigns:campaign_tasks", args=[table.campaign.pk])
    response = client.get(url + "?export=xlsx&section=" + str(table.std_item.section_id))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("创建项目", "小项编号", "任务", "责任区域")
    codes = sorted(r[1] for r in rows[1:])
    assert codes == ["1.1", "1.2"]  # the section filter applies
    first = next(r for r in rows[1:] if r[1] == "1.1")
    assert first[2] == "成立社区创卫领导小组" and first[3] == "甲一社区" and first[7] == "2026-07-15"


@pytest.mark.django_db
def test_xlsx_export_is_scoped(client, table):
    client.force_login(table.community)  # sees only 甲一社区's task
    url = reverse("campaigns:campaign_tasks", args=[table.campaign.pk])
    sheet = load_workbook(BytesIO(client.get(url + "?export=xlsx").content)).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["1.1"]


@pytest.mark.django_db
def test_docx_grouped_by_section(client, table):
    client.force_login(table.leader)
    response = client.get(reverse("campaigns:campaign_tasks_docx", args=[table.campaign.pk]))
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "甲街道创建省卫生社区任务分解表"
    assert "1 爱国卫生组织管理" in texts and "2 环境卫生" in texts
    assert len(document.tables) == 2
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["序号", "任务", "责任单位（组）", "责任人", "完成时限", "进度"]
    first = [c.text for c in document.tables[0].rows[1].cells]
    assert first[0] == "1" and first[1] == "1.1 成立社区创卫领导小组" and first[4] == "2026-07-15"
    assert first[2] == "甲一社区" and first[5] == "0%"
    numbers = [row.cells[0].text for row in document.tables[1].rows[1:]]
    assert numbers == ["3", "4"]  # numbering runs on across sections


@pytest.mark.django_db
def test_docx_headers_follow_the_readers_language(table):
    from django.utils import translation

    from apps.campaigns.exports import tasks_docx
    from apps.campaigns.models import Task

    tasks = Task.objects.filter(campaign=table.campaign).select_related("item__section", "jurisdiction")
    with translation.override("en"):
        document = Document(BytesIO(tasks_docx(table.campaign, tasks)))
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["No.", "Job", "Responsible unit (group)", "Responsible person", "Deadline", "Progress"]


@pytest.mark.django_db
def test_missing_list_rows_are_a_plain_list_and_export_in_the_background(camp):
    """The 缺项清单 source gives a real list; the background export counts it like a queryset."""
    from apps.campaigns.exports import missing_columns, missing_rows
    from apps.imports.jobs import row_count

    rows = missing_rows(camp.street, {"campaign": str(camp.campaign.pk)})
    assert type(rows) is list and rows and row_count(rows) == len(rows)
    assert missing_rows(camp.street_other, {"campaign": str(camp.campaign.pk)}) == []  # not theirs: nothing
    assert missing_rows(camp.street, {"campaign": "x"}) == []
    assert [title for title, _value in missing_columns()][:2] == ["编号", "标准小项"]
