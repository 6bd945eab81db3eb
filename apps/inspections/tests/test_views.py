"""Pages and the 通报: what people see and download."""

import io
import json

import pytest
from django.urls import reverse
from docx import Document

from apps.inspections import services

from .factories import build_inspections

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    return build_inspections(org)


def test_the_bulletin_has_the_ranking_the_flags_the_criticised_unit_and_its_photos(client, world):
    # A second property company scores better: 幸福物业 (one deduction, with photo) is last.
    from apps.organization import services as org_services
    from apps.organization.models import UnitType

    better = org_services.unit_create(
        actor=None, unit_type=UnitType.objects.get(code="property"), name="阳光物业", jurisdiction=world.comm_a2
    )
    sheet = services.inspection_create(actor=world.inspector, template=world.template, unit=better)
    services.inspection_submit(actor=world.inspector, inspection=sheet)
    published = services.ranking_publish(
        actor=world.street,
        node=world.street_a,
        period_kind="month",
        day=world.sheet.inspected_on,
        level_key="unit:property",
        title="关于11月份物业公司检查评比情况的通报",
        number="甲创卫通〔2026〕12号",
        issuer="甲街道创卫办",
        requirements="请被通报单位于3日内整改到位。",
    )
    client.force_login(world.unit_contact)
    response = client.get(reverse("inspections:published_docx", args=[published.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "关于11月份物业公司检查评比情况的通报" in text and "甲创卫通〔2026〕12号" in text
    assert cells[7:10] == ["1", "阳光物业", "100.0"] and "流动红旗" in cells[7:14]
    assert cells[14:17] == ["2", "幸福物业", "80.0"] and "黄旗" in cells[14:21]
    assert "阳光物业本期成绩突出，授予流动红旗" in text
    assert "幸福物业：综合得分80.0分，排名第2名，予以通报批评" in text
    assert "无暴露垃圾（扣2.0分）。门口垃圾" in text
    assert "请被通报单位于3日内整改到位。" in text and "甲街道创卫办" in text
    assert "二〇二六年" in text or "二〇二七年" in text
    images = [rel for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 1


def test_the_score_sheet_saves_an_item_and_answers_the_running_total(client, world):
    client.force_login(world.inspector)
    page = client.get(reverse("inspections:inspection_fill", args=[world.draft.pk]))
    assert page.status_code == 200 and "无暴露垃圾" in page.content.decode()
    url = reverse("inspections:inspection_item_save", args=[world.draft.pk, world.item.pk])
    body = {"occurrences": 3, "passed": False, "note": "三处垃圾", "stamp": 10}
    answer = client.post(url, json.dumps(body), content_type="application/json").json()
    assert answer["deduction"] == "6.0" and answer["total"] == "4.0" and answer["applied"]
    stale = client.post(url, json.dumps({**body, "occurrences": 1, "stamp": 5}), content_type="application/json")
    assert stale.json()["applied"] is False and stale.json()["total"] == "4.0"
    bad = client.post(url, "{not json", content_type="application/json")
    assert bad.status_code == 400 and "格式" in bad.json()["error"]


def test_a_submitted_sheet_refuses_more_entries(client, world):
    client.force_login(world.inspector)
    url = reverse("inspections:inspection_item_save", args=[world.sheet.pk, world.item.pk])
    response = client.post(url, json.dumps({"occurrences": 0, "stamp": 99}), content_type="application/json")
    assert response.status_code == 409 and "已提交" in response.json()["error"]


def test_the_ranking_page_and_the_wall(client, world):
    client.force_login(world.street)
    page = client.get(reverse("inspections:ranking"), {"period_kind": "month", "level": "unit:property"})
    html = page.content.decode()
    assert page.status_code == 200 and "幸福物业" in html and 'data-flag="red"' in html
    client.force_login(world.unit_contact)
    assert client.get(reverse("inspections:ranking")).status_code == 302  # units go to the wall
    wall = client.get(reverse("inspections:wall")).content.decode()
    assert world.published.title in wall


def test_the_template_page_warns_that_edits_make_a_new_version(client, world):
    client.force_login(world.office)
    html = client.get(reverse("inspections:template_detail", args=[world.template.pk])).content.decode()
    assert "修改将自动生成新版本" in html
    response = client.post(
        reverse("inspections:item_update", args=[world.template.pk, world.item.pk]),
        {
            "section": world.item.section_id,
            "code": "1.1",
            "text": "无暴露垃圾、无卫生死角",
            "max_score": "10",
            "rule": "per_occurrence",
            "deduction": "20",
            "photo_required": "on",
        },
    )
    assert response.status_code == 400 and "扣分值不能大于分值" in response.content.decode()
    world.template.refresh_from_db()
    assert world.template.current_version.number == 1  # nothing half-saved: no empty new version


def test_the_sheet_list_exports_the_ledger_with_its_filters(client, world):
    from openpyxl import load_workbook

    client.force_login(world.street)
    response = client.get(reverse("inspections:inspection_list"), {"status": "submitted", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("检查对象", "所在辖区", "检查表")
    assert [(r[0], r[5], r[7]) for r in rows[1:]] == [("幸福物业", "已提交", 8.0)]
    client.force_login(world.street_other)
    response = client.get(reverse("inspections:inspection_list"), {"export": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(response.content)).active.values)) == 1  # headers only


def test_the_api_explains_a_score_item_by_item_and_hides_drafts_from_the_unit(client, world):
    client.force_login(world.unit_contact)
    listing = client.get("/api/v1/inspections/").json()
    sheets = listing["results"] if isinstance(listing, dict) else listing
    assert [s["id"] for s in sheets] == [world.sheet.pk]  # the planned sheet of another unit and drafts stay hidden
    sheet = sheets[0]
    assert (sheet["total"], sheet["checklist_version"], sheet["template"]) == ("8.0", 1, "门店检查表")
    assert sheet["results"] == [
        {
            "item_code": "1.1",
            "item_text": "无暴露垃圾",
            "max_score": "10.0",
            "occurrences": 1,
            "passed": False,
            "deduction": "2.0",
            "original_deduction": "2.0",
            "note": "门口垃圾",
            "case": None,
            "case_code": None,
        }
    ]
    rankings = client.get("/api/v1/rankings/").json()
    rankings = rankings["results"] if isinstance(rankings, dict) else rankings
    assert [r["id"] for r in rankings] == [world.published.pk] and rankings[0]["rows"][0]["label"] == "幸福物业"


def test_a_community_bulletin_lists_the_deductions_found_inside_the_criticised_community(world):
    from apps.inspections.documents import bulletin_docx

    better = services.inspection_create(actor=world.inspector, template=world.template, unit=world.unit_a2)
    services.inspection_submit(actor=world.inspector, inspection=better, open_cases=False)  # 甲二社区: 100
    published = services.ranking_publish(
        actor=world.street,
        node=world.street_a,
        period_kind="month",
        day=world.sheet.inspected_on,
        level_key="level:community",
        title="社区评比通报",
        issuer="甲街道创卫办",
    )
    assert [(r["label"], r["flag"]) for r in published.rows] == [("甲二社区", "red"), ("甲一社区", "yellow")]
    document = Document(io.BytesIO(bulletin_docx(published)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "甲一社区：综合得分80.0分，排名第2名" in text and "1. 幸福物业：无暴露垃圾（扣2.0分）。门口垃圾。" in text
    assert len([rel for rel in document.part.rels.values() if "image" in rel.reltype]) == 1
