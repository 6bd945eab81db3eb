"""Pages of the questionnaire builder: the list, creating and editing a survey, its questions
(add, edit, delete, move, the demographic quick start), the sampling plan, and the open/close
steps. Every write goes through services/questionnaires.py, which checks the owner level."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, get_scoped_or_404, requires

from ..choices import SurveyStatus
from ..forms.builder import QuestionForm, QuestionnaireForm, SamplingForm, options_text, parse_options
from ..models import Question, Questionnaire
from ..selectors import questionnaires as selectors
from ..services import questionnaires as services
from ..workflow import QUESTIONNAIRE_WORKFLOW, owns


class QuestionnaireListView(FilteredListView):
    model = Questionnaire
    template_name = "surveys/questionnaire_list.html"

    def get_rows(self):
        return selectors.questionnaire_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {"statuses": SurveyStatus.choices, "can_add": self.request.user.can("surveys.questionnaire", "add")}


def _questionnaire(request, pk, action="view") -> Questionnaire:
    return get_scoped_or_404(
        Questionnaire,
        request.user,
        pk,
        action,
        queryset=Questionnaire.objects.select_related("jurisdiction", "current_version", "standard"),
    )


def _owned(request, pk) -> Questionnaire:
    """The survey for a write: 403 unless the user's level owns it."""
    q = _questionnaire(request, pk, "change")
    if not owns(q, request.user):
        raise PermissionDenied
    return q


def _question(request, pk) -> Question:
    try:
        question = Question.objects.select_related("version__questionnaire").get(pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None
    q = _owned(request, question.version.questionnaire_id)
    if question.version_id != q.current_version_id:
        raise Http404
    return question


def _render_form(request, template, context, status=200):
    return TemplateResponse(request, template, context, status=status)


@requires("surveys.questionnaire", "add")
def questionnaire_create(request):
    status = 200
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            jurisdiction = data.pop("jurisdiction") or request.user.jurisdiction
            data.pop("version", None)
            try:
                if jurisdiction is None:  # an administrator bound to no jurisdiction must choose one
                    raise DomainError(_("请选择问卷所属辖区。"))
                q = services.questionnaire_create(actor=request.user, jurisdiction=jurisdiction, **data)
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("问卷已创建，请添加题目。"))
                return redirect(q)
        status = 400
    else:
        form = QuestionnaireForm(user=request.user)
    context = {"form": form, "title": _("新建问卷"), "cancel_url": reverse("surveys:questionnaire_list")}
    return _render_form(request, "surveys/questionnaire_form.html", context, status)


@requires("surveys.questionnaire", "change")
def questionnaire_edit(request, pk):
    q = _owned(request, pk)
    status = 200
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, user=request.user, instance=Questionnaire.objects.get(pk=q.pk))
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version", None)
            try:
                services.questionnaire_update(
                    actor=request.user,
                    questionnaire=q,
                    expected_version=expected,
                    changes={name: data[name] for name in services.FIELDS},
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(q)
        status = 400
    else:
        form = QuestionnaireForm(user=request.user, instance=q, initial={"version": q.version})
    context = {"form": form, "title": _("修改问卷"), "object": q, "cancel_url": q.get_absolute_url()}
    return _render_form(request, "surveys/questionnaire_form.html", context, status)


@requires("surveys.questionnaire")
def questionnaire_detail(request, pk):
    q = _questionnaire(request, pk)
    user = request.user
    may_edit = owns(q, user) and user.can("surveys.questionnaire", "change") and q.status != SurveyStatus.CLOSED
    questions = selectors.current_questions(q)
    frozen = q.current_version is not None and services.is_frozen(q, q.current_version)
    context = {
        "q": q,
        "questions": questions,
        "versions": selectors.versions(q),
        "progress": selectors.sampling_progress(q),
        "may_edit": may_edit,
        "may_copy": q.status == SurveyStatus.CLOSED and user.can("surveys.questionnaire", "add") and owns(q, user),
        "frozen": frozen,
        "steps": QUESTIONNAIRE_WORKFLOW.available(q, user) if user.can("surveys.questionnaire", "change") else [],
        "audit_events": audit_events_for(user=user, obj=q).order_by("-occurred_at")[:20],
    }
    return TemplateResponse(request, "surveys/questionnaire_detail.html", context)


def _question_kwargs(data) -> dict:
    return {
        "text": data["text"],
        "options": parse_options(data.get("options", "")),
        "required": data.get("required", False),
        "help_text": data.get("help_text", ""),
    }


@requires("surveys.questionnaire", "change")
def question_add(request, pk):
    q = _owned(request, pk)
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.question_add(
                    actor=request.user,
                    questionnaire=q,
                    kind=data["kind"],
                    role=data["role"],
                    demographic=data.get("demographic", ""),
                    **_question_kwargs(data),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("题目已添加。"))
                if request.POST.get("again"):
                    return redirect("surveys:question_add", q.pk)
                return redirect(q)
        status = 400
    else:
        form = QuestionForm()
    context = {"form": form, "q": q, "title": _("添加题目"), "cancel_url": q.get_absolute_url(), "adding": True}
    return _render_form(request, "surveys/question_form.html", context, status)


@requires("surveys.questionnaire", "change")
def question_edit(request, pk):
    question = _question(request, pk)
    q = question.version.questionnaire
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.question_edit(actor=request.user, question=question, **_question_kwargs(form.cleaned_data))
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("题目已修改。"))
                return redirect(q)
        status = 400
    else:
        form = QuestionForm(
            editing=True,
            initial={
                "text": question.text,
                "options": options_text(question),
                "required": question.required,
                "help_text": question.help_text,
            },
        )
    context = {
        "form": form,
        "q": q,
        "question": question,
        "title": _("修改题目"),
        "cancel_url": q.get_absolute_url(),
        "fixed_options": question.role in ("demographic", "satisfaction") or question.kind == "scale",
        "frozen": services.is_frozen(q, question.version),
    }
    return _render_form(request, "surveys/question_form.html", context, status)


