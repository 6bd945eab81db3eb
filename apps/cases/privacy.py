"""Who reported a case, as a given viewer may see it: the one rule for every page, API and file.

Whoever reported a problem (a resident, a 12345 caller, a grid worker, an inspector, a
leader) stays unknown to the party the case is about: the contact of the assigned unit
(unit contacts only ever see their unit's cases) and the person a case is assigned to.
They see a neutral label of the source instead (`REPORTER_LABELS`), not even a masked name.
Everyone else who may open the case reads the reporter as the personal-data policy says
(apps/core/personal.py; the fields are declared in `PERSONAL_DATA`): a resident's or a
12345 caller's name and phone masked (`孙*民`, `139****3333`), with an audited 显示 for the
dispatchers who call back; a staff reporter's name in full, their phone masked.

The identity covers the reporter's name and phone on the case, the actor of the report
event, and the actor of any later event that reports the problem again (the reporter's or
another field worker's extra photos): `event_actor_display` masks them. Documents and the case ledger
(.xlsx) carry no reporter at all; they are handed to or opened by the unit.
"""

from django.utils.translation import gettext_lazy as _

from apps.core import personal
from apps.core.personal import Part, PersonalField, PersonKind

from .choices import CaseSource
from .models import Case, CaseEvent
from .workflow import (
    CASE_WORKFLOW,
    CHECKERS,
    DISPATCHERS,
    REPORTERS,
    default_source,
    is_assignee,
    may_see_reporter,
)

# What a viewer who may not know the reporter reads in the reporter's place.
REPORTER_LABELS = {
    CaseSource.PATROL: _("巡查人员"),
    CaseSource.INSPECTION: _("检查人员"),
    CaseSource.RESIDENT: _("市民"),
    CaseSource.HOTLINE: _("12345热线"),
    CaseSource.LEADER: _("督查领导"),
}
UNKNOWN_REPORTER = _("上报人")


def reporter_label(case: Case) -> str:
    """The neutral stand-in for the reporter: who reports through this source, never a name."""
    return str(REPORTER_LABELS.get(case.source, UNKNOWN_REPORTER))


def reporter_kind(case: Case) -> str:
    """Who the reporter is, for the personal-data policy: residents (the public page, Open311)
    and 12345 callers are members of the public; every other source is a member of staff."""
    return {CaseSource.RESIDENT: PersonKind.RESIDENT, CaseSource.HOTLINE: PersonKind.HOTLINE}.get(
        case.source, PersonKind.STAFF
    )


def is_own_report(user, case: Case) -> bool:
    """A member of staff reading their own report (not a caller's they typed in)."""
    return bool(user.pk and case.reporter_id == user.pk and reporter_kind(case) == PersonKind.STAFF)


def _reporter_field(field: str, part: str) -> PersonalField:
    return PersonalField(
        "cases.case",
        field,
        part,
        reporter_kind,
        kinds=(PersonKind.RESIDENT, PersonKind.HOTLINE, PersonKind.STAFF),
        visible=may_see_reporter,
        stand_in=reporter_label,
        owner=is_own_report,
        queryset=lambda user: Case.objects.restrict(user, "view"),
    )


PERSONAL_DATA = [_reporter_field("reporter_name", Part.NAME), _reporter_field("reporter_phone", Part.PHONE)]


def reporter_display(case: Case, viewer) -> str:
    """The reporter's name as this viewer reads it (masked, or the neutral label; a resident
    without a name is "群众")."""
    if viewer is None or not may_see_reporter(viewer, case):
        return reporter_label(case)
    return personal.shown(viewer, case, "reporter_name").text or str(_("群众"))


def reporter_phone_display(case: Case, viewer) -> str:
    """The reporter's phone as this viewer reads it: masked, or "" when not theirs to read."""
    if viewer is None:
        return ""
    return "" if (shown := personal.shown(viewer, case, "reporter_phone")).withheld else shown.text


# Roles that only ever report on a case they are not assigned (no dispatching, no checking
# of a fix): when one of them adds photos of the problem, they are reporting it again.
FIELD_REPORTERS = REPORTERS - DISPATCHERS - CHECKERS


def reporting_source(event: CaseEvent, case: Case | None = None) -> str | None:
    """The source a reporting event came through, or None when the event does not report.

    Reporting events: the report itself, anything else the reporter's account did besides a
    workflow step (立案, 派遣, 核查 are done in an office, not as the reporter), and photos of
    the problem added by another field worker (a second grid worker who saw it too).
    """
    case = case or event.case
    if event.action == "report":
        return case.source
    if event.action in CASE_WORKFLOW or not event.actor_id:
        return None
    if event.actor_id == case.reporter_id:
        return case.source
    actor = event.actor
    if event.action == "photo" and actor.role in FIELD_REPORTERS and not is_assignee(case, actor):
        return default_source(actor)
    return None


def is_reporters_event(event: CaseEvent, case: Case | None = None) -> bool:
    return reporting_source(event, case) is not None


def event_actor_display(event: CaseEvent, viewer, case: Case | None = None) -> str:
    """Who took a step of the case's history, as this viewer may read it."""
    case = case or event.case
    source = reporting_source(event, case)
    if source is None or (viewer is not None and viewer.pk is not None and event.actor_id == viewer.pk):
        return event.actor_name
    if viewer is None or not may_see_reporter(viewer, case):
        return str(REPORTER_LABELS.get(source, UNKNOWN_REPORTER))
    if event.action == "report" and not event.actor_id:  # a resident on the public page
        return personal.shown(viewer, case, "reporter_name").text or reporter_label(case)
    return event.actor_name
