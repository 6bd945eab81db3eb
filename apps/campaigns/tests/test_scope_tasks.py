"""Areas and groups a user may pick for the tasks of a campaign (apps/campaigns/areas.py)."""

import pytest
from django.urls import reverse

from apps.campaigns.forms.tasks import BulkAssignForm, group_choices
from apps.campaigns.selectors.binder import binder_areas
from apps.campaigns.services import tasks as services
from apps.core.exceptions import DomainError
from apps.organization import services as org_services

pytestmark = pytest.mark.django_db


def test_task_table_area_filter_offers_only_the_users_areas(client, camp):
    client.force_login(camp.community)
    response = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]))
    assert response.status_code == 200
    areas = {a.name for a in response.context["areas"]}
    assert "甲一社区" in areas and "幸福小区" in areas
    assert "甲二社区" not in areas and "甲街道" not in areas
    client.force_login(camp.street)
    response = client.get(reverse("campaigns:campaign_tasks", args=[camp.campaign.pk]))
    assert {"甲街道", "甲一社区", "甲二社区"} <= {a.name for a in response.context["areas"]}


def test_group_choices_and_assignment_stay_in_the_actors_subtree(camp):
    group_a2 = org_services.group_create(actor=None, name="甲二创卫小组", kind="working", jurisdiction=camp.comm_a2)
    group_street = org_services.group_create(
        actor=None, name="甲街道创卫办", kind="working", jurisdiction=camp.street_a
    )
    mine = set(group_choices(camp.campaign, camp.community))
    assert camp.group_a1 in mine and group_street in mine and group_a2 not in mine
    form = BulkAssignForm(user=camp.community, campaign=camp.campaign)
    assert group_a2 not in set(form.fields["group"].queryset)
    with pytest.raises(DomainError):
        services.task_update(actor=camp.community, task=camp.task, changes={"group": group_a2}, expected_version=None)
    task = services.task_update(
        actor=camp.community, task=camp.task, changes={"group": group_street}, expected_version=None
    )
    assert task.group == group_street
    # the street manages both communities: 甲二's group is fine for it
    task = services.task_update(actor=camp.street, task=task, changes={"group": group_a2}, expected_version=None)
    assert task.group == group_a2


def test_binder_areas_follow_the_users_area(camp):
    assert camp.comm_a2 not in set(binder_areas(user=camp.community, campaign=camp.campaign))
    assert camp.comm_a1 in set(binder_areas(user=camp.community, campaign=camp.campaign))
    assert not binder_areas(user=camp.unit_contact, campaign=camp.campaign).exists()
