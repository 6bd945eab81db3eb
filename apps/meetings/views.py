"""Pages of meetings: the lists, plan/edit, the meeting page (header, attendance and QR code,
record, decisions, the last meeting's decisions, attachments, history), 记录召开, the phone
sign-in page, the status steps, decisions and their follow-ups, the minutes download and the
attachments. Views parse, call one service or selector, render."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires, submit_form
from apps.documents.docx import docx_response
from apps.photos.views import photo_response

from . import selectors, services
from .choices import DecisionKind, MeetingKind, MeetingStatus
from .filters import decision_status_choices, meeting_status_choices
from .forms import AttachmentForm, DecisionForm, HoldForm, MeetingForm, SignForm, StepForm
from .minutes import minutes_docx, participants_text
from .models import Attendee, Decision, Meeting, MeetingDocument, MeetingPhoto
from .workflow import DECISION_WORKFLOW, MEETING_WORKFLOW, manages


class MeetingListView(FilteredListView):
    model = Meeting
    template_name = "meetings/list.html"
    export_source = "meetings"

    def get_rows(self):
        return selectors.meeting_list(user=self.request.user, filters=self.request.GET)

    def get_extra_context(self):
        return {"kinds": MeetingKind.choices, "statuses": meeting_status_choices()}


class DecisionListView(FilteredListView):
    model = Decision
    template_name = "meetings/decisions.html"
    export_source = "meeting_decisions"

    def get_rows(self):
        return selectors.decision_list(user=self.request.user, filters=self.request.GET)

    def get_extra_context(self):
        return {"kinds": DecisionKind.choices, "statuses": decision_status_choices()}


def _run(request, call):
    """Run one service for a small POST that redirects back: a role refused answers 403, a
    refused input or step becomes an error message. Returns the service's result, or None."""
    try:
        return call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except DomainError as error:
        messages.error(request, str(error.message))
    return None


def _render_form(request, form, meeting=None):
    title = _("编辑会议") if meeting else _("新建会议")
    status = 400 if request.method == "POST" and form.errors else 200
    return TemplateResponse(
        request, "meetings/form.html", {"form": form, "title": title, "object": meeting}, status=status
    )


def _invitation(data):
    return {"groups": list(data["groups"]), "units": list(data["units"]), "people": list(data["people"])}


HEADER = ["kind", "recurrence", "topic", "jurisdiction", "campaign", "starts_at", "place", "host", "recorder", "guests"]


@requires("meetings.meeting", "add")
def meeting_create(request):
    form = MeetingForm(request.POST or None, user=request.user, initial={"recorder": request.user.pk})
    if request.method == "POST":
        meeting = submit_form(
            form,
            lambda d: services.meeting_create(actor=request.user, **{k: d[k] for k in HEADER}, **_invitation(d)),
        )
        if meeting is not None:
            messages.success(request, _("会议已保存。"))
            return redirect(meeting)
    return _render_form(request, form)


@requires("meetings.meeting", "change")
def meeting_edit(request, pk):
    meeting = get_scoped_or_404(Meeting, request.user, pk, "change")
    if not manages(meeting, request.user):
        raise PermissionDenied
    initial = {name: getattr(meeting, name) for name in HEADER} | {
        "version": meeting.version,
        "starts_at": timezone.localtime(meeting.starts_at),
        "groups": list(meeting.invited_groups.all()),
        "units": list(meeting.invited_units.all()),
        "people": [a.user for a in meeting.attendees.filter(source="person", invited=True, user__isnull=False)],
    }
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting, initial=initial)
    if request.method == "POST":
        saved = submit_form(
            form,
            lambda d: services.meeting_update(
                actor=request.user,
                meeting=meeting,
                changes={k: d[k] for k in HEADER},
                expected_version=d.get("version"),
                **_invitation(d),
            ),
        )
        if saved is not None:
            messages.success(request, _("会议已保存。"))
            return redirect(saved)
    return _render_form(request, form, meeting)


