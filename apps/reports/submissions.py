"""Reporting upward (报送): a jurisdiction's final report sent to its parent, the parent's calls
(报送要求) and its view of what its senders reported.

Services (writes: atomic, locked, audited, the other side notified): `submit`, `return_submission`,
`accept`, `create_call`, and the daily reminder sweep `remind_due` (tasks.py). Selectors (reads):
the senders of a receiver, the status row of each sender for a kind and period, the receiver's
roll-up computed from the records (apps/reports/totals.py, never from the documents' text), and
`submission_panel`, the sender's box on a report's page.

Who: a report is submitted by the desk staff of its own jurisdiction (not a level above, which
only reads it); a submission is accepted or returned by the desk staff of the receiver. A
receiver's senders are its direct children at a level that writes reports (down to 社区/村; a
community's 小区 and 网格 report nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_role_allows
from apps.core.roles import DESK_ROLES
from apps.notifications.messages import Message, term
from apps.notifications.services import notify
from apps.organization.models import Jurisdiction, JurisdictionLevel
from apps.worktime import periods

from . import totals
from .choices import ReportKind, ReportStatus, SubmissionStatus
from .models import Report, ReportCall, Submission
from .submission_workflow import SUBMISSION_WORKFLOW, own_jurisdiction

# The lowest level that writes reports; its children (小区, 网格) are no senders.
LOWEST_SENDER_LEVEL = "community"
# Senders are reminded from this many days before a call's deadline, and while it is overdue
# for at most REMIND_OVERDUE_DAYS days (an old call stops nagging).
REMIND_DAYS = 3
REMIND_OVERDUE_DAYS = 30
# Calls may not ask for more than this far ahead.
CALL_AHEAD = timedelta(days=366)
NOTE = 200
REASON = 300
DONE = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
MISSING = "missing"  # 未报: no row


class SubmissionError(DomainError):
    default_message = gettext_lazy("不能报送。")


# Who ------------------------------------------------------------------------------------------


def desk_users(jurisdiction_ids):
    """The active desk accounts of these jurisdictions (who submit, decide and are reminded)."""
    return User.objects.filter(is_active=True, role__in=DESK_ROLES, jurisdiction_id__in=list(jurisdiction_ids))


def _lowest_rank() -> int | None:
    level = JurisdictionLevel.objects.filter(code=LOWEST_SENDER_LEVEL).only("rank").first()
    return level.rank if level is not None else None


def senders_of(receiver: Jurisdiction) -> list[Jurisdiction]:
    """The direct children of `receiver` that report to it, by path."""
    children = Jurisdiction.objects.filter(parent=receiver).select_related("level").order_by("path")
    rank = _lowest_rank()
    if rank is not None:
        children = children.filter(level__rank__lte=rank)
    return list(children)


def _is_desk_of(user, jurisdiction_id) -> bool:
    return getattr(user, "role", None) in DESK_ROLES and own_jurisdiction(user, jurisdiction_id)


def period_text(start: date, end: date) -> str:
    """A period as pages name it: "2026年度", "2026年第2季度", "2026年3月", or its dates."""
    for kind in (periods.YEAR, periods.QUARTER, periods.MONTH):
        if periods.period_bounds(kind, start) == (start, end):
            return periods.period_label(kind, start, end)
    return periods.period_label(periods.DAY if start == end else "custom", start, end)


def span(start: date, end: date) -> str:
    """A period in a notification, the same in every reader's language: "2026.01.01–2026.12.31"."""
    return f"{start:%Y.%m.%d}–{end:%Y.%m.%d}"


def report_url(report: Report) -> str:
    return report.get_absolute_url()


def page_url(kind: str, start: date, end: date) -> str:
    query = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
    return reverse("reports:submissions") + "?" + urlencode(query)


