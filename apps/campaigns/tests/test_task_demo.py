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


def test_example_standard_goes_through_the_standards_services(org):
    """Without a shipped standard the demo writes its example through standards.services: the
    standard is audited as created and every part carries the 示例 mark."""
    from decimal import Decimal

    from apps.campaigns.demo import EXAMPLE_SECTIONS, _example_standard

    version = _example_standard(org.office)
    standard = version.standard
    assert standard.is_example and standard.current_version == version
    assert AuditEvent.objects.filter(action="standards.standard.created", object_id=str(standard.pk)).exists()
    items = version.items.all()
    assert items.count() == sum(len(entries) for _code, _name, entries in EXAMPLE_SECTIONS)
    assert all(item.is_example for item in items) and all(s.is_example for s in version.sections.all())
    assert {item.points for item in items.filter(kind="scored")} == {Decimal("5")}
    assert all(item.requirements.count() == 1 for item in items)
