"""The demo's meetings: a month of 东苑社区 例会 (a series) and the street's 推进会, with sign-ins
and decisions, some of them tasks of the street's campaign."""

import pytest

from apps.core.testing import data_for_module
from apps.demo.services import demo_build
from apps.meetings import selectors
from apps.meetings.models import Attendee, Decision, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker):
        yield demo_build(case_count=40, inspection_months=2)


def test_demo_meetings(demo):
    east = demo.communities[0]
    regular = Meeting.objects.filter(jurisdiction=east, kind="regular")
    assert regular.filter(status="held").count() == 4
    assert regular.filter(status="planned", previous__isnull=False).count() == 1
    assert Meeting.objects.filter(jurisdiction=demo.street, kind="progress", status="held").count() == 1
    signed = Attendee.objects.filter(signed_at__isnull=False)
    assert signed.filter(method="self").exists() and signed.filter(method="recorder").exists()
    decisions = Decision.objects.filter(meeting__jurisdiction__path__startswith=demo.street.path)
    assert decisions.filter(task__origin="meeting").count() >= 4
    assert decisions.filter(task__isnull=True, status="done").exists()
    latest = regular.filter(status="planned").get()
    last, reviewed = selectors.review_decisions(latest, user=None)
    assert last is not None and reviewed
    for meeting in Meeting.objects.filter(status="held"):
        counts = selectors.attendance(meeting)
        assert counts["rate"] is None or counts["rate"] <= 100