def _qr_svg(request, meeting) -> str:
    url = request.build_absolute_uri(reverse("meetings:meeting_signin", args=[meeting.pk]))
    return segno.make(url, error="m").svg_inline(scale=4, title=_("扫码签到"))


@requires("meetings.meeting")
def meeting_detail(request, pk):
    user = request.user
    get_scoped_or_404(Meeting, user, pk)
    meeting = selectors.meeting_detail(pk)
    is_manager = manages(meeting, user)
    last, reviewed = selectors.review_decisions(meeting, user=user)
    open_status = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)
    can_decide = is_manager and open_status and user.can("meetings.decision", "add")
    can_attach = is_manager and open_status and user.can("meetings.meeting", "change")
    decisions = selectors.decisions_of(meeting)
    for d in decisions:
        d.steps = DECISION_WORKFLOW.available(d, user) if d.task_id is None else []
    context = {
        "meeting": meeting,
        "participants": participants_text(meeting),
        "attendance": selectors.attendance(meeting),
        "attendees": selectors.attendee_rows(meeting),
        "decisions": decisions,
        "last": last,
        "reviewed": reviewed,
        "steps": [t for t in MEETING_WORKFLOW.available(meeting, user) if t.name != "hold"],
        "can_hold": MEETING_WORKFLOW.may("hold", meeting, user),
        "can_edit": can_attach,
        # Forms only for those whose POST the views accept (a grid worker as recorder manages
        # the sign-in, not the decisions or the attachments).
        "decision_form": DecisionForm(user=user, meeting=meeting) if can_decide else None,
        "attachment_form": AttachmentForm() if can_attach else None,
        "documents": list(meeting.documents.all()),
        "photos": list(meeting.photos.all()),
        "qr": _qr_svg(request, meeting) if open_status else "",
        "next_meetings": selectors.next_meetings(meeting, user=user),
        "audit_events": audit_events_for(user=user, obj=meeting)[:50],
    }
    return TemplateResponse(request, "meetings/detail.html", context)


@requires("meetings.meeting", "change")
def meeting_hold(request, pk):
    meeting = get_scoped_or_404(Meeting, request.user, pk)
    if not MEETING_WORKFLOW.may("hold", meeting, request.user):
        if manages(meeting, request.user):
            messages.error(request, _("会议当前不能记录召开。"))
            return redirect(meeting)
        raise PermissionDenied
    initial = {
        "held_at": timezone.localtime(min(meeting.starts_at, timezone.now())),
        "host": meeting.host,
        "points": meeting.points,
        "version": meeting.version,
    }
    form = HoldForm(request.POST or None, initial=initial)
    if request.method == "POST":
        held = submit_form(
            form,
            lambda d: services.meeting_hold(
                actor=request.user,
                meeting=meeting,
                held_at=d["held_at"],
                points=d["points"],
                host=d["host"],
                expected_version=d["version"],
            ),
        )
        if held is not None:
            messages.success(request, _("会议记录已保存。"))
            return redirect(held)
    status = 400 if form.errors else 200
    return TemplateResponse(request, "meetings/hold.html", {"form": form, "meeting": meeting}, status=status)


