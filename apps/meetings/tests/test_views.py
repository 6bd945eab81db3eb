"""Meeting pages and the API: create, hold, sign-in on the phone page, decisions, minutes
download, filters (400 on nonsense), the .xlsx export and the read-only API."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from apps.meetings import services
from apps.meetings.models import Decision, Meeting
from apps.meetings.tests.world import make_meeting

pytestmark = pytest.mark.django_db


def test_create_and_hold_through_pages(client, org):
    o = org
    client.force_login(o.community)
    response = client.get(reverse("meetings:meeting_create"))
    assert response.status_code == 200
    now = timezone.localtime()  # 20 minutes ago, but today (sign-in closes after the meeting's day)
    start = max(now - timedelta(minutes=20), now.replace(hour=0, minute=0, second=0, microsecond=0))
    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "kind": "regular",
            "recurrence": "weekly",
            "topic": "周例会",
            "jurisdiction": o.comm_a1.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "place": "会议室",
            "host": "张书记",
            "recorder": o.community.pk,
            "people": [o.grid.pk],
            "units": [o.unit_a1.pk],
        },
    )
    meeting = Meeting.objects.get(topic="周例会")
    assert response.status_code == 302 and meeting.attendees.count() == 2
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200 and b"<svg" in page.content
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("meetings:meeting_hold", args=[meeting.pk]),
        {"held_at": future, "points": "1、x", "version": meeting.version},
    )
    assert response.status_code == 400 and "不能晚于现在" in response.content.decode()
    response = client.post(
        reverse("meetings:meeting_hold", args=[meeting.pk]),
        {"held_at": start.strftime("%Y-%m-%dT%H:%M"), "points": "第一点\n第二点", "version": meeting.version},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and Meeting.objects.filter(previous=meeting).exists()


def test_phone_sign_in_and_recorder(client, org):
    o = org
    meeting = make_meeting(o)
    client.force_login(o.grid)
    page = client.get(reverse("meetings:meeting_signin", args=[meeting.pk]))
    assert b'data-testid="sign-in"' in page.content
    client.post(reverse("meetings:meeting_sign", args=[meeting.pk]))
    assert meeting.attendees.get(user=o.grid).method == "self"
    client.force_login(o.community)
    row = meeting.attendees.get(user=o.unit_contact)
    future = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), {"attendee": row.pk, "signed_at": future})
    row.refresh_from_db()
    assert row.signed_at is None
    client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), {"attendee": row.pk})
    row.refresh_from_db()
    assert row.method == "recorder"


def test_decision_and_minutes_download(client, org):
    o = org
    meeting = make_meeting(o)
    client.force_login(o.community)
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {"kind": "agreed", "text": "清理楼道堆积物", "owner_unit": o.unit_a1.pk, "deadline": deadline},
    )
    decision = Decision.objects.get(meeting=meeting)
    response = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))
    document = Document(BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "清理楼道堆积物" in cells and "幸福物业" in cells
    client.force_login(o.unit_contact)
    client.post(
        reverse("meetings:decision_transition", args=[decision.pk, "complete"]),
        {"version": decision.version, "note": "已清理"},
    )
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_on_time


def test_lists_filters_and_export(client, org):
    o = org
    meeting = make_meeting(o)
    client.force_login(o.street)
    url = reverse("meetings:meeting_list")
    assert meeting.topic in client.get(url, {"jurisdiction": o.comm_a1.pk, "start": "2026-01-01"}).content.decode()
    assert client.get(url, {"start": "2026-13-01"}).status_code == 400
    assert client.get(url, {"start": "2026-05-02", "end": "2026-05-01"}).status_code == 400
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    assert client.get(reverse("meetings:decision_list"), {"status": "overdue"}).status_code == 200


def test_api_is_read_only_and_scoped(client, org):
    o = org
    meeting = make_meeting(o)
    services.decision_add(
        actor=o.community, meeting=meeting, kind="agreed", text="事项", deadline=timezone.localdate(), owner_user=o.grid
    )
    client.force_login(o.community)
    data = client.get("/api/v1/meetings/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows[0]["topic"] == meeting.topic and rows[0]["decisions"][0]["text"] == "事项"
    assert client.post("/api/v1/meetings/", {}).status_code == 405
    client.force_login(o.community_other)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/api/v1/meeting-decisions/", {"status": "nonsense"}).status_code == 400


def _held(o, *, days_ago, topic, people):
    start = timezone.now() - timedelta(days=days_ago)
    meeting = make_meeting(o, topic=topic, starts_at=start, units=[], people=people)
    return services.meeting_hold(
        actor=o.community,
        meeting=meeting,
        held_at=start + timedelta(minutes=10),
        points="1、部署",
        expected_version=meeting.version,
    )


def test_review_of_earlier_decisions_is_restricted_to_the_viewer(client, org):
    """A unit contact invited to the latest 例会 only reads the earlier decisions it may see
    (its unit's), on the page and in the minutes; not the rest of the jurisdiction's."""
    o = org
    earlier = _held(o, days_ago=3, topic="第一次例会", people=[o.grid])
    mine = services.decision_add(
        actor=o.community, meeting=earlier, kind="agreed", text="本单位清理楼道", owner_unit=o.unit_a1
    )
    last = _held(o, days_ago=2, topic="第二次例会", people=[o.grid])
    services.decision_add(actor=o.community, meeting=last, kind="agreed", text="网格巡查背街小巷", owner_user=o.grid)
    meeting = make_meeting(o, topic="第三次例会", units=[o.unit_a1], people=[])
    client.force_login(o.unit_contact)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert mine.text in page and "网格巡查背街小巷" not in page and "第二次例会" not in page
    response = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk]))
    text = " ".join(c.text for t in Document(BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert mine.text in text and "网格巡查背街小巷" not in text
    # The desk of the jurisdiction still reads the whole review.
    client.force_login(o.community)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert mine.text in page and "网格巡查背街小巷" in page and "第二次例会" in page


def test_recorder_not_invited_reads_and_signs_in_without_desk_steps(client, org):
    o = org
    meeting = make_meeting(o, recorder=o.grid, units=[o.unit_a1], people=[])
    client.force_login(o.grid)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="meeting-hold"' not in html and 'data-testid="meeting-step-' not in html
    assert client.get(reverse("meetings:meeting_signin", args=[meeting.pk])).status_code == 200
    row = meeting.attendees.get(user=o.unit_contact)
    client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), {"attendee": row.pk})
    row.refresh_from_db()
    assert row.method == "recorder"
    response = client.post(
        reverse("meetings:meeting_transition", args=[meeting.pk, "cancel"]), {"version": meeting.version, "reason": "x"}
    )
    meeting.refresh_from_db()
    assert response.status_code in (302, 403) and meeting.status == "planned"