def _post_action(request, question, call, done):
    q = question.version.questionnaire
    try:
        call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect(q)


@require_POST
@requires("surveys.questionnaire", "change")
def question_delete(request, pk):
    question = _question(request, pk)
    return _post_action(
        request, question, lambda: services.question_delete(actor=request.user, question=question), _("题目已删除。")
    )


@require_POST
@requires("surveys.questionnaire", "change")
def question_move(request, pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    question = _question(request, pk)
    return _post_action(
        request,
        question,
        lambda: services.question_move(actor=request.user, question=question, up=direction == "up"),
        _("题目顺序已调整。"),
    )


@require_POST
@requires("surveys.questionnaire", "change")
def demographics_quick(request, pk):
    q = _owned(request, pk)
    try:
        n = services.demographics_quick_start(actor=request.user, questionnaire=q)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已添加 {n} 道基本情况题。").format(n=n))
    return redirect(q)


@requires("surveys.questionnaire", "change")
def sampling_edit(request, pk):
    q = _owned(request, pk)
    communities = list(services.plan_communities(q))
    status = 200
    if request.method == "POST":
        form = SamplingForm(request.POST, communities=communities)
        if form.is_valid():
            try:
                services.sampling_save(
                    actor=request.user,
                    questionnaire=q,
                    expected_version=form.cleaned_data.get("version"),
                    targets=form.targets(),
                    quotas=form.quotas(),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("抽样方案已保存。"))
                return redirect(q)
        status = 400
    else:
        initial = {"version": q.version}
        initial.update({f"c{t.community_id}": t.target for t in q.sampling_targets.all()})
        initial.update({f"a{a.age_group}": a.target for a in q.age_quotas.all()})
        form = SamplingForm(communities=communities, initial=initial)
    context = {"form": form, "q": q, "cancel_url": q.get_absolute_url()}
    return _render_form(request, "surveys/sampling_form.html", context, status)


@require_POST
@requires("surveys.questionnaire", "change")
def questionnaire_step(request, pk, name):
    q = _questionnaire(request, pk, "change")
    if name not in QUESTIONNAIRE_WORKFLOW:
        raise Http404
    raw = request.POST.get("version", "")
    expected = int(raw) if raw.isascii() and raw.isdigit() else None
    try:
        services.questionnaire_step(actor=request.user, questionnaire=q, step=name, expected_version=expected)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已{action}。").format(action=QUESTIONNAIRE_WORKFLOW[name].label))
    return redirect(q)


@require_POST
@requires("surveys.questionnaire", "add")
def questionnaire_copy(request, pk):
    q = _owned(request, pk)
    if q.status != SurveyStatus.CLOSED:
        messages.error(request, _("只有已结束的调查可以复制为下一轮。"))
        return redirect(q)
    try:
        copy = services.questionnaire_copy(actor=request.user, questionnaire=q)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(q)
    messages.success(request, _("已复制为下一轮调查（草稿）。"))
    return redirect(copy)
