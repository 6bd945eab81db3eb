"""Views: mock assessments (模拟考核)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires, submit_form

from ..choices import MockStatus
from ..filters.assessment import MockFilterSet
from ..forms.mock import MockCreateForm, MockScoreForm, MockTasksForm
from ..models import Campaign, MockAssessment
from ..selectors.assessment import campaign_item_or_none
from ..selectors.mock import mock_list as select_mocks
from ..selectors.mock import mock_overview
from ..services.mock import mock_create as create_mock
from ..services.mock import mock_score as score_mock
from ..services.mock import mock_submit as submit_mock
from ..services.mock import mock_tasks_create
from ..workflow import MOCK_WORKFLOW


class MockListView(FilteredListView):
    model = MockAssessment
    template_name = "campaigns/mock/list.html"

    def campaign(self):
        if not hasattr(self, "_campaign"):
            self._campaign = get_scoped_or_404(Campaign, self.request.user, self.kwargs["pk"])
        return self._campaign

    def get_rows(self):
        return select_mocks(user=self.request.user, campaign=self.campaign(), filters=self.get_filters())

    def get_extra_context(self):
        return {
            "campaign": self.campaign(),
            "filterset": MockFilterSet(self.request.GET or None, user=self.request.user),
            "may_create": self.request.user.can("campaigns.mockassessment", "add"),
        }


mock_list = MockListView.as_view()


@requires("campaigns.mockassessment", "add")
def mock_create(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    form = MockCreateForm(request.POST or None, campaign=campaign, user=request.user)
    if request.method == "POST":
        mock = submit_form(
            form,
            lambda data: create_mock(
                actor=request.user,
                campaign=campaign,
                jurisdiction=data["jurisdiction"],
                conducted_on=data["conducted_on"],
                sample_size=data["sample_size"],
                note=data["note"],
            ),
        )
        if mock is not None:
            messages.success(request, _("已创建模拟考核，抽取 {n} 个点位。").format(n=len(mock.sample)))
            return redirect(mock)
    return TemplateResponse(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("新建模拟考核"),
            "cancel_url": reverse("campaigns:mock_list", args=[campaign.pk]),
        },
        status=400 if form.errors else 200,
    )


@requires("campaigns.mockassessment", "view")
def mock_detail(request, pk):
    mock = get_scoped_or_404(
        MockAssessment, request.user, pk, queryset=MockAssessment.objects.select_related("campaign", "jurisdiction")
    )
    overview = mock_overview(mock)
    points = [
        {"lat": s["lat"], "lng": s["lng"], "label": s["name"], "url": f"#sample-{n}"}
        for n, s in enumerate(mock.sample)
        if s.get("lat") is not None
    ]
    sample_map = {"boundary": mock.jurisdiction.boundary, "points": points} if points else None
    editable = (
        mock.status == MockStatus.DRAFT
        and request.user.can("campaigns.mockassessment", "change")
        and MockAssessment.objects.restrict(request.user, "change").filter(pk=mock.pk).exists()
    )
    for row in overview["rows"]:
        s = row["score"]
        initial = {"result": s.result, "score": s.score, "note": s.note} if s else {}
        row["form"] = MockScoreForm(initial={**initial, "version": mock.version}, auto_id=f"m{row['item'].pk}_%s")
    return TemplateResponse(
        request,
        "campaigns/mock/detail.html",
        {
            "mock": mock,
            "campaign": mock.campaign,
            "editable": editable,
            "transitions": MOCK_WORKFLOW.available(mock, request.user),
            "may_tasks": request.user.can("campaigns.task", "add"),
            "tasks_form": MockTasksForm(),
            "sample_map": sample_map,
            "audit_events": audit_events_for(user=request.user, obj=mock)[:30],
            **overview,
        },
    )


def _mock_for_change(request, pk) -> MockAssessment:
    return get_scoped_or_404(
        MockAssessment, request.user, pk, "change", queryset=MockAssessment.objects.select_related("campaign")
    )


@require_POST
@requires("campaigns.mockassessment", "change")
def mock_score(request, pk, item_pk):
    mock = _mock_for_change(request, pk)
    item = campaign_item_or_none(mock.campaign, item_pk)
    if item is None:
        raise Http404
    form = MockScoreForm(request.POST)
    saved = submit_form(
        form,
        lambda data: score_mock(
            actor=request.user,
            mock=mock,
            item=item,
            result=data["result"],
            score=data.get("score"),
            note=data.get("note", ""),
            expected_version=data.get("version"),
        ),
    )
    if saved is None:
        form_error_messages(request, form)
    else:
        messages.success(request, _("已保存 {code} 的评分。").format(code=item.code))
    return redirect(reverse("campaigns:mock_detail", args=[mock.pk]) + f"#item-{item.pk}")


@require_POST
@requires("campaigns.mockassessment", "change")
def mock_submit(request, pk):
    mock = _mock_for_change(request, pk)
    version = request.POST.get("version")
    try:
        submit_mock(actor=request.user, mock=mock, expected_version=int(version) if version else None)
        messages.success(request, _("模拟考核已完成，预计得分已固定。"))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("提交的数据格式不正确。")))
    return redirect(mock)


@require_POST
@requires("campaigns.task", "add")
def mock_tasks(request, pk):
    mock = get_scoped_or_404(
        MockAssessment, request.user, pk, queryset=MockAssessment.objects.select_related("campaign")
    )
    form = MockTasksForm(request.POST)
    tasks = submit_form(
        form,
        lambda data: mock_tasks_create(actor=request.user, mock=mock, count=data["count"], deadline=data["deadline"]),
    )
    if tasks is None:
        form_error_messages(request, form)
    elif tasks:
        messages.success(request, _("已为最薄弱的 {n} 个小项生成整改任务。").format(n=len(tasks)))
    else:
        messages.info(request, _("没有需要生成任务的小项（未评分、已达标或已生成过）。"))
    return redirect(mock)
