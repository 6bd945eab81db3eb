"""Review fixes: the services (not the forms) hold the scope of owners, recorders and invitees;
attachments all or nothing; times in range (no 500); sign-in on the meeting's day; figure links
list exactly the counted decisions; pages offer only what the user can submit."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent
from apps.meetings import evidence, services
from apps.meetings.forms import DecisionForm
from apps.meetings.models import Decision, Meeting, MeetingDocument, MeetingPhoto
from apps.meetings.tests.world import make_meeting

pytestmark = pytest.mark.django_db


def _hold(o, meeting, actor=None, **extra):
    meeting.refresh_from_db()
    return services.meeting_hold(
        actor=actor or o.community,
        meeting=meeting,
        held_at=timezone.now() - timedelta(minutes=5),
        points="1、传达文件精神",
        expected_version=meeting.version,
        **extra,
    )


def test_decision_owner_must_lie_in_the_meeting_area(org):
    o = org
    meeting = make_meeting(o)
    base = {"actor": o.community, "meeting": meeting, "kind": "agreed", "text": "事项"}
    with pytest.raises(ValidationError) as error:  # a community worker of 甲二社区
        services.decision_add(**base, owner_user=o.community_other)
    assert "owner_user" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # a shop of 乙一社区
        services.decision_add(**base, owner_unit=o.unit_b1)
    assert "owner_unit" in error.value.message_dict
    with pytest.raises(ValidationError):  # the street above the meeting
        services.decision_add(**base, owner_user=o.street)
    assert not Decision.objects.exists()
    services.decision_add(**base, owner_user=o.grid, owner_unit=o.unit_a1)
    # A street cadre planning a community's meeting is offered only that community's people.
    offered = set(DecisionForm(user=o.street, meeting=meeting).fields["owner_user"].queryset)
    assert o.grid in offered and o.community_other not in offered and o.street not in offered


def test_recorder_invitees_groups_units_outside_scope_refused(org):
    o = org
    for extra in (
        {"recorder": o.community_other},
        {"people": [o.community_b]},
        {"units": [o.unit_b1]},
        {"groups": [o.group_b1]},
    ):
        with pytest.raises(ValidationError):
            make_meeting(o, **extra)
    assert not Meeting.objects.exists()
    # The street's cadres above the community may be invited.
    meeting = make_meeting(o, people=[o.grid, o.street])
    assert meeting.attendees.filter(user=o.street).exists()
    with pytest.raises(ValidationError):  # nor later, by editing
        services.meeting_update(
            actor=o.community,
            meeting=meeting,
            changes={"recorder": o.community_other},
            expected_version=meeting.version,
        )
    meeting.refresh_from_db()
    assert meeting.recorder == o.community


def test_attachments_are_saved_together_or_not_at_all(client, org):
    o = org
    meeting = make_meeting(o)
    client.force_login(o.community)
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    broken = SimpleUploadedFile("photo.jpg", b"not a photo at all", content_type="image/jpeg")
    response = client.post(
        reverse("meetings:meeting_attach", args=[meeting.pk]), {"document": pdf, "photos": broken}, follow=True
    )
    assert response.status_code == 200
    assert not MeetingDocument.objects.filter(meeting=meeting).exists()
    assert not MeetingPhoto.objects.filter(meeting=meeting).exists()
    huge = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + b"0" * (60 * 1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("meetings:meeting_attach", args=[meeting.pk]), {"document": huge}, follow=True)
    assert response.status_code == 200 and not MeetingDocument.objects.exists()


def test_times_out_of_range_are_refused_not_500(client, org):
    o = org
    client.force_login(o.community)
    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "kind": "regular",
            "recurrence": "weekly",
            "topic": "远期例会",
            "jurisdiction": o.comm_a1.pk,
            "starts_at": "9999-12-31T20:00",
            "place": "会议室",
            "recorder": o.community.pk,
        },
    )
    assert response.status_code == 400 and not Meeting.objects.filter(topic="远期例会").exists()
    meeting = make_meeting(o)
    old = timezone.make_aware(datetime(1990, 1, 2, 9, 0))
    with pytest.raises(ValidationError):
        services.meeting_hold(
            actor=o.community, meeting=meeting, held_at=old, points="1、x", expected_version=meeting.version
        )
    for deadline in (timezone.localdate() - timedelta(days=30), timezone.localdate().replace(year=9999)):
        with pytest.raises(ValidationError):
            services.decision_add(
                actor=o.community, meeting=meeting, kind="agreed", text="事项", deadline=deadline, owner_user=o.grid
            )


def test_sign_in_only_on_the_meeting_day(org):
    o = org
    meeting = make_meeting(o, starts_at=timezone.now() - timedelta(days=2))
    with pytest.raises(DomainError):  # by phone two days later: refused
        services.attendee_sign_in(actor=o.grid, meeting=meeting)
    row = meeting.attendees.get(user=o.grid)
    with pytest.raises(ValidationError):  # the recorder cannot stamp today either
        services.attendee_sign_in(actor=o.community, meeting=meeting, attendee=row, signed_at=timezone.now())
    signed = services.attendee_sign_in(actor=o.community, meeting=meeting, attendee=row)
    assert signed.signed_at == meeting.starts_at and signed.method == "recorder"


def test_figure_links_list_exactly_the_counted_decisions(client, org):
    o = org
    today = timezone.localdate()
    held = make_meeting(o)
    kept = services.decision_add(
        actor=o.community, meeting=held, kind="agreed", text="保留事项", deadline=today, owner_user=o.grid
    )
    dropped = services.decision_add(
        actor=o.community, meeting=held, kind="agreed", text="取消事项", deadline=today, owner_user=o.grid
    )
    services.decision_transition(actor=o.community, decision=dropped, name="cancel", expected_version=dropped.version)
    _hold(o, held)
    planned = make_meeting(o, topic="计划中")
    services.decision_add(
        actor=o.community, meeting=planned, kind="agreed", text="未开会事项", deadline=today, owner_user=o.grid
    )
    figure = evidence.decisions(o.street_a.path, today - timedelta(days=1), today)
    assert figure.value == 1
    client.force_login(o.street)
    page = client.get(figure.url)
    assert page.status_code == 200
    assert [d.pk for d in page.context["rows"]] == [kept.pk]
    assert 'name="counted"' in page.content.decode()  # the filter form keeps it


def test_grid_recorder_is_offered_only_what_it_can_submit(client, org):
    o = org
    meeting = make_meeting(o, recorder=o.grid)
    client.force_login(o.grid)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="decision-form"' not in page
    assert reverse("meetings:meeting_attach", args=[meeting.pk]) not in page
    assert client.post(reverse("meetings:meeting_attach", args=[meeting.pk])).status_code == 403
    signin = client.get(reverse("meetings:meeting_signin", args=[meeting.pk])).content.decode()
    assert 'data-testid="signin-list"' in signin  # the recorder still signs people in


def test_link_to_an_earlier_meeting_only_when_visible(client, org):
    o = org
    first = make_meeting(o, recurrence="weekly", units=[], people=[o.grid])
    _hold(o, first)
    following = Meeting.objects.get(previous=first)
    services.meeting_update(
        actor=o.community,
        meeting=following,
        changes={},
        expected_version=following.version,
        groups=[],
        units=[o.unit_a1],
        people=[o.grid],
    )
    client.force_login(o.unit_contact)
    page = client.get(reverse("meetings:meeting_detail", args=[following.pk]))
    assert page.status_code == 200
    assert reverse("meetings:meeting_detail", args=[first.pk]) not in page.content.decode()
    assert client.get(reverse("meetings:meeting_detail", args=[first.pk])).status_code == 404


def test_hold_audits_the_host_before_and_after(org):
    o = org
    meeting = make_meeting(o)
    _hold(o, meeting, host="李主任")
    event = AuditEvent.objects.get(action="meetings.meeting.hold", object_id=str(meeting.pk))
    assert event.data["host"] == ["张书记", "李主任"]
    assert event.data["points"][1] == "1、传达文件精神"


def test_meeting_with_decisions_keeps_its_area(org):
    """Moving a meeting to another area would leave its decisions' owners outside it."""
    o = org
    meeting = make_meeting(o, actor=o.street, recorder=o.street, units=[], people=[])
    services.decision_add(actor=o.street, meeting=meeting, kind="agreed", text="事项", owner_unit=o.unit_a1)
    with pytest.raises(DomainError):
        services.meeting_update(
            actor=o.street, meeting=meeting, changes={"jurisdiction": o.comm_a2}, expected_version=meeting.version
        )
    meeting.refresh_from_db()
    assert meeting.jurisdiction == o.comm_a1
