"""Standards pages: list, tree, history, edit forms with version awareness."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.campaigns.tests.factories import make_campaign
from apps.standards import services
from apps.standards.models import Standard, StandardItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def std(org):
    standard = services.standard_create(actor=org.office, data={"code": "view-std", "name": "页面测试标准"})
    section = services.section_save(actor=org.office, standard=standard, data={"code": "1", "name": "组织管理"})
    item = services.item_save(
        actor=org.office,
        standard=standard,
        data={"section": section, "code": "1.1", "text": "成立领导小组", "kind": "prerequisite"},
    )
    services.indicator_save(
        actor=org.office,
        standard=standard,
        item=item,
        data={"name": "满意率", "measure": "rate", "threshold": Decimal("90"), "unit": "%", "is_example": True},
    )
    standard.refresh_from_db()
    org.std_view, org.std_view_item, org.std_view_section = standard, item, section
    return org


def test_list_shows_kind_versions_usage_and_example_badge(client, std):
    make_campaign(std, std.std_view.current_version, std.street_a)
    client.force_login(std.leader)
    response = client.get(reverse("standards:standard_list"))
    assert response.status_code == 200
    rows = {s.code: s for s in response.context["rows"]}
    assert rows["view-std"].in_use_count == 1 and rows["view-std"].version_count == 1
    assert rows["view-std"].item_count == 1
    html = response.content.decode()
    assert "江苏省卫生镇标准" in html and "示例" in html
    assert "新建标准" not in html  # readers get no edit buttons


def test_list_filters_by_kind_and_refuses_a_bad_value(client, std):
    client.force_login(std.office)
    response = client.get(reverse("standards:standard_list"), {"kind": "provincial_town"})
    assert [s.code for s in response.context["rows"]] == ["jiangsu-town"]
    response = client.get(reverse("standards:standard_list"), {"kind": "nope"})
    assert response.status_code == 400


def test_detail_shows_the_tree_with_badges(client, std):
    client.force_login(std.community)
    response = client.get(reverse("standards:standard_detail", args=[std.std_view.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "成立领导小组" in html and "必备条件" in html and "满意率 ≥ 90%" in html and "示例值" in html
    assert 'data-testid="edit-item"' not in html


def test_shipped_standard_detail_badges_examples(client, std):
    client.force_login(std.office)
    standard = Standard.objects.get(code="jiangsu-town")
    response = client.get(reverse("standards:standard_detail", args=[standard.pk]))
    html = response.content.decode()
    assert "取得省辖市卫生镇称号一年以上" in html and "群众满意度" in html
    assert html.count('data-testid="example-badge"') == standard.current_version.items.filter(is_example=True).count()


def test_editing_an_item_of_a_used_version_warns_and_makes_a_new_version(client, std):
    old = std.std_view.current_version
    make_campaign(std, old, std.street_a)
    client.force_login(std.office)
    url = reverse("standards:item_edit", args=[std.std_view.pk, std.std_view_item.pk])
    page = client.get(url)
    assert "此版本已被创建项目使用，保存将生成新版本" in page.content.decode()
    response = client.post(
        url,
        {
            "section": std.std_view_section.pk,
            "code": "1.1",
            "text": "成立创卫领导小组",
            "kind": "prerequisite",
            "version": page.context["form"]["version"].value(),
        },
    )
    assert response.status_code == 302
    std.std_view.refresh_from_db()
    assert std.std_view.current_version.number == 2
    assert StandardItem.objects.get(version=std.std_view.current_version).text == "成立创卫领导小组"
    assert StandardItem.objects.get(version=old).text == "成立领导小组"
    detail = client.get(reverse("standards:standard_detail", args=[std.std_view.pk])).content.decode()
    assert 'data-testid="shown-version">v2' in detail and "成立创卫领导小组" in detail
    # The old version's page is read-only history.
    history = client.get(reverse("standards:version_detail", args=[old.pk])).content.decode()
    assert "这是历史版本，仅供查看。" in history and "成立领导小组" in history
    assert 'data-testid="edit-item"' not in history


def test_an_unused_version_says_it_is_edited_in_place(client, std):
    client.force_login(std.office)
    page = client.get(reverse("standards:item_edit", args=[std.std_view.pk, std.std_view_item.pk]))
    assert 'data-testid="version-note"' in page.content.decode()


def test_invalid_item_shows_errors_on_the_form(client, std):
    client.force_login(std.office)
    url = reverse("standards:item_create", args=[std.std_view.pk])
    response = client.post(
        url, {"section": std.std_view_section.pk, "code": "1.1", "text": "重复编号", "kind": "scored", "points": ""}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "code" in errors or "points" in errors


def test_a_stale_form_is_refused(client, std):
    client.force_login(std.office)
    url = reverse("standards:section_edit", args=[std.std_view.pk, std.std_view_section.pk])
    response = client.post(url, {"code": "1", "name": "改名", "version": std.std_view.version - 1})
    assert response.status_code == 400
    assert "该记录已被他人修改" in response.content.decode()


def test_an_item_of_an_old_version_cannot_be_opened_for_editing(client, std):
    old_item = std.std_view_item
    make_campaign(std, std.std_view.current_version, std.street_a)
    services.item_save(actor=std.office, standard=std.std_view, item=old_item, data={"text": "v2"})
    client.force_login(std.office)
    assert client.get(reverse("standards:item_edit", args=[std.std_view.pk, old_item.pk])).status_code == 404


def test_create_standard_and_add_content(client, std):
    client.force_login(std.office)
    response = client.post(
        reverse("standards:standard_create"), {"name": "新标准", "code": "new-one", "kind": "local", "is_active": "on"}
    )
    standard = Standard.objects.get(code="new-one")
    assert response.status_code == 302 and response["Location"] == standard.get_absolute_url()
    client.post(reverse("standards:section_create", args=[standard.pk]), {"code": "一", "name": "组织管理"})
    section = standard.current_version.sections.get()
    client.post(
        reverse("standards:item_create", args=[standard.pk]),
        {"section": section.pk, "code": "1", "text": "有计划", "kind": "scored", "points": "3"},
    )
    item = standard.current_version.items.get()
    client.post(
        reverse("standards:requirement_create", args=[standard.pk, item.pk]), {"name": "工作计划", "min_count": "2"}
    )
    client.post(
        reverse("standards:indicator_create", args=[standard.pk, item.pk]),
        {"name": "完成率", "measure": "rate", "comparator": "gte", "threshold": "95", "unit": "%"},
    )
    assert item.requirements.get().min_count == 2
    assert item.indicators.get().threshold == Decimal("95")
    response = client.post(reverse("standards:content_delete", args=[standard.pk, "item", item.pk]))
    assert response.status_code == 302 and not standard.current_version.items.exists()
    assert client.post(reverse("standards:content_delete", args=[standard.pk, "nothing", 1])).status_code == 404


def test_readers_may_not_edit(client, std):
    client.force_login(std.street)
    assert client.get(reverse("standards:item_create", args=[std.std_view.pk])).status_code == 403
    client.force_login(std.grid)
    assert client.get(reverse("standards:standard_list")).status_code == 403


def test_the_import_button_leads_to_the_import_page(client, std):
    client.force_login(std.office)
    html = client.get(reverse("standards:standard_list")).content.decode()
    url = reverse("imports:import_start", args=["standard_items"])
    assert url in html
    page = client.get(url)
    assert page.status_code == 200 and "所需资料" in page.content.decode()
    assert client.get(reverse("imports:import_template", args=["standard_items"])).status_code == 200


def test_the_office_reads_the_standards_change_history(client, std):
    client.force_login(std.office)
    response = client.get(reverse("standards:standard_detail", args=[std.std_view.pk]))
    labels = " ".join(str(e.action_label) for e in response.context["audit_events"])
    assert "新增标准小项" in labels and "新建标准" in labels
    assert 'data-testid="audit-trail"' in response.content.decode()
