"""Pages of plans and activities: the plan list, the plan grid form and its page (planned beside
held and 开课率), the activity list/form/page with its steps, the photos, and the resident's
public sign-in (no login, nothing personal). Views parse, call one service or selector, render."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import ratelimit
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.public import HONEYPOT, device_hash, form_stamp, remember_device, stamp_problem
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires
from apps.photos.views import photo_response

from .. import course_rate
from ..choices import EduKind, EduStatus
from ..forms.activities import (
    ActivityForm,
    PlanForm,
    SignInForm,
    StepForm,
    material_formset,
    material_rows,
)
from ..models import EducationActivity, EducationActivityPhoto, EducationPlan
from ..selectors import activities as selectors
from ..services import activities as services
from ..services import plans as plan_services

# Plans -------------------------------------------------------------------------------------


@requires("education.educationplan")
def plan_list(request):
    user = request.user
    context = {
        "tab": "plans",
        "plans": selectors.plan_list(user=user)[:200],
        "can_add": user.can("education.educationplan", "add"),
    }
    return TemplateResponse(request, "education/plan_list.html", context)


def _plan_form_response(request, form, plan=None, status=200):
    context = {
        "tab": "plans",
        "form": form,
        "plan": plan,
        "months": range(1, 13),
        "cancel_url": plan.get_absolute_url() if plan else reverse("education:plan_list"),
    }
    return TemplateResponse(request, "education/plan_form.html", context, status=status)


@requires("education.educationplan", "add")
def plan_create(request):
    if request.method == "POST":
        form = PlanForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plan_services.plan_create(
                    actor=request.user,
                    jurisdiction=data["jurisdiction"],
                    year=data["year"],
                    title=data["title"],
                    notes=data["notes"],
                    targets=form.targets(),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("计划已保存。"))
                return redirect(plan)
        return _plan_form_response(request, form, status=400)
    return _plan_form_response(request, PlanForm(user=request.user))


def _plan(request, pk, action="view") -> EducationPlan:
    return get_scoped_or_404(
        EducationPlan, request.user, pk, action, queryset=EducationPlan.objects.select_related("jurisdiction")
    )


@requires("education.educationplan", "change")
def plan_edit(request, pk):
    plan = _plan(request, pk, "change")
    if not plan_services.owns_plan(plan, request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = PlanForm(request.POST, user=request.user, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan_services.plan_update(
                    actor=request.user,
                    plan=plan,
                    expected_version=data.get("version"),
                    changes={"title": data["title"] or plan.title, "notes": data["notes"]},
                    targets=form.targets(),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(plan)
        return _plan_form_response(request, form, plan=plan, status=400)
    initial = {"title": plan.title, "notes": plan.notes, "version": plan.version}
    initial.update(PlanForm.grid_initial(plan_services.targets_of(plan)))
    return _plan_form_response(request, PlanForm(user=request.user, plan=plan, initial=initial), plan=plan)


@requires("education.educationplan")
def plan_detail(request, pk):
    user = request.user
    plan = _plan(request, pk)
    own_planned = plan_services.targets_of(plan)
    held = selectors.plan_held_counts(plan=plan, user=user)
    table = course_rate.year_table(own_planned, held)
    context = {
        "tab": "plans",
        "plan": plan,
        "rows": selectors.plan_grid(plan=plan, user=user, held=held),
        "months": range(1, 13),
        "table": table,
        "can_edit": user.can("education.educationplan", "change") and plan_services.owns_plan(plan, user),
        "audit_events": audit_events_for(user=user, obj=plan).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "education/plan_detail.html", context)


# Activities --------------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    model = EducationActivity
    template_name = "education/activity_list.html"
    export_source = "education_activities"

    def get_rows(self):
        return selectors.activity_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        user = self.request.user
        return {
            "tab": "activities",
            "kinds": EduKind.choices,
            "statuses": EduStatus.choices,
            "months": range(1, 13),
            "jurisdictions": selectors.Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "can_add": user.role in services.RECORDERS and user.can("education.educationactivity", "add"),
        }


def _activity(request, pk, action="view") -> EducationActivity:
    return get_scoped_or_404(EducationActivity, request.user, pk, action, queryset=selectors.activity_detail_qs())


def _activity_form_response(request, form, formset, activity=None, status=200):
    context = {
        "tab": "activities",
        "form": form,
        "formset": formset,
        "activity": activity,
        "cancel_url": activity.get_absolute_url() if activity else reverse("education:activity_list"),
    }
    return TemplateResponse(request, "education/activity_form.html", context, status=status)


@requires("education.educationactivity", "add")
def activity_create(request):
    if request.user.role not in services.RECORDERS:
        raise PermissionDenied
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user)
        formset = material_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(
                    actor=request.user,
                    jurisdiction=data["jurisdiction"],
                    kind=data["kind"],
                    topic=data["topic"],
                    held_on=data["held_on"],
                    place=data["place"],
                    speaker=data["speaker"],
                    organiser_unit=data["organiser_unit"],
                    audience=data["audience"],
                    attendance=data["attendance"],
                    description=data["description"],
                    materials=material_rows(formset),
                    photos=data["photos"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("活动已登记。"))
                return redirect(activity)
        return _activity_form_response(request, form, formset, status=400)
    initial = {"held_on": timezone.localdate(), "kind": request.GET.get("kind", EduKind.LECTURE)}
    return _activity_form_response(request, ActivityForm(user=request.user, initial=initial), material_formset())


@requires("education.educationactivity", "change")
def activity_edit(request, pk):
    activity = _activity(request, pk, "change")
    if not services.may_edit(request.user, activity):
        raise PermissionDenied
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=request.user, activity=activity)
        formset = material_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    expected_version=data.get("version"),
                    changes={name: data[name] for name in services.HEADER_FIELDS},
                    materials=material_rows(formset),
                    photos=data["photos"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(activity)
        return _activity_form_response(request, form, formset, activity=activity, status=400)
    initial = {name: getattr(activity, name) for name in services.HEADER_FIELDS}
    initial["version"] = activity.version
    rows = [{"title": m.title, "quantity": m.quantity, "unit": m.unit} for m in activity.materials.all()]
    form = ActivityForm(user=request.user, activity=activity, initial=initial)
    return _activity_form_response(request, form, material_formset(initial=rows), activity=activity)


def signin_url(request, activity) -> str:
    return request.build_absolute_uri(reverse("education:signin", args=[activity.signin_token]))


@requires("education.educationactivity")
def activity_detail(request, pk):
    user = request.user
    activity = _activity(request, pk)
    can_edit = services.may_edit(user, activity)
    qr = None
    if can_edit and services.signin_open(activity):
        qr = segno.make(signin_url(request, activity), error="m").svg_inline(scale=5, title=_("扫码签到"))
    context = {
        "tab": "activities",
        "activity": activity,
        "steps": services.EDU_WORKFLOW.available(activity, user),
        "reason_required": services.REASON_REQUIRED,
        "can_edit": can_edit,
        "materials": list(activity.materials.all()),
        "qr": qr,
        "signin_link": signin_url(request, activity) if qr else "",
        "audit_events": audit_events_for(user=user, obj=activity).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "education/activity_detail.html", context)


@require_POST
@requires("education.educationactivity", "view")
def activity_transition(request, pk, name):
    activity = _activity(request, pk)
    if name not in services.EDU_WORKFLOW:
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
        messages.success(request, _("已{action}。").format(action=services.EDU_WORKFLOW[name].label))
    return redirect(activity)


@requires("education.educationactivity")
def activity_photo(request, pk, size):
    photo = EducationActivityPhoto.objects.filter(pk=pk).first()
    if photo is None or size not in ("thumb", "full"):
        raise Http404
    _activity(request, photo.activity_id)  # 404 unless the viewer may see the activity
    return photo_response(photo, size)


# The public sign-in ------------------------------------------------------------------------


def _over_limit(request) -> bool:
    return not ratelimit.hit(
        f"education-signin:{ratelimit.client_address(request)}",
        limit=settings.EDUCATION_SIGNINS_PER_HOUR,
        window_seconds=3600,
    )


def signin(request, token):
    """The resident's page: topic, time and place, one big 签到 button. No login, no personal
    data; one sign-in per phone; closed (a clear page) outside the activity's day."""
    activity = get_object_or_404(EducationActivity.objects.select_related("jurisdiction"), signin_token=token)
    scope = f"education-signin:{activity.pk}"
    outcome, status = "", 200
    if not services.signin_open(activity):
        outcome, status = "closed", 200
    elif request.method == "POST":
        form = SignInForm(request.POST)
        if _over_limit(request):  # every attempt counts, refused ones too
            outcome, status = "limited", 429
        elif not form.is_valid() or form.cleaned_data.get(HONEYPOT) or stamp_problem(form.cleaned_data["stamp"], scope):
            outcome, status = "refused", 400
        else:
            try:
                services.signin_record(activity=activity, device=device_hash(request, scope))
            except services.AlreadySignedIn:
                outcome, status = "duplicate", 200
            except services.SignInClosed:
                outcome, status = "closed", 200
            else:
                outcome = "done"
    context = {"activity": activity, "outcome": outcome, "stamp": form_stamp(scope), "honeypot": HONEYPOT}
    response = TemplateResponse(request, "education/signin.html", context, status=status)
    return remember_device(request, response)