def _notify(jurisdiction_ids, *, kind: str, target, message: Message, link: str, title: Message) -> None:
    """Tell the desk staff of these jurisdictions (the other side of a step)."""
    notify(desk_users(jurisdiction_ids), kind=kind, target=target, message=message, link=link, title=title)


# Services -------------------------------------------------------------------------------------


@transaction.atomic
def submit(user, report: Report) -> Submission:
    """报送 `report` (final, of the user's own jurisdiction) to its jurisdiction's parent.

    Locks the report. Creates the submission (audited reports.submission.submit) or, after a
    退回, sends the same row again through the table (reports.submission.resubmit; the return's
    reason stays in the audit trail and leaves the row). Refused while a submission of the same
    kind and period is 已报 or 已采纳. The receiver's desk staff are notified."""
    ensure_role_allows(user, Submission, "add")
    report = Report.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=report.pk)
    ensure_in_scope(user, report, "view")
    if not _is_desk_of(user, report.jurisdiction_id):
        raise PermissionDeniedForRole(_("只有文稿所属辖区的工作人员可以报送。"))
    if report.status != ReportStatus.FINAL:
        raise SubmissionError(_("文稿定稿后才能报送。"))
    receiver = report.jurisdiction.parent
    if receiver is None:
        raise SubmissionError(_("{name}没有上级辖区，无需报送。").format(name=report.jurisdiction.name))
    now = timezone.now()
    existing = (
        Submission.objects.select_for_update(of=("self",))
        .filter(sender=report.jurisdiction, receiver=receiver, kind=report.kind, period_start=report.period_start)
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    report=report,
                    sender=report.jurisdiction,
                    receiver=receiver,
                    kind=report.kind,
                    period_start=report.period_start,
                    period_end=report.period_end,
                    status=SubmissionStatus.SUBMITTED,
                    submitted_at=now,
                    submitted_by=user,
                )
        except IntegrityError:
            raise SubmissionError(_("本期已经报送过了。")) from None
        audit_record(
            actor=user,
            obj=submission,
            action="reports.submission.submit",
            data={"report": report.title, "version": report.version},
        )
    elif existing.status == SubmissionStatus.RETURNED:
        submission = SUBMISSION_WORKFLOW.perform(
            "resubmit",
            obj=existing,
            actor=user,
            changes={
                "report": report,
                "period_end": report.period_end,
                "reason": "",
                "submitted_at": now,
                "submitted_by": user,
                "decided_at": None,
                "decided_by": None,
            },
            data={"report": report.title, "version": report.version, "returned_for": existing.reason},
        )
    else:
        raise SubmissionError(_("本期已报送（{status}），不能重复报送。").format(status=existing.get_status_display()))
    _notify(
        [receiver.pk],
        kind="report_submitted",
        target=submission,
        title=Message(gettext_noop("报送提醒")),
        message=Message(
            gettext_noop("{sender}报送了{kind}（{period}），请查收。"),
            sender=report.jurisdiction.name,
            period=span(report.period_start, report.period_end),
            kind=term(ReportKind(report.kind).label),
        ),
        link=page_url(report.kind, report.period_start, report.period_end),
    )
    return submission


def _reopen(user, report: Report, reason: str) -> None:
    """A returned report goes back to draft so its authors can edit and finalize it again."""
    locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if locked.status == ReportStatus.DRAFT:
        return
    before = locked.get_status_display()
    locked.status = ReportStatus.DRAFT
    locked.finalized_by = None
    locked.finalized_at = None
    locked.version += 1
    locked.save(update_fields=["status", "finalized_by", "finalized_at", "version", "updated_at"])
    audit_record(
        actor=user,
        obj=locked,
        action="reports.report.reopened",
        data={"changes": {"status": [str(before), str(locked.get_status_display())]}, "note": reason},
    )


