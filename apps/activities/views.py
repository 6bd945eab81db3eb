"""Pages: the activity list with its totals bar, the phone form (create/edit), the detail with
its steps, sign-ups and attendance, the totals page, volunteers and teams, the measures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.filters import InvalidFilters
from apps.core.selectors import audit_events_for
from apps.core.views_base import (
    FilteredListView,
    ServiceFormView,
    form_error_messages,
    get_scoped_or_404,
    requires,
)
from apps.photos.views import photo_response

from . import selectors, services
from .choices import ActivityKind, ActivityStatus, ParticipantKind
from .evidence import list_url
from .filters import TotalsFilterSet
from .forms import (
    ActivityForm,
    AttendanceForm,
    MeasureForm,
    SignUpForm,
    StepForm,
    TeamForm,
    VersionForm,
    VolunteerForm,
    existing_rows,
    output_formset,
    output_rows,
    preset_rows,
)
from .models import Activity, ActivityPhoto, OutputMeasure, SignUp, Volunteer, VolunteerTeam
from .workflow import ACTIVITY_WORKFLOW, REASON_REQUIRED, RECORDERS, owns

# Activities --------------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    model = Activity
    template_name = "activities/activity_list.html"
    export_source = "activities"

    def get_rows(self):
        self.totals = selectors.list_totals(user=self.request.user, filters=self.get_filters())
        return selectors.activity_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        totals = getattr(self, "totals", None)
        return {
            "kinds": ActivityKind.choices,
            "statuses": ActivityStatus.choices,
            "jurisdictions": selectors.Jurisdiction.objects.restrict(self.request.user).order_by("path")[:300],
            "totals": totals,
            "measures": selectors.measures_shown([totals]) if totals else [],
            "can_add": self.request.user.role in RECORDERS and self.request.user.can("activities.activity", "add"),
        }


def _activity(request, pk, action="view") -> Activity:
    return get_scoped_or_404(Activity, request.user, pk, action, queryset=selectors.activity_detail_qs())


def _activity_form_context(request, form, formset, activity=None, kind=""):
    return {
        "form": form,
        "formset": formset,
        "activity": activity,
        "kind": kind,
        "kind_label": ActivityKind(kind).label if kind else "",
        "cancel_url": activity.get_absolute_url() if activity else reverse("activities:activity_list"),
    }


@requires("activities.activity", "add")
def activity_create(request):
    """登记活动 on a phone: pick the kind (big buttons), then one screen with today's date, the
    place, 人次 per kind, the kind's preset output rows and a photo from the camera."""
    if request.user.role not in RECORDERS:
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind and kind not in ActivityKind.values:
        raise Http404
    if not kind:
        return TemplateResponse(request, "activities/activity_kind.html", {"kinds": ActivityKind.choices})
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user)
        formset = output_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(
                    actor=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    held_on=data["held_on"],
                    place=data["place"],
                    jurisdiction=data["jurisdiction"],
                    areas=data["areas"],
                    organiser=data["organiser"],
                    organiser_unit=data["organiser_unit"],
                    description=data["description"],
                    participants=form.participants(),
                    outputs=output_rows(formset),
                    photos=data["photos"],
                    held=data["held"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("活动已登记。"))
                return redirect(activity)
        status = 400
    else:
        form = ActivityForm(user=request.user, initial={"kind": kind, "held": True})
        formset = output_formset(initial=preset_rows(kind))
        status = 200
    context = _activity_form_context(request, form, formset, kind=kind)
    return TemplateResponse(request, "activities/activity_form.html", context, status=status)


@requires("activities.activity", "change")
def activity_edit(request, pk):
    activity = _activity(request, pk, "change")
    if not owns(activity, request.user) or activity.status == ActivityStatus.CANCELLED:
        raise PermissionDenied
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user, activity=activity)
        formset = output_formset(request.POST, activity=activity)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    expected_version=data.get("version"),
                    changes={name: data[name] for name in services.HEADER_FIELDS},
                    areas=data["areas"],
                    participants=form.participants(),
                    outputs=output_rows(formset),
                    photos=data["photos"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(activity)
        status = 400
    else:
        counts = {p.kind: p.count for p in activity.participants.all()}
        initial = {name: getattr(activity, name) for name in services.HEADER_FIELDS}
        initial.update({f"people_{kind}": counts.get(kind, 0) for kind in ParticipantKind.values})
        initial.update({"areas": list(activity.areas.all()), "version": activity.version})
        form = ActivityForm(user=request.user, activity=activity, initial=initial)
        formset = output_formset(activity=activity, initial=existing_rows(activity))
        status = 200
    context = _activity_form_context(request, form, formset, activity=activity, kind=activity.kind)
    return TemplateResponse(request, "activities/activity_form.html", context, status=status)


@requires("activities.activity")
def activity_detail(request, pk):
    user = request.user
    activity = _activity(request, pk)
    mine = owns(activity, user)
    signups = list(selectors.activity_signups(user=user, activity=activity))
    can_sign = mine and user.can("activities.signup", "add") and activity.status != ActivityStatus.CANCELLED
    context = {
        "activity": activity,
        "steps": ACTIVITY_WORKFLOW.available(activity, user),
        "reason_required": REASON_REQUIRED,
        "can_edit": mine and user.can("activities.activity", "change") and activity.status != ActivityStatus.CANCELLED,
        "participants": [p for p in activity.participants.all() if p.count],
        "outputs": [o for o in activity.outputs.all() if o.quantity or o.material],
        "signups": signups,
        "attended": sum(1 for s in signups if s.attended and s.is_active),
        "can_manage_signups": mine and user.can("activities.signup", "change"),
        "signup_form": SignUpForm(candidates=selectors.signup_candidates(user=user, activity=activity))
        if can_sign
        else None,
        "today": timezone.localdate(),
        "audit_events": audit_events_for(user=user, obj=activity).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "activities/activity_detail.html", context)


@require_POST
@requires("activities.activity", "view")
def activity_transition(request, pk, name):
    activity = _activity(request, pk)
    if name not in ACTIVITY_WORKFLOW:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(activity)
    try:
        services.activity_transition(
            actor=request.user,
            activity=activity,
            name=name,
            expected_version=form.cleaned_data.get("version"),
            reason=form.cleaned_data.get("reason", ""),
        )
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已{action}。").format(action=ACTIVITY_WORKFLOW[name].label))
    return redirect(activity)


@require_POST
@requires("activities.activity", "change")
def activity_volunteer_count(request, pk):
    """志愿者人次 from the attendance."""
    activity = _activity(request, pk, "change")
    form = VersionForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(activity)
    try:
        services.activity_volunteers_from_attendance(
            actor=request.user, activity=activity, expected_version=form.cleaned_data.get("version")
        )
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已按到场人数更新志愿者人次。"))
    return redirect(activity)


@requires("activities.activity")
def activity_photo(request, pk, size):
    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None or size not in ("thumb", "full"):
        raise Http404
    _activity(request, photo.activity_id)  # 404 unless the viewer may see the activity
    return photo_response(photo, size)


# Totals ------------------------------------------------------------------------------------


@requires("activities.activity")
def totals(request):
    """Per-jurisdiction totals: the node and each child, each by the roll-up rule, linking to
    the list of exactly the records it counts."""
    user = request.user
    try:
        params = TotalsFilterSet(request.GET, Activity.objects.none(), user=user).params()
    except InvalidFilters as error:
        return TemplateResponse(
            request, "activities/totals.html", {"filter_errors": error.messages, "rows": []}, status=400
        )
    today = timezone.localdate()
    start = params.get("start") or today.replace(day=1)
    end = params.get("end") or today
    node = params.get("jurisdiction") or user.jurisdiction
    if node is None:
        node = selectors.Jurisdiction.objects.restrict(user).order_by("depth", "path").first()
    if node is None:
        raise Http404
    rows = selectors.jurisdiction_totals(user=user, node=node, start=start, end=end)
    columns = selectors.totals_columns(rows)
    for row in rows:
        path = row["node"].path
        row["url"] = list_url(path, start, end)
        row["drives_url"] = list_url(path, start, end, drives="1")
        row["cells"] = [
            (row["totals"].outputs.get(m.code, 0), list_url(path, start, end, measure=m.code)) for m in columns
        ]
    context = {
        "node": node,
        "start": start,
        "end": end,
        "rows": rows,
        "columns": columns,
        "parent": selectors.Jurisdiction.objects.restrict(user).filter(pk=node.parent_id).first(),
        "people_kinds": ParticipantKind.choices,
    }
    return TemplateResponse(request, "activities/totals.html", context)


# Volunteers and teams ----------------------------------------------------------------------


class VolunteerListView(FilteredListView):
    model = Volunteer
    template_name = "activities/volunteer_list.html"
    export_source = "volunteers"

    def get_rows(self):
        return selectors.volunteer_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {
            "teams": VolunteerTeam.objects.restrict(self.request.user).order_by("name"),
            "can_add": self.request.user.can("activities.volunteer", "add"),
        }


@requires("activities.volunteer")
def volunteer_detail(request, pk):
    volunteer = get_scoped_or_404(
        Volunteer, request.user, pk, queryset=Volunteer.objects.select_related("team", "jurisdiction")
    )
    context = {
        "volunteer": volunteer,
        "signups": selectors.volunteer_signups(user=request.user, volunteer=volunteer),
        "hours": selectors.volunteer_hours(volunteer),
        "audit_events": audit_events_for(user=request.user, obj=volunteer).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "activities/volunteer_detail.html", context)


class VolunteerCreateView(ServiceFormView):
    model = Volunteer
    action = "add"
    form_class = VolunteerForm

    def get_title(self):
        return _("登记志愿者")

    def perform(self, form, data):
        return services.volunteer_create(
            actor=self.request.user,
            full_name=data["full_name"],
            phone=data["phone"],
            team=data["team"],
            skills=data["skills"],
            jurisdiction=data["jurisdiction"],
        )


class VolunteerEditView(ServiceFormView):
    model = Volunteer
    action = "change"
    form_class = VolunteerForm

    def get_title(self):
        return _("编辑志愿者")

    def perform(self, form, data):
        return services.volunteer_update(
            actor=self.request.user,
            volunteer=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )


@requires("activities.volunteerteam")
def team_list(request):
    context = {
        "teams": selectors.team_list(user=request.user),
        "can_add": request.user.can("activities.volunteerteam", "add"),
    }
    return TemplateResponse(request, "activities/team_list.html", context)


class TeamCreateView(ServiceFormView):
    model = VolunteerTeam
    action = "add"
    form_class = TeamForm

    def get_title(self):
        return _("新建志愿服务队")

    def perform(self, form, data):
        return services.team_create(
            actor=self.request.user,
            name=data["name"],
            jurisdiction=data["jurisdiction"],
            description=data["description"],
        )

    def success_url(self, result):
        return reverse("activities:team_list")


class TeamEditView(TeamCreateView):
    action = "change"

    def get_title(self):
        return _("编辑志愿服务队")

    def perform(self, form, data):
        return services.team_update(
            actor=self.request.user,
            team=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )

    def cancel_url(self):
        return reverse("activities:team_list")


# Sign-ups ----------------------------------------------------------------------------------


def _signup_errors(request, call, success):
    try:
        call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)


