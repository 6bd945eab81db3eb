"""The demo street's campaign: built through the services, with phases around today, generated
tasks handed to communities, some progress, a few overdue, and a community sub-campaign."""

import pytest
from django.utils import timezone

from apps.campaigns.models import Campaign, Task
from apps.campaigns.selectors.campaigns import current_phase
from apps.core.models import AuditEvent
from apps.core.testing import data_for_module
from apps.demo.services import demo_build

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker):
        yield demo_build(case_count=40, inspection_months=2)


def test_demo_campaign(demo):
    campaign = Campaign.objects.get(jurisdiction=demo.street, parent=None)
    assert campaign.status == "active"
    assert current_phase(campaign, demo.today).kind == "self_check"
    assert campaign.groups.count() >= 2
    tasks = Task.objects.filter(campaign=campaign)
    assert tasks.filter(origin="standard").count() == campaign.standard_version.items.count()
    assert tasks.filter(jurisdiction__in=demo.communities).count() > tasks.count() // 2
    assert tasks.filter(status="done").exists() and tasks.filter(status="in_progress").exists()
    today = timezone.localdate()
    assert tasks.filter(status__in=["open", "in_progress"], deadline__lt=today).exists()
    sub = Campaign.objects.get(parent=campaign)
    assert sub.jurisdiction == demo.communities[0] and sub.tasks.filter(progress__gt=0).exists()
    assert AuditEvent.objects.filter(action="campaigns.campaign.tasks_generated").count() == 2