@transaction.atomic
def return_submission(user, submission: Submission, reason: str, version: int | None) -> Submission:
    """退回 with a reason (required), by the receiver's desk staff: locks the submission, refuses
    a stale `version`, and reopens the report (draft again, audited reports.report.reopened).
    The sender's desk staff are notified with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    reason = reason[:REASON]
    now = timezone.now()
    returned = SUBMISSION_WORKFLOW.perform(
        "return",
        obj=submission,
        actor=user,
        expected_version=version,
        changes={"reason": reason, "decided_at": now, "decided_by": user},
        note=reason,
        on_done=lambda locked, before: _reopen(user, locked.report, reason),
    )
    _notify(
        [returned.sender_id],
        kind="report_returned",
        target=returned,
        title=Message(gettext_noop("报送退回")),
        message=Message(
            gettext_noop("{receiver}退回了{kind}（{period}）：{reason}"),
            receiver=returned.receiver.name,
            period=span(returned.period_start, returned.period_end),
            kind=term(ReportKind(returned.kind).label),
            reason=reason,
        ),
        link=report_url(returned.report),
    )
    return returned


@transaction.atomic
def accept(user, submission: Submission, version: int | None) -> Submission:
    """已采纳, by the receiver's desk staff: locks the row, refuses a stale `version`, audits
    reports.submission.accept and tells the sender's desk staff."""
    accepted = SUBMISSION_WORKFLOW.perform(
        "accept",
        obj=submission,
        actor=user,
        expected_version=version,
        changes={"decided_at": timezone.now(), "decided_by": user},
    )
    _notify(
        [accepted.sender_id],
        kind="report_accepted",
        target=accepted,
        title=Message(gettext_noop("报送已采纳")),
        message=Message(
            gettext_noop("{receiver}已采纳{kind}（{period}）。"),
            receiver=accepted.receiver.name,
            period=span(accepted.period_start, accepted.period_end),
            kind=term(ReportKind(accepted.kind).label),
        ),
        link=report_url(accepted.report),
    )
    return accepted


@transaction.atomic
def create_call(user, kind: str, period_start: date, period_end: date, deadline: date, note: str = "") -> ReportCall:
    """A receiver's 报送要求 to its senders (its own jurisdiction's desk staff only): one per kind
    and period start. Audited reports.reportcall.created; the senders' desk staff are notified."""
    ensure_role_allows(user, ReportCall, "add")
    receiver = getattr(user, "jurisdiction", None)
    if user.role not in DESK_ROLES or receiver is None:
        raise PermissionDeniedForRole(_("只有辖区工作人员可以发起报送要求。"))
    senders = senders_of(receiver)
    if not senders:
        raise SubmissionError(_("{name}没有下级报送单位。").format(name=receiver.name))
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("请选择文种。")})
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("统计截止日不能早于起始日。")
    if deadline < period_start:
        errors["deadline"] = _("报送截止日不能早于统计起始日。")
    elif deadline > timezone.localdate() + CALL_AHEAD:
        errors["deadline"] = _("报送截止日不能晚于一年以后。")
    if errors:
        raise ValidationError(errors)
    if ReportCall.objects.filter(receiver=receiver, kind=kind, period_start=period_start).exists():
        raise SubmissionError(_("本期的报送要求已经发出。"))
    try:
        with transaction.atomic():
            call = ReportCall.objects.create(
                receiver=receiver,
                kind=kind,
                period_start=period_start,
                period_end=period_end,
                deadline=deadline,
                note=(note or "").strip()[:NOTE],
                created_by=user,
            )
    except IntegrityError:
        raise SubmissionError(_("本期的报送要求已经发出。")) from None
    audit_record(
        actor=user,
        obj=call,
        action="reports.reportcall.created",
        data={
            "after": {
                "kind": str(ReportKind(kind).label),
                "period": period_text(period_start, period_end),
                "deadline": deadline.isoformat(),
                "note": call.note,
            }
        },
    )
    _notify(
        [s.pk for s in senders],
        kind="report_call",
        target=call,
        title=Message(gettext_noop("报送要求")),
        message=Message(
            gettext_noop("{receiver}要求于{deadline}前报送{kind}（{period}）。"),
            receiver=receiver.name,
            deadline=deadline.isoformat(),
            period=span(period_start, period_end),
            kind=term(ReportKind(kind).label),
        ),
        link=page_url(kind, period_start, period_end),
    )
    return call


