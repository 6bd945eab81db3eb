"""Pages of the Aedes household survey (入户调查): the week's BI per community with the map and
the risk; opening a survey; the phone page that records households one by one through the
outbox (static/js/outbox.js, aedes.js); a survey's page with its visits; the trend of a
community; the risk setting. JSON endpoints: a visit's save (multipart: fields + photo) and
the map points."""

from __future__ import annotations

import json
import logging
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.views_base import get_scoped_or_404, requires
from apps.organization.models import Jurisdiction
from apps.photos.views import photo_response

from .. import methods
from ..choices import ContainerType, Pest, PlaceType, RiskLevel, SurveyStatus
from ..forms.aedes import AedesSettingForm, HouseholdSurveyForm
from ..grading import ThresholdCache
from ..models import BreedingSitePhoto, HouseholdVisit, Survey, VectorAlert
from ..selectors import aedes as selectors
from ..services import aedes as services

logger = logging.getLogger(__name__)

VISIT = "pestcontrol.householdvisit"


def _page(request, template, context, status=200):
    return TemplateResponse(request, template, context, status=status)


def _json_error(message, status=400):
    return JsonResponse({"error": str(message)}, status=status)


def _week(request) -> date:
    raw = request.GET.get("week", "")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return services.week_start(day)


def _area(request) -> Jurisdiction | None:
    raw = request.GET.get("jurisdiction", "")
    if not raw:
        return None
    try:
        return Jurisdiction.objects.restrict(request.user, "view").get(pk=int(raw))
    except (ValueError, Jurisdiction.DoesNotExist):
        raise Http404 from None


def _household_survey(user, pk, action="view") -> Survey:
    survey = get_scoped_or_404(Survey, user, pk, action, Survey.objects.select_related("jurisdiction", "surveyor"))
    if survey.method != methods.HOUSEHOLD_METHOD:
        raise Http404
    return survey


@requires(VISIT, "view")
def aedes_home(request):
    week = _week(request)
    area = _area(request)
    rows = selectors.week_rows(request.user, week, area)
    setting = services.aedes_setting()
    surveys = selectors.household_surveys(request.user).order_by("-surveyed_on", "-id")[:10]
    alerts = VectorAlert.objects.restrict(request.user, "view").select_related("jurisdiction")[:5]
    base = area or request.user.jurisdiction
    totals = {
        "households": sum(r.households for r in rows),
        "positive": sum(r.containers_positive for r in rows),
    }
    totals["bi"] = services.breteau(totals["households"], totals["positive"])
    query = f"week={week:%Y-%m-%d}" + (f"&jurisdiction={area.pk}" if area else "")
    return _page(
        request,
        "pestcontrol/aedes/home.html",
        {
            "tab": "aedes",
            "week": week,
            "iso_week": week.isocalendar()[1],
            "prev_week": week.fromordinal(week.toordinal() - 7),
            "next_week": week.fromordinal(week.toordinal() + 7),
            "rows": rows,
            "setting": setting,
            "surveys": surveys,
            "alerts": alerts,
            "area": base,
            "totals": totals,
            "map_url": reverse("pestcontrol:aedes_map_data") + "?" + query,
            "can_add": request.user.can(VISIT, "add"),
            "can_setting": request.user.can("pestcontrol.aedessetting", "view"),
        },
    )


@requires(VISIT, "view")
def aedes_map_data(request):
    points = selectors.map_points(request.user, _week(request), _area(request))
    return JsonResponse({"points": points})


@requires(VISIT, "view")
def aedes_trend(request, pk):
    community = get_object_or_404(Jurisdiction.objects.select_related("level"), pk=pk)
    own = request.user.jurisdiction
    in_scope = Jurisdiction.objects.restrict(request.user, "view").filter(pk=pk).exists()
    # A grid worker sees the trend of the community they work in (their own visits only).
    mine = own is not None and own.path.startswith(community.path) and community.level.code == "community"
    if not (in_scope or mine):
        raise Http404
    points = selectors.trend(request.user, community, weeks=12)
    setting = services.aedes_setting()
    return _page(
        request,
        "pestcontrol/aedes/trend.html",
        {
            "tab": "aedes",
            "community": community,
            "points": points,
            "chart": {
                "labels": [p["label"] for p in points],
                "values": [p["bi"] for p in points],
                "levels": [float(setting.medium_from), float(setting.high_from), float(setting.severe_from)],
                "name": _("布雷图指数"),
            },
            "setting": setting,
        },
    )