@require_POST
@requires("activities.signup", "add")
def signup_create(request, pk):
    activity = _activity(request, pk)
    form = SignUpForm(request.POST, candidates=selectors.signup_candidates(user=request.user, activity=activity))
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(activity)
    volunteer = form.cleaned_data["volunteer"]
    _signup_errors(
        request,
        lambda: services.signup_create(actor=request.user, activity=activity, volunteer=volunteer),
        _("已报名。"),
    )
    return redirect(activity)


def _signup(request, pk) -> SignUp:
    return get_scoped_or_404(
        SignUp, request.user, pk, "change", queryset=SignUp.objects.select_related("activity__jurisdiction")
    )


@require_POST
@requires("activities.signup", "change")
def signup_attendance(request, pk):
    signup = _signup(request, pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(signup.activity)
    data = form.cleaned_data
    _signup_errors(
        request,
        lambda: services.signup_record(
            actor=request.user,
            signup=signup,
            attended=data["attended"],
            hours=data["hours"],
            expected_version=data.get("version"),
        ),
        _("到场情况已保存。"),
    )
    return redirect(signup.activity)


@require_POST
@requires("activities.signup", "change")
def signup_withdraw(request, pk):
    signup = _signup(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(signup.activity)
    _signup_errors(
        request,
        lambda: services.signup_withdraw(
            actor=request.user, signup=signup, expected_version=form.cleaned_data.get("version")
        ),
        _("已退出报名。"),
    )
    return redirect(signup.activity)


# Output measures (the office) --------------------------------------------------------------


@requires("activities.outputmeasure")
def measure_list(request):
    context = {"measures": selectors.measures(), "can_edit": request.user.can("activities.outputmeasure", "change")}
    return TemplateResponse(request, "activities/measure_list.html", context)


class MeasureCreateView(ServiceFormView):
    model = OutputMeasure
    action = "add"
    form_class = MeasureForm

    def get_title(self):
        return _("新增成效计量项")

    def perform(self, form, data):
        return services.measure_create(
            actor=self.request.user,
            code=data["code"],
            name=data["name"],
            unit=data["unit"],
            category=data["category"],
            sort=data["sort"],
        )

    def success_url(self, result):
        return reverse("activities:measure_list")

    def cancel_url(self):
        return reverse("activities:measure_list")


class MeasureEditView(MeasureCreateView):
    action = "change"

    def get_title(self):
        return _("编辑成效计量项")

    def perform(self, form, data):
        return services.measure_update(
            actor=self.request.user, measure=self.get_object(), changes=data, expected_version=data.get("version")
        )