@require_POST
@requires("meetings.meeting", "change")
def meeting_transition(request, pk, name):
    meeting = get_scoped_or_404(Meeting, request.user, pk)
    if name not in MEETING_WORKFLOW or name == "hold":
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect(meeting)
    done = _run(
        request,
        lambda: services.meeting_transition(
            actor=request.user,
            meeting=meeting,
            name=name,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
    )
    if done is not None:
        messages.success(request, _("已{action}。").format(action=MEETING_WORKFLOW[name].label))
    return redirect(meeting)


@requires("meetings.meeting")
def meeting_signin(request, pk):
    """The phone page the QR code opens: 签到 for the invited user; the recorder's list."""
    user = request.user
    get_scoped_or_404(Meeting, user, pk)
    meeting = selectors.meeting_detail(pk)
    mine = meeting.attendees.filter(user_id=user.pk, invited=True).first()
    context = {
        "meeting": meeting,
        "mine": mine,
        "attendance": selectors.attendance(meeting),
        "attendees": selectors.attendee_rows(meeting) if manages(meeting, user) else [],
        "is_recorder": manages(meeting, user),
        "open": meeting.status in (MeetingStatus.PLANNED, MeetingStatus.HELD),
        "today": timezone.localdate(meeting.starts_at) <= timezone.localdate(),
    }
    return TemplateResponse(request, "meetings/signin.html", context)


@require_POST
@requires("meetings.meeting")
def meeting_sign(request, pk):
    meeting = get_scoped_or_404(Meeting, request.user, pk)
    target = None
    if request.POST.get("attendee"):
        form = SignForm(request.POST)
        if not form.is_valid():
            form_error_messages(request, form)
            return redirect("meetings:meeting_signin", pk)
        target = get_object_or_404(Attendee, pk=form.cleaned_data["attendee"], meeting=meeting)
        signed_at = form.cleaned_data["signed_at"]
    else:
        signed_at = None
    attendee = _run(
        request,
        lambda: services.attendee_sign_in(actor=request.user, meeting=meeting, attendee=target, signed_at=signed_at),
    )
    if attendee is not None:
        messages.success(request, _("{name}签到成功。").format(name=attendee.name))
    return redirect("meetings:meeting_signin", pk)


@require_POST
@requires("meetings.decision", "add")
def decision_create(request, pk):
    meeting = get_scoped_or_404(Meeting, request.user, pk)
    if not manages(meeting, request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST, user=request.user, meeting=meeting)
    decision = submit_form(form, lambda d: services.decision_add(actor=request.user, meeting=meeting, **d))
    if decision is None:
        form_error_messages(request, form)
    elif decision.task_id:
        messages.success(request, _("议定事项已保存，并已列入创卫任务分解表。"))
    else:
        messages.success(request, _("议定事项已保存。"))
    return redirect(reverse("meetings:meeting_detail", args=[pk]) + "#decisions")


@require_POST
@requires("meetings.decision")
def decision_transition(request, pk, name):
    decision = get_scoped_or_404(Decision, request.user, pk)
    if name not in DECISION_WORKFLOW:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
    else:
        done = _run(
            request,
            lambda: services.decision_transition(
                actor=request.user,
                decision=decision,
                name=name,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("已{action}。").format(action=DECISION_WORKFLOW[name].label))
    return redirect(decision.get_absolute_url())


@requires("meetings.meeting")
def meeting_minutes(request, pk):
    get_scoped_or_404(Meeting, request.user, pk)
    meeting = selectors.meeting_detail(pk)
    day = timezone.localtime(meeting.occurred_at).strftime("%Y%m%d")
    name = _("{place}创卫工作会议记录-{day}.docx").format(place=meeting.jurisdiction.name, day=day)
    return docx_response(minutes_docx(meeting, user=request.user), name)


@require_POST
@requires("meetings.meeting", "change")
def meeting_attach(request, pk):
    meeting = get_scoped_or_404(Meeting, request.user, pk)
    if not manages(meeting, request.user):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    document, photos = request.FILES.get("document"), request.FILES.getlist("photos")
    if not form.is_valid() or not (document or photos):
        messages.error(request, _("请选择要上传的文件或照片。"))
        return redirect(meeting)
    if _run(
        request, lambda: services.attachments_add(actor=request.user, meeting=meeting, document=document, photos=photos)
    ):
        messages.success(request, _("附件已上传。"))
    return redirect(reverse("meetings:meeting_detail", args=[pk]) + "#attachments")


@requires("meetings.meeting")
def document_download(request, pk):
    document = get_object_or_404(MeetingDocument, pk=pk)
    get_scoped_or_404(Meeting, request.user, document.meeting_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )


@requires("meetings.meeting")
def meeting_photo(request, pk, size):
    photo = get_object_or_404(MeetingPhoto, pk=pk)
    get_scoped_or_404(Meeting, request.user, photo.meeting_id)
    return photo_response(photo, size)