def pending_senders(call: ReportCall) -> list[Jurisdiction]:
    """The senders of `call` with nothing 已报 or 已采纳 for its kind and period (未报 or 退回)."""
    done = set(
        Submission.objects.filter(
            receiver=call.receiver_id, kind=call.kind, period_start=call.period_start, status__in=DONE
        ).values_list("sender_id", flat=True)
    )
    return [sender for sender in senders_of(call.receiver) if sender.pk not in done]


def remind_due(*, today: date | None = None) -> dict[str, int]:
    """The daily reminder: for each call whose deadline is within REMIND_DAYS days or past (up to
    REMIND_OVERDUE_DAYS), not yet reminded today, notify the desk staff of every sender that has
    not reported (未报 or 退回). `reminded_on` is set on the locked call in the same transaction,
    so a second run the same day (another beat, a retry) sends nothing."""
    today = today or timezone.localdate()
    due = ReportCall.objects.filter(
        deadline__lte=today + timedelta(days=REMIND_DAYS),
        deadline__gte=today - timedelta(days=REMIND_OVERDUE_DAYS),
    ).exclude(reminded_on__gte=today)
    calls = reminded = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            call = (
                ReportCall.objects.select_for_update(of=("self",))
                .select_related("receiver")
                .filter(pk=pk)
                .exclude(reminded_on__gte=today)
                .first()
            )
            if call is None:
                continue
            call.reminded_on = today
            call.save(update_fields=["reminded_on", "updated_at"])
            pending = pending_senders(call)
            calls += 1
            reminded += len(pending)
            if not pending:
                continue
            overdue = call.deadline < today
            key = (
                gettext_noop("{kind}（{period}）已超过报送截止日{deadline}，请尽快报送{receiver}。")
                if overdue
                else gettext_noop("请于{deadline}前向{receiver}报送{kind}（{period}）。")
            )
            _notify(
                [sender.pk for sender in pending],
                kind="report_due",
                target=call,
                title=Message(gettext_noop("报送提醒")),
                message=Message(
                    key,
                    deadline=call.deadline.isoformat(),
                    receiver=call.receiver.name,
                    period=span(call.period_start, call.period_end),
                    kind=term(ReportKind(call.kind).label),
                ),
                link=page_url(call.kind, call.period_start, call.period_end),
            )
    return {"calls": calls, "senders": reminded}


# Selectors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return period_text(self.start, self.end)

    @property
    def kind_label(self) -> str:
        return str(ReportKind(self.kind).label)

    @property
    def url(self) -> str:
        return page_url(self.kind, self.start, self.end)


def visible_calls(user):
    """The calls `user` may see: their own node's, its subtree's and its parent's."""
    return ReportCall.objects.restrict(user, "view").select_related("receiver")


def default_period(user) -> Period:
    """The latest call the user's node sent or received, else this year's 年度工作总结."""
    call = visible_calls(user).order_by("-deadline", "-id").first()
    if call is not None:
        return Period(call.kind, call.period_start, call.period_end)
    start, end = periods.period_bounds(periods.YEAR, timezone.localdate())
    return Period(ReportKind.YEAR_SUMMARY, start, end)


def call_for(receiver, period: Period) -> ReportCall | None:
    return ReportCall.objects.filter(receiver=receiver, kind=period.kind, period_start=period.start).first()


@dataclass
class SenderRow:
    sender: Jurisdiction
    submission: Submission | None
    deadline: date | None
    transitions: list
    report_url: str

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else MISSING

    @property
    def status_label(self) -> str:
        return self.submission.get_status_display() if self.submission else _("未报")

    @property
    def overdue(self) -> bool:
        """Not reported (未报 or 退回) and the deadline has passed."""
        return (
            self.deadline is not None
            and self.deadline < timezone.localdate()
            and (self.submission is None or self.submission.status == SubmissionStatus.RETURNED)
        )


