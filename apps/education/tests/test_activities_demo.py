"""The plans-and-activities demo builds through the real services (a tiny demo, as the browser
tests build): a plan per jurisdiction, held activities with materials, nothing dated today."""

import pytest
from django.utils import timezone

from apps.education.models import EducationActivity, EducationPlan, MaterialLine

pytestmark = pytest.mark.django_db


def test_tiny_demo_builds_plans_and_activities():
    from apps.demo.services import demo_build

    demo = demo_build(case_count=12, inspection_months=0)
    today = timezone.localdate()
    assert EducationPlan.objects.filter(year=today.year).count() == 1 + len(demo.communities)
    plan = EducationPlan.objects.get(jurisdiction=demo.street)
    assert plan.targets.count() == 12 + 4 + 6 + 2 + 2
    assert not EducationActivity.objects.filter(held_on=today).exists()
    assert EducationActivity.objects.filter(status="planned", held_on__gt=today).count() == 1 + len(demo.communities)
    held = EducationActivity.objects.filter(status="held")
    assert all(a.held_on.year == today.year for a in held)
    assert MaterialLine.objects.filter(activity__in=held).count() >= held.count()
