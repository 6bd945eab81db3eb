"""Campaign pages: the create form with its formsets, the campaign page, the list's scope."""

import pytest
from django.urls import reverse

from apps.campaigns.models import Campaign


def plan_post(o, **extra):
    data = {
        "title": "甲一社区创建省卫生社区",
        "level": "provincial_community",
        "jurisdiction": o.comm_a1.pk,
        "standard_version": o.standard_version.pk,
        "parent": o.campaign.pk,
        "starts_on": "2026-06-01",
        "ends_on": "2026-12-31",
        "goal": "达标",
        "guidance": "",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "12",
        "phases-0-kind": "publicity",
        "phases-0-name": "宣传发动",
        "phases-0-starts_on": "2026-06-01",
        "phases-0-ends_on": "2026-06-30",
        "phases-1-kind": "self_check",
        "phases-1-name": "自查整改",
        "phases-1-starts_on": "2026-07-01",
        "phases-1-ends_on": "2026-12-31",
        "groups-TOTAL_FORMS": "1",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "30",
        "groups-0-group": o.group_a1.pk,
        "groups-0-role": "working",
        "groups-0-duties": "负责社区任务",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_create_page_prefills_four_phases(client, camp):
    client.force_login(camp.street)
    response = client.get(reverse("campaigns:campaign_create"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("宣传发动", "自查整改", "查漏补缺", "考核验收"):
        assert f'value="{name}"' in body
    # The jurisdiction dropdown holds only the user's subtree.
    jurisdictions = list(response.context["form"].fields["jurisdiction"].queryset)
    assert camp.street_a in jurisdictions and camp.street_b not in jurisdictions and camp.district not in jurisdictions


@pytest.mark.django_db
def test_create_posts_campaign_with_phases_and_groups(client, camp):
    client.force_login(camp.community)
    response = client.post(reverse("campaigns:campaign_create"), plan_post(camp))
    campaign = Campaign.objects.get(title="甲一社区创建省卫生社区")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.parent == camp.campaign and campaign.phases.count() == 2 and campaign.groups.count() == 1


@pytest.mark.django_db
def test_overlapping_phases_are_shown_as_an_error(client, camp):
    client.force_login(camp.community)
    response = client.post(
        reverse("campaigns:campaign_create"), plan_post(camp, **{"phases-1-starts_on": "2026-06-20"})
    )
    assert response.status_code == 400
    assert "不能重叠" in response.content.decode()
    assert not Campaign.objects.filter(title="甲一社区创建省卫生社区").exists()


@pytest.mark.django_db
def test_detail_page_shows_plan_summary_and_children(client, camp):
    client.force_login(camp.community)
    child = Campaign.objects.create(
        title="甲一社区子项目",
        level="provincial_community",
        jurisdiction=camp.comm_a1,
        standard_version=camp.standard_version,
        parent=camp.campaign,
        starts_on=camp.campaign.starts_on,
        ends_on=camp.campaign.ends_on,
    )
    response = client.get(reverse("campaigns:campaign_detail", args=[camp.campaign.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "宣传发动" in body and child.title in body
    assert response.context["summary"]["total"] == 1
    # A community sees its street's campaign but gets no edit or step buttons.
    assert not response.context["can_edit"] and response.context["steps"] == []


@pytest.mark.django_db
def test_list_is_scoped(client, camp):
    client.force_login(camp.community_b)
    response = client.get(reverse("campaigns:campaign_list"))
    titles = {c.title for c in response.context["rows"]}
    assert titles == {"乙街道创建省卫生社区"}
    assert client.get(reverse("campaigns:campaign_list") + "?status=bogus").status_code == 400


@pytest.mark.django_db
def test_transition_buttons_drive_the_workflow(client, camp):
    client.force_login(camp.street)
    page = client.get(reverse("campaigns:campaign_detail", args=[camp.campaign.pk]))
    assert [t.name for t in page.context["steps"]] == ["start"]
    client.post(
        reverse("campaigns:campaign_transition", args=[camp.campaign.pk, "start"]), {"version": camp.campaign.version}
    )
    camp.campaign.refresh_from_db()
    assert camp.campaign.status == "active"


@pytest.mark.django_db
def test_blank_extra_lines_are_ignored_and_prefilled_ones_kept(client, camp):
    client.force_login(camp.community)
    data = plan_post(camp)
    data.update(
        {
            "phases-TOTAL_FORMS": "3",
            "phases-INITIAL_FORMS": "2",
            "phases-2-kind": "publicity",  # an untouched extra line: its select shows a default
            "groups-TOTAL_FORMS": "2",
            "groups-1-role": "working",
        }
    )
    assert client.post(reverse("campaigns:campaign_create"), data).status_code == 302
    campaign = Campaign.objects.get(title="甲一社区创建省卫生社区")
    assert campaign.phases.count() == 2 and campaign.groups.count() == 1


@pytest.mark.django_db
def test_edit_keeps_unchanged_phases(client, camp):
    client.force_login(camp.street)
    page = client.get(reverse("campaigns:campaign_edit", args=[camp.campaign.pk]))
    phases, groups = page.context["phases"], page.context["groups"]
    data = {
        "title": "甲街道创卫",
        "level": "provincial_community",
        "jurisdiction": camp.street_a.pk,
        "standard_version": camp.standard_version.pk,
        "starts_on": "2026-06-01",
        "ends_on": "2026-12-31",
        "version": camp.campaign.version,
    }
    for formset in (phases, groups):
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            for name in form.fields:
                value = form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    assert client.post(reverse("campaigns:campaign_edit", args=[camp.campaign.pk]), data).status_code == 302
    camp.campaign.refresh_from_db()
    assert camp.campaign.title == "甲街道创卫" and camp.campaign.phases.count() == 4
