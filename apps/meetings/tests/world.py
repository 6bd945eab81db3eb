"""The meetings' part of the access-matrix world: a 例会 of 甲一社区 today (grid worker and the
property company invited), one to cancel, a stand-alone decision, a document and a photo."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.cases.tests.conftest import jpeg
from apps.meetings import services
from apps.meetings.models import MeetingDocument
from apps.photos.services import process_upload


def earlier_today(**delta):
    """`delta` ago, but not before today's local midnight: sign-in is refused after the meeting's
    day, so a meeting made "an hour ago" just after midnight would be yesterday's."""
    now = timezone.localtime()
    return max(now - timedelta(**delta), now.replace(hour=0, minute=0, second=0, microsecond=0))


def make_meeting(o, *, jurisdiction=None, topic="社区创卫例会", actor=None, **extra):
    fields = {
        "kind": "regular",
        "recurrence": "none",
        "topic": topic,
        "jurisdiction": jurisdiction or o.comm_a1,
        "campaign": None,
        "starts_at": earlier_today(minutes=30),
        "place": "社区会议室",
        "host": "张书记",
        "recorder": o.community,
        "guests": "",
    } | extra
    invitation = {"units": [o.unit_a1], "people": [o.grid]}
    invitation |= {k: fields.pop(k) for k in ("units", "people", "groups") if k in fields}
    return services.meeting_create(actor=actor or o.community, **invitation, **fields)


def extend(o) -> None:
    o.meeting = make_meeting(o)
    o.meeting_to_cancel = make_meeting(o, topic="推进会（待定）", kind="progress")
    o.decision = services.decision_add(
        actor=o.community,
        meeting=o.meeting,
        kind="agreed",
        text="清理幸福小区卫生死角",
        deadline=timezone.localdate() + timedelta(days=7),
        owner_unit=o.unit_a1,
    )
    o.meeting_document = MeetingDocument.objects.create(
        meeting=o.meeting,
        name="会议材料.pdf",
        content_type="application/pdf",
        uploaded_by=o.community,
        file=ContentFile(b"%PDF-1.4\n%test\n", name="doc.pdf"),
    )
    o.meeting_photo = services.attachments_add(actor=o.community, meeting=o.meeting, photos=[process_upload(jpeg())])[
        1
    ][0]
