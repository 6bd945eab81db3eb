"""What meetings offer the evidence ledger (台账), the totals page and the work summaries.

Evidence `meetings.minutes`: held (or archived) meetings in a subtree and period, category =
meeting kind; the binder gets the generated minutes (.docx) and the attachments.

Figures (keys fixed by issue 11), for a jurisdiction subtree N and a period [start, end]. Each
record counts once when its owner jurisdiction (the meeting's) lies in N's subtree: the ids are
selected first (`pk__in=Subquery(...)`) and only then aggregated, never over a multiplying join,
so a street's total never counts a community's meeting twice:

- `meetings.held` (次): meetings held in the period (status 已召开/已归档, by the day held);
- `meetings.leadership_held` (次): of those, the 领导小组会议 (kind "leadership");
- `meetings.decisions` (项): decisions of those meetings (cancelled ones left out);
- `meetings.decisions_done_on_time` (项): of those, done on or before their deadline;
- `meetings.decisions_on_time_rate` (%): done on time / due, where due = has a deadline and is
  done or past its deadline (so the rate never exceeds 100 %); None when nothing is due;
- `meetings.attendance_rate` (%): signed in / invited over the held meetings; None when nobody
  was invited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

from django.db.models import Count, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceFile,
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    in_working_language,
    int_ids,
    narrow,
    node_id,
    window,
)

from . import campaign_link
from .choices import MeetingKind, MeetingStatus
from .filters import CONDUCTED, period_q
from .models import Attendee, Decision, Meeting

RECORD_LIMIT = 5000
GROUP = _("会议")
PERMISSION = "meetings.meeting"


def held_meetings(path: str, start: date | None, end: date | None):
    """Ids of the meetings held in the subtree and period (one subquery, no join)."""
    return (
        Meeting.objects.filter(jurisdiction__path__within=path, status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
        .filter(period_q(start, end))
        .values("pk")
    )


def _url(name: str, path: str, start, end, **extra) -> str:
    params = {"jurisdiction": node_id(path), **extra}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v})}"


def _decisions(path, start, end):
    ids = Decision.objects.filter(meeting_id__in=Subquery(held_meetings(path, start, end))).values("pk")
    return Decision.objects.filter(pk__in=Subquery(ids)).exclude(campaign_link.cancelled_q())


def decision_counts(path: str, start: date | None, end: date | None) -> dict:
    today = timezone.localdate()
    due = Q(deadline__isnull=False) & (campaign_link.done_q() | Q(deadline__lt=today))
    return _decisions(path, start, end).aggregate(
        total=Count("id"),
        due=Count("id", filter=due),
        on_time=Count("id", filter=due & campaign_link.done_on_time_q()),
    )


def held_counts(path: str, start: date | None, end: date | None) -> dict:
    """{"held": meetings held, "leadership": of which 领导小组会议}: one query."""
    return Meeting.objects.filter(pk__in=Subquery(held_meetings(path, start, end))).aggregate(
        held=Count("id"), leadership=Count("id", filter=Q(kind=MeetingKind.LEADERSHIP))
    )


def held_count(path: str, start: date | None, end: date | None) -> int:
    return held_counts(path, start, end)["held"]


def attendance_counts(path: str, start: date | None, end: date | None) -> dict:
    ids = Attendee.objects.filter(meeting_id__in=Subquery(held_meetings(path, start, end)), invited=True).values("pk")
    return Attendee.objects.filter(pk__in=Subquery(ids)).aggregate(
        invited=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False))
    )


# Each figure from its counts, so the one-by-one computes and the batch agree.


def _held_value(count: int, path, start, end) -> FigureValue:
    return FigureValue(Decimal(count), url=_url("meetings:meeting_list", path, start, end, status=CONDUCTED))


def _leadership_value(count: int, path, start, end) -> FigureValue:
    return FigureValue(
        Decimal(count),
        url=_url("meetings:meeting_list", path, start, end, status=CONDUCTED, kind=MeetingKind.LEADERSHIP.value),
    )


def _decisions_value(row: dict, path, start, end) -> FigureValue:
    return FigureValue(Decimal(row["total"]), url=_url("meetings:decision_list", path, start, end, counted="1"))


def _done_on_time_value(row: dict, path, start, end) -> FigureValue:
    return FigureValue(
        Decimal(row["on_time"]), url=_url("meetings:decision_list", path, start, end, counted="1", on_time="1")
    )


def _on_time_rate_value(row: dict, path, start, end) -> FigureValue:
    from .selectors import rate

    return FigureValue(
        rate(row["on_time"], row["due"]),
        Decimal(row["on_time"]),
        Decimal(row["due"]),
        url=_url("meetings:decision_list", path, start, end, counted="1", due="1"),
    )


def _attendance_value(row: dict, path, start, end) -> FigureValue:
    from .selectors import rate

    return FigureValue(
        rate(row["signed"], row["invited"]),
        Decimal(row["signed"]),
        Decimal(row["invited"]),
        url=_url("meetings:meeting_list", path, start, end, status=CONDUCTED),
    )


def held(path, start, end) -> FigureValue:
    return _held_value(held_count(path, start, end), path, start, end)


def leadership_held(path, start, end) -> FigureValue:
    return _leadership_value(held_counts(path, start, end)["leadership"], path, start, end)


def decisions(path, start, end) -> FigureValue:
    return _decisions_value(decision_counts(path, start, end), path, start, end)


def decisions_done_on_time(path, start, end) -> FigureValue:
    return _done_on_time_value(decision_counts(path, start, end), path, start, end)


def decisions_on_time_rate(path, start, end) -> FigureValue:
    return _on_time_rate_value(decision_counts(path, start, end), path, start, end)


def attendance_rate(path, start, end) -> FigureValue:
    return _attendance_value(attendance_counts(path, start, end), path, start, end)


def figure_values(path, start, end) -> dict[str, FigureValue]:
    """All six figures for one subtree and period in three queries (held meetings with the
    leadership ones, decision counts, attendance counts): the totals page asks for them together
    (FigureSource.extra["batch"])."""
    decision_row = decision_counts(path, start, end)
    held_row = held_counts(path, start, end)
    return {
        "meetings.held": _held_value(held_row["held"], path, start, end),
        "meetings.leadership_held": _leadership_value(held_row["leadership"], path, start, end),
        "meetings.decisions": _decisions_value(decision_row, path, start, end),
        "meetings.decisions_done_on_time": _done_on_time_value(decision_row, path, start, end),
        "meetings.decisions_on_time_rate": _on_time_rate_value(decision_row, path, start, end),
        "meetings.attendance_rate": _attendance_value(attendance_counts(path, start, end), path, start, end),
    }


BATCH = {"batch": figure_values}


def _figure(key, label, unit, compute, description, order):
    return FigureSource(
        key=key,
        label=label,
        unit=unit,
        compute=compute,
        description=description,
        group=GROUP,
        permission=PERMISSION,
        extra=BATCH,
        order=order,
    )


FIGURES = [
    _figure("meetings.held", _("召开会议"), "次", held, _("统计期内已召开（含已归档）的会议次数，按召开日期归属"), 10),
    _figure(
        "meetings.leadership_held",
        _("召开领导小组会议"),
        "次",
        leadership_held,
        _("统计期内已召开（含已归档）的领导小组会议次数"),
        15,
    ),
    _figure(
        "meetings.decisions", _("会议议定事项"), "项", decisions, _("统计期内召开的会议的议定事项数（不含已取消）"), 20
    ),
    _figure(
        "meetings.decisions_done_on_time",
        _("按期落实的议定事项"),
        "项",
        decisions_done_on_time,
        _("上述议定事项中在完成时限内落实的项数（关联创卫任务的以任务完成时间为准）"),
        30,
    ),
    _figure(
        "meetings.decisions_on_time_rate",
        _("议定事项按期落实率"),
        "%",
        decisions_on_time_rate,
        _("按期落实项数 / 应落实项数 × 100（应落实：有完成时限，且已落实或已过时限）"),
        40,
    ),
    _figure(
        "meetings.attendance_rate",
        _("会议出席率"),
        "%",
        attendance_rate,
        _("已签到人数 / 应到（邀请）人数 × 100，统计期内召开的会议合计"),
        50,
    ),
]


# Evidence ---------------------------------------------------------------------------------


def _minutes_query(query: EvidenceQuery):
    qs = Meeting.objects.filter(
        jurisdiction__path__within=query.jurisdiction_path, status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED]
    ).filter(period_q(query.start, query.end))
    if query.category:
        qs = qs.filter(kind=query.category)
    return narrow(qs, query, search_fields=("topic", "place"))


def minutes_records(query: EvidenceQuery):
    """One query: a page of held meetings, newest first."""
    kinds = dict(MeetingKind.choices)
    rows = (
        _minutes_query(query)
        .order_by("-held_at", "-id")
        .values("id", "topic", "kind", "held_at", "starts_at", "jurisdiction__name", "jurisdiction__path")
    )
    for row in window(rows, query, RECORD_LIMIT):
        moment = row["held_at"] or row["starts_at"]
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['jurisdiction__name']} {row['topic']}",
            occurred_on=timezone.localdate(moment),
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("meetings:meeting_detail", args=[row["id"]]),
            summary=str(kinds.get(row["kind"], row["kind"])),
        )


@in_working_language
def minutes_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    """Per meeting: the minutes (.docx, rendered when read), then its documents and photos."""
    from django.utils.translation import gettext

    from .minutes import minutes_docx

    ids = int_ids(object_ids)
    result: dict[str, list[EvidenceFile]] = {}
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("jurisdiction", "recorder", "campaign")
        .prefetch_related("documents", "photos")
    )
    for meeting in meetings:
        day = timezone.localtime(meeting.occurred_at).strftime("%Y%m%d")
        files = [
            EvidenceFile(
                f"{day}-{gettext('会议记录')}-{meeting.pk}.docx", render=partial(minutes_docx, meeting, user=None)
            )
        ]
        for number, document in enumerate(meeting.documents.all(), start=1):
            files.append(EvidenceFile(f"{day}-{number}-{document.name}", open=lambda d=document: d.file.open("rb")))
        for number, photo in enumerate(meeting.photos.all(), start=1):
            files.append(
                EvidenceFile(f"{day}-{gettext('会议照片')}-{number}.jpg", open=lambda p=photo: p.image.open("rb"))
            )
        result[str(meeting.pk)] = files
    return result


MINUTES = EvidenceSource(
    key="meetings.minutes",
    label=_("会议记录"),
    records=minutes_records,
    files=minutes_files,
    categories=lambda: list(MeetingKind.choices),
)
