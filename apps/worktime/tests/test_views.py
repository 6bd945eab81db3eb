"""The working-calendar page: edits are audited (with the action names they always had)."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.worktime.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_calendar_edit_is_audited_and_used(client, org):
    client.force_login(org.office)
    response = client.post(reverse("worktime:calendar"), {"date": "2027-01-01", "is_workday": "", "note": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2027-01-01").is_workday is False
    assert AuditEvent.objects.filter(action="cases.calendarday.saved").exists()
    client.force_login(org.community)
    assert client.post(reverse("worktime:calendar"), {"date": "2027-01-02", "note": "x"}).status_code == 403


def test_calendar_page_survives_bad_input(client, org):
    client.force_login(org.office)
    refused = client.get(reverse("worktime:calendar"), {"year": "abc"})
    assert refused.status_code == 400
    assert "「年份」的值无效：应为 2000 至 2099 之间的整数" in refused.content.decode()
    response = client.post(reverse("worktime:calendar"), {"date": "not-a-date", "note": "x"})
    assert response.status_code == 400
    client.post(reverse("worktime:calendar"), {"date": "2026-12-30", "is_workday": "", "note": "a"})
    client.post(reverse("worktime:calendar"), {"date": "2026-12-30", "is_workday": "on", "note": "b"})
    day = CalendarDay.objects.get(date="2026-12-30")
    assert (day.is_workday, day.note) == (True, "b")
