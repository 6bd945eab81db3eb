from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.organization.models import Jurisdiction, Unit, UnitType

pytestmark = pytest.mark.django_db


def _unit_form(org, **overrides):
    data = {
        "name": "新开面馆",
        "unit_type": UnitType.objects.get(code="catering").pk,
        "jurisdiction": org.comm_a1.pk,
        "address": "人民路8号",
        "lat": "",
        "lng": "",
        "contact_name": "刘",
        "contact_phone": "13800000002",
        "status": "operating",
        "credit_code": "",
    }
    data.update(overrides)
    return data


def test_create_unit_through_the_page(client, org):
    client.force_login(org.community)
    response = client.post(reverse("organization:unit_create"), _unit_form(org))
    unit = Unit.objects.get(name="新开面馆")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    assert AuditEvent.objects.filter(action="organization.unit.created", object_id=str(unit.pk)).exists()


def test_dropdown_offers_only_jurisdictions_in_scope(client, org):
    client.force_login(org.community)
    response = client.get(reverse("organization:unit_create"))
    offered = {j.pk for j in response.context["form"].fields["jurisdiction"].queryset}
    assert offered == {org.comm_a1.pk, org.estate_a1.pk, org.grid_a1.pk}


def test_posting_an_out_of_scope_jurisdiction_is_a_form_error(client, org):
    client.force_login(org.community)
    response = client.post(reverse("organization:unit_create"), _unit_form(org, jurisdiction=org.comm_b1.pk))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()
    assert not Unit.objects.filter(name="新开面馆").exists()


def test_bad_input_gets_chinese_messages(client, org):
    client.force_login(org.community)
    response = client.post(reverse("organization:unit_create"), _unit_form(org, name="", lat="31.2"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "该字段是必填项" in html
    assert not Unit.objects.filter(address="人民路8号").exists()


def test_concurrent_edit_shows_a_conflict_and_keeps_the_first_save(client, org):
    url = reverse("organization:unit_update", args=[org.unit_a1.pk])
    form = _unit_form(org, name="幸福物业", jurisdiction=org.estate_a1.pk, version=org.unit_a1.version)
    client.force_login(org.community)
    assert client.post(url, {**form, "contact_name": "先保存的人"}).status_code == 302
    client.force_login(org.street)
    response = client.post(url, {**form, "contact_name": "后保存的人"})
    assert response.status_code == 400
    assert "已被他人修改" in response.content.decode()
    assert Unit.objects.get(pk=org.unit_a1.pk).contact_name == "先保存的人"


def test_english_is_available(client, org):
    client.force_login(org.community)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("organization:unit_list")).content.decode()
    assert "Units" in html and "Export Excel" in html


def test_unit_list_shows_only_scope_and_filters(client, org):
    client.force_login(org.street)
    names = {u.name for u in client.get(reverse("organization:unit_list")).context["rows"]}
    assert names == {"幸福物业", "甲一面馆", "甲二超市"}
    response = client.get(reverse("organization:unit_list"), {"jurisdiction": org.comm_a2.pk})
    assert [u.name for u in response.context["rows"]] == ["甲二超市"]
    # A jurisdiction outside the scope filters to nothing rather than leaking.
    response = client.get(reverse("organization:unit_list"), {"jurisdiction": org.comm_b1.pk})
    assert list(response.context["rows"]) == []


def test_export_applies_filters_and_neutralises_formulas(client, org):
    Unit.objects.filter(pk=org.unit_a1.pk).update(contact_name='=HYPERLINK("http://x")', address="@SUM(A1)")
    client.force_login(org.street)
    response = client.get(reverse("organization:unit_list"), {"q": "幸福", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位名称"
    assert len(rows) == 2 and rows[1][0] == "幸福物业"
    assert rows[1][7] == '\'=HYPERLINK("http://x")'
    assert rows[1][4] == "'@SUM(A1)"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_large_export_runs_as_a_background_job(
    client, org, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("apps.imports.views.SYNC_EXPORT_LIMIT", 2)
    client.force_login(org.street)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("organization:unit_list"), {"export": "xlsx"})
    assert response.status_code == 302
    job_url = response["Location"]
    job = client.get(job_url).context["job"]
    assert job.status == "succeeded" and job.result_count == 3
    download = client.get(reverse("imports:job_download", args=[job.pk]))
    rows = list(load_workbook(BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 4


def test_move_page_moves_subtree(client, org):
    client.force_login(org.office)
    url = reverse("organization:jurisdiction_move", args=[org.comm_a1.pk])
    response = client.post(url, {"new_parent": org.street_b.pk, "version": org.comm_a1.version})
    assert response.status_code == 302
    assert Jurisdiction.objects.get(pk=org.grid_a1.pk).path.startswith(org.street_b.path)


def test_zone_reassign_page_keeps_history(client, org):
    client.force_login(org.community)
    url = reverse("organization:zone_reassign", args=[org.zone_a1.pk])
    response = client.post(
        url, {"unit": org.unit_a1b.pk, "starts_on": "2026-07-01", "note": "微调", "version": org.zone_a1.version}
    )
    assert response.status_code == 302
    detail = client.get(org.zone_a1.get_absolute_url()).content.decode()
    assert "甲一面馆" in detail and "幸福物业" in detail and "2026-06-30" in detail


def test_home_shows_real_counts_for_the_users_jurisdiction(client, org):
    client.force_login(org.street)
    response = client.get(reverse("core:home"))
    summary = response.context["summary"]
    assert summary["node"] == org.street_a
    assert summary["unit_total"] == 3
    assert summary["population"] == 20000
    assert {row["level__name"]: row["n"] for row in summary["levels"]} == {"社区/村": 2, "小区/自然村": 1, "网格": 1}
    children = {child.name: child.unit_count for child in response.context["children"]}
    assert children == {"甲一社区": 2, "甲二社区": 1}


def test_admin_edits_reference_lists_with_audit(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("organization:unit_type_create"), {"code": "laundry", "name": "洗涤厂", "sort": 20, "is_active": "on"}
    )
    assert response.status_code == 302
    laundry = UnitType.objects.get(code="laundry")
    response = client.post(
        reverse("organization:unit_type_update", args=[laundry.pk]), {"code": "laundry", "name": "洗涤企业", "sort": 20}
    )
    assert response.status_code == 302
    laundry.refresh_from_db()
    assert (laundry.name, laundry.is_active) == ("洗涤企业", False)
    event = AuditEvent.objects.get(action="organization.unittype.updated")
    assert event.data["changes"]["name"] == ["洗涤厂", "洗涤企业"]
    # A deactivated type is no longer offered for new units.
    client.force_login(org.community)
    offered = client.get(reverse("organization:unit_create")).context["form"].fields["unit_type"].queryset
    assert laundry not in offered


def test_duplicate_level_rank_is_a_form_error(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse("organization:level_create"), {"code": "village_group", "name": "村民小组", "rank": 50}
    )
    assert response.status_code == 400
    assert "已存在" in response.content.decode()


def test_garbage_filters_are_reported_not_ignored(client, org):
    client.force_login(org.street)
    for params, label in (({"unit_type": "x"}, "单位类型"), ({"jurisdiction": "1 OR 1=1"}, "辖区")):
        response = client.get(reverse("organization:unit_list"), params)
        assert response.status_code == 400
        assert f"「{label}」的值无效：未知的值" in response.content.decode()
    assert client.get(reverse("organization:unit_list"), {"page": "abc"}).status_code == 400  # a page is a number
    assert client.get(reverse("organization:jurisdiction_list"), {"level": "x"}).status_code == 400
