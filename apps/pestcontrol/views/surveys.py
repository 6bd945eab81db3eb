"""Pages of 病媒生物监测: the survey list (filters, .xlsx), recording a survey (pick the method,
then one screen of raw counts), its page with the computed and graded indices, corrections, the
minimum samples, and 灭效 of a campaign."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires
from apps.organization.models import Jurisdiction

from .. import methods
from ..choices import Pest, PlaceType, SurveyPhase
from ..forms.surveys import MethodSettingForm, SurveyForm, count_field
from ..grading import ThresholdCache
from ..models import MethodSetting, PestCampaign, Survey
from ..selectors import surveys as selectors
from ..services import surveys as services


class SurveyListView(FilteredListView):
    model = Survey
    template_name = "pestcontrol/surveys/survey_list.html"
    export_source = "pestcontrol_surveys"

    def get_rows(self):
        return selectors.survey_list(user=self.request.user, filters=self.get_filters())

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and "rows" in context:
            context["rows"] = selectors.decorate(context["rows"])
        return response

    def get_extra_context(self):
        user = self.request.user
        return {
            "pests": Pest.choices,
            "method_choices": methods.method_choices(),
            "place_types": PlaceType.choices,
            "jurisdictions": Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "can_add": user.can("pestcontrol.survey", "add"),
            "can_settings": user.can("pestcontrol.methodsetting", "view"),
        }


def _survey(request, pk, action="view") -> Survey:
    return get_scoped_or_404(Survey, request.user, pk, action, queryset=selectors.survey_detail_qs())


def _form_context(form, method, survey=None):
    return {
        "form": form,
        "method": method,
        "survey": survey,
        "cancel_url": survey.get_absolute_url() if survey else reverse("pestcontrol:survey_list"),
    }


@requires("pestcontrol.survey", "add")
def survey_create(request):
    """Pick the method (big buttons, the household one excepted: it is recorded house by house),
    then one screen: place, date, campaign and phase, and the method's raw counts."""
    code = request.POST.get("method") or request.GET.get("method", "")
    if code and (code not in methods.BY_CODE or code == methods.HOUSEHOLD_METHOD):
        raise Http404
    if not code:
        groups = [
            (label, [m for m in methods.METHODS if m.pest == pest and m.code != methods.HOUSEHOLD_METHOD])
            for pest, label in Pest.choices
        ]
        return TemplateResponse(request, "pestcontrol/surveys/survey_method.html", {"groups": groups})
    method = methods.method(code)
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST, user=request.user, method=method)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = services.survey_create(
                    actor=request.user,
                    method=code,
                    jurisdiction=data["jurisdiction"],
                    place_type=data["place_type"],
                    unit=data["unit"],
                    place_name=data["place_name"],
                    surveyed_on=data["surveyed_on"],
                    counts=data["counts"],
                    campaign=data["campaign"],
                    phase=data["phase"],
                    notes=data["notes"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("监测记录已保存，指数已计算。"))
                return redirect(survey)
        status = 400
    else:
        form = SurveyForm(user=request.user, method=method)
    return TemplateResponse(request, "pestcontrol/surveys/survey_form.html", _form_context(form, method), status=status)


@requires("pestcontrol.survey", "change")
def survey_edit(request, pk):
    survey = _survey(request, pk, "change")
    method = survey.definition
    household = survey.method == methods.HOUSEHOLD_METHOD
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST, user=request.user, method=method, survey=survey)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.survey_update(
                    actor=request.user,
                    survey=survey,
                    expected_version=data.get("version"),
                    changes={
                        name: data[name] for name in services.HEADER_FIELDS if name != "surveyor" and name in data
                    },
                    counts=None if household else data["counts"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(survey)
        status = 400
    else:
        initial = {name: getattr(survey, name) for name in services.HEADER_FIELDS if name != "surveyor"}
        initial["version"] = survey.version
        initial.update({count_field(key): value for key, value in survey.counts.items()})
        form = SurveyForm(user=request.user, method=method, survey=survey, initial=initial)
    return TemplateResponse(
        request, "pestcontrol/surveys/survey_form.html", _form_context(form, method, survey), status=status
    )


@requires("pestcontrol.survey")
def survey_detail(request, pk):
    survey = _survey(request, pk)
    (survey,) = selectors.decorate([survey])
    user = request.user
    context = {
        "survey": survey,
        "counts": [(item, survey.counts.get(item.key)) for item in survey.definition.inputs],
        "household": survey.method == methods.HOUSEHOLD_METHOD,
        "can_edit": user.can("pestcontrol.survey", "change"),
        "audit_events": audit_events_for(user=user, obj=survey).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "pestcontrol/surveys/survey_detail.html", context)


# Minimum samples -----------------------------------------------------------------------------


@requires("pestcontrol.methodsetting")
def method_settings(request):
    """Every method with its minimum sample (the setting, else the method's default); the
    administrator and the office change it."""
    can_edit = request.user.can("pestcontrol.methodsetting", "change")
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = MethodSettingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.method_setting_save(
                    actor=request.user,
                    method=data["method"],
                    min_sample=data["min_sample"],
                    expected_version=data.get("version"),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("最低样本量已保存。"))
                return redirect("pestcontrol:method_settings")
        else:
            form_error_messages(request, form)
        status = 400
    settings = {s.method: s for s in MethodSetting.objects.all()}
    rows = [
        {
            "method": m,
            "setting": settings.get(m.code),
            "minimum": settings[m.code].min_sample if m.code in settings else m.default_min_sample,
            "sample_input": m.input(m.sample),
        }
        for m in methods.METHODS
    ]
    return TemplateResponse(
        request, "pestcontrol/surveys/method_settings.html", {"rows": rows, "can_edit": can_edit}, status=status
    )


# 灭效 ------------------------------------------------------------------------------------------


@requires("pestcontrol.pestcampaign")
def campaign_efficacy(request, pk):
    """Per method and index: the pooled 防制前 and 防制后 values of the campaign's surveys and
    灭效 = (before − after) / before."""
    campaign = get_scoped_or_404(PestCampaign, request.user, pk)
    rows = selectors.campaign_efficacy(user=request.user, campaign=campaign)
    surveys = selectors.decorate(
        selectors.survey_list(user=request.user, filters={"campaign": str(campaign.pk)}).exclude(phase=""),
        cache=ThresholdCache(),
    )
    context = {"campaign": campaign, "rows": rows, "surveys": surveys, "phases": dict(SurveyPhase.choices)}
    return TemplateResponse(request, "pestcontrol/surveys/campaign_efficacy.html", context)