def sender_rows(user, receiver: Jurisdiction, period: Period) -> list[SenderRow]:
    """One row per sender of `receiver` for the period: its submission (or 未报), the deadline of
    the receiver's call, the steps `user` may take (the workflow table) and the report's page."""
    call = call_for(receiver, period)
    deadline = call.deadline if call else None
    submissions = {
        s.sender_id: s
        for s in Submission.objects.filter(receiver=receiver, kind=period.kind, period_start=period.start)
        .select_related("report", "sender", "receiver", "submitted_by", "decided_by")
        .restrict(user, "view")
    }
    rows = []
    for sender in senders_of(receiver):
        submission = submissions.get(sender.pk)
        rows.append(
            SenderRow(
                sender=sender,
                submission=submission,
                deadline=deadline,
                transitions=SUBMISSION_WORKFLOW.available(submission, user) if submission else [],
                report_url=report_url(submission.report) if submission else "",
            )
        )
    return rows


def rollup_groups(user):
    return totals.figure_groups(user)


def rollup_rows(user, receiver: Jurisdiction, period: Period, group: totals.Group) -> list[totals.Row]:
    """The roll-up of one group of figures for the period: the receiver, then each sender,
    every cell computed from the records by the figure's own function (apps/core/evidence.py),
    never read from a submitted document."""
    nodes = [(receiver, True)] + [(sender, False) for sender in senders_of(receiver)]
    return [
        totals.Row(node, totals.compute_all(group.figures, node.path, period.start, period.end), is_total)
        for node, is_total in nodes
    ]


def own_reports(user, jurisdiction: Jurisdiction, period: Period):
    """The user's own jurisdiction's reports of the kind and period (newest first)."""
    return (
        Report.objects.restrict(user, "view")
        .filter(jurisdiction=jurisdiction, kind=period.kind, period_start=period.start)
        .select_related("jurisdiction__parent")
        .order_by("-id")
    )


def submission_panel(user, report: Report) -> dict:
    """What the sender's box on a report's page shows: the submission of its kind and period to
    the parent (its status, the reason of a 退回, who and when), the parent's deadline, and
    whether `user` may 报送 this report now (and the URL to post to)."""
    parent = report.jurisdiction.parent
    submission = None
    call = None
    if parent is not None:
        submission = (
            Submission.objects.filter(
                sender=report.jurisdiction_id, receiver=parent, kind=report.kind, period_start=report.period_start
            )
            .select_related("report", "decided_by", "submitted_by")
            .first()
        )
        call = ReportCall.objects.filter(receiver=parent, kind=report.kind, period_start=report.period_start).first()
    may_send = (
        parent is not None
        and user.can("reports.submission", "add")
        and _is_desk_of(user, report.jurisdiction_id)
        and (submission is None or submission.status == SubmissionStatus.RETURNED)
    )
    reported = submission is not None and submission.status in DONE
    blocked = ""
    if may_send and report.status != ReportStatus.FINAL:
        blocked = _("文稿定稿后才能报送。")
    return {
        "report": report,
        "receiver": parent,
        "submission": submission,
        "status": submission.status if submission else MISSING,
        "status_label": submission.get_status_display() if submission else _("未报"),
        "is_this_report": submission is not None and submission.report_id == report.pk,
        "call": call,
        "overdue": bool(call and call.deadline < timezone.localdate() and not reported),
        "can_submit": may_send and not blocked,
        "blocked": blocked,
        "submit_url": reverse("reports:submission_submit", args=[report.pk]),
        "submit_label": SUBMISSION_WORKFLOW["resubmit"].label if submission else _("报送"),
        "period_url": page_url(report.kind, report.period_start, report.period_end),
    }