@requires(VISIT, "add")
def aedes_survey_new(request):
    form = HouseholdSurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.household_survey_open(
                actor=request.user,
                jurisdiction=form.cleaned_data["jurisdiction"],
                surveyed_on=form.cleaned_data["surveyed_on"],
                place_name=form.cleaned_data["place_name"],
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("pestcontrol:aedes_survey_fill", survey.pk)
    return _page(request, "pestcontrol/aedes/survey_new.html", {"tab": "aedes", "form": form})


@requires(VISIT, "view")
def aedes_survey(request, pk):
    survey = _household_survey(request.user, pk)
    visits = list(
        survey.visits.select_related("case", "surveyor").prefetch_related("containers", "photos").order_by("id")
    )
    indices = survey.indices()
    thresholds = ThresholdCache().for_date(Pest.MOSQUITO, survey.surveyed_on)
    minimum = services.min_sample()
    return _page(
        request,
        "pestcontrol/aedes/survey_detail.html",
        {
            "tab": "aedes",
            "survey": survey,
            "visits": visits,
            "indices": indices,
            "grade": thresholds.grade("breteau_index", PlaceType.RESIDENTIAL, indices.get("breteau_index")),
            "risk": services.risk_of(indices.get("breteau_index"), services.aedes_setting()),
            "minimum": minimum,
            "below_minimum": survey.sample_size < minimum,
            "can_add": request.user.can(VISIT, "add"),
            "is_open": survey.status == SurveyStatus.OPEN,
        },
    )


@requires(VISIT, "add")
def aedes_survey_fill(request, pk):
    survey = _household_survey(request.user, pk)
    if survey.status != SurveyStatus.OPEN:
        return redirect("pestcontrol:aedes_survey", survey.pk)
    recent = survey.visits.order_by("-id")[:50]
    return _page(
        request,
        "pestcontrol/aedes/survey_fill.html",
        {
            "tab": "aedes",
            "survey": survey,
            "recent": recent,
            "container_types": ContainerType.choices,
            "minimum": services.min_sample(),
        },
    )


def _visit_body(request) -> dict:
    raw = request.POST.get("data")
    if raw is None:
        if request.content_type == "application/json":
            raw = request.body or b"{}"
        else:
            raise DomainError(_("提交的数据格式不正确。"))
    try:
        body = json.loads(raw)
    except (TypeError, ValueError):
        raise DomainError(_("提交的数据格式不正确。")) from None
    if not isinstance(body, dict) or not isinstance(body.get("containers", {}), dict):
        raise DomainError(_("提交的数据格式不正确。"))
    return body


@require_POST
@requires(VISIT, "add")
def aedes_visit_save(request, pk):
    """One household from the phone's outbox: multipart `data` (JSON) and optional `photo`s.
    A replay (same client_id) answers the saved visit."""
    survey = _household_survey(request.user, pk)
    try:
        body = _visit_body(request)
        visit, created = services.visit_record(
            actor=request.user,
            survey=survey,
            client_id=body.get("client_id"),
            address=str(body.get("address") or ""),
            lat=body.get("lat"),
            lng=body.get("lng"),
            containers=body.get("containers") or {},
            note=str(body.get("note") or ""),
            photos=request.FILES.getlist("photo"),
        )
    except PermissionDeniedForRole as error:
        return _json_error(error.message, status=403)
    except DomainError as error:
        frozen = Survey.objects.filter(pk=survey.pk, status=SurveyStatus.SUBMITTED).exists()
        return _json_error(error.message, status=409 if frozen else 400)
    survey.refresh_from_db()
    return JsonResponse(
        {
            "id": visit.pk,
            "client_id": str(visit.client_id),
            "created": created,
            "address": visit.address,
            "positive": visit.containers_positive,
            "wet": visit.containers_wet,
            "case": visit.case.code if visit.case_id else "",
            "counts": survey.counts,
            "breteau_index": str(survey.indices().get("breteau_index") or ""),
        }
    )


@require_POST
@requires(VISIT, "add")
def aedes_survey_submit(request, pk):
    survey = _household_survey(request.user, pk)
    try:
        version = int(request.POST.get("version") or 0) or None
    except ValueError:
        text = _("提交的数据格式不正确。")
        return TemplateResponse(
            request, "errors/error.html", {"code": 400, "title": _("请求有误"), "text": text}, status=400
        )
    try:
        services.household_survey_submit(actor=request.user, survey=survey, expected_version=version)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("pestcontrol:aedes_survey", survey.pk)
    messages.success(request, _("调查已提交。"))
    return redirect("pestcontrol:aedes_survey", survey.pk)


@require_POST
@requires(VISIT, "add")
def aedes_visit_case(request, pk):
    visit = get_scoped_or_404(HouseholdVisit, request.user, pk, "view")
    try:
        case = services.visit_open_case(actor=request.user, visit=visit)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
    except (OSError, ValidationError):
        logger.exception("breeding-site case for visit %s failed", visit.pk)
        messages.error(request, _("生成案件失败（照片无法读取或案件信息不完整），请稍后重试。"))
    else:
        messages.success(request, _("已生成孳生地整改案件 {code}。").format(code=case.code))
    return redirect("pestcontrol:aedes_survey", visit.survey_id)


@requires(VISIT, "view")
def visit_photo(request, pk, size):
    photo = get_object_or_404(BreedingSitePhoto, pk=pk)
    get_scoped_or_404(HouseholdVisit, request.user, photo.visit_id, "view")
    return photo_response(photo, size)


@requires("pestcontrol.aedessetting", "view")
def aedes_setting(request):
    setting = services.aedes_setting()
    can_edit = request.user.can("pestcontrol.aedessetting", "change")
    form = AedesSettingForm(request.POST or None, instance=setting)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.aedes_setting_update(
                    actor=request.user, changes=form.changes(), expected_version=form.cleaned_data.get("version")
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("pestcontrol:aedes_setting")
    return _page(
        request,
        "pestcontrol/aedes/setting.html",
        {"tab": "aedes", "form": form, "setting": setting, "can_edit": can_edit, "levels": RiskLevel},
    )
