"""The answering part's pages: the channels page (public link, QR code, poster, counts by
channel, refusals), the public answer page (no login) and the interviewer's phone page with its
JSON form and its idempotent submit endpoint (static/js/outbox.js, surveys-interview.js)."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import ratelimit
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.public import HONEYPOT, device_hash, form_stamp, remember_device, stamp_problem
from apps.core.views_base import requires

from ..choices import Channel, RefusalReason, SurveyStatus
from ..forms.answering import AnswerForm
from ..models import QuestionnaireVersion, Response
from ..roles import INTERVIEWERS
from ..selectors import answering as selectors
from ..services.answering import interviewer_community, refusal_count
from ..services.responses import AlreadyAnswered, SurveyClosed, response_submit, version_questions

SURVEY = "surveys.questionnaire"


def _public_url(request, questionnaire) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[questionnaire.public_token]))


def _qr(request, questionnaire):
    return segno.make(_public_url(request, questionnaire), error="m")


def _svg(request, questionnaire) -> str:
    return _qr(request, questionnaire).svg_inline(border=2, omitsize=True, title=questionnaire.title)


# Staff pages --------------------------------------------------------------------------------


@requires(SURVEY, "view")
def questionnaire_channels(request, pk):
    questionnaire = selectors.questionnaire_for(request.user, pk)
    return TemplateResponse(
        request,
        "surveys/channels.html",
        {
            "q": questionnaire,
            "tab": "channels",
            "public_url": _public_url(request, questionnaire),
            "qr_svg": _svg(request, questionnaire),
            "channels": selectors.channel_counts(questionnaire),
            "refusals": selectors.refusal_table(questionnaire),
            "can_interview": request.user.role in INTERVIEWERS and questionnaire.status == SurveyStatus.OPEN,
        },
    )


@requires(SURVEY, "view")
def questionnaire_qr(request, pk):
    questionnaire = selectors.questionnaire_for(request.user, pk)
    buffer = io.BytesIO()
    _qr(request, questionnaire).save(buffer, kind="png", scale=12, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-{questionnaire.pk}-qr.png"'
    return response


@requires(SURVEY, "view")
def questionnaire_poster(request, pk):
    questionnaire = selectors.questionnaire_for(request.user, pk)
    return TemplateResponse(
        request,
        "surveys/poster.html",
        {"q": questionnaire, "qr_svg": _svg(request, questionnaire), "public_url": _public_url(request, questionnaire)},
    )


# The public page (no login) -----------------------------------------------------------------


def _refused(request, questionnaire, reason: str | None, title: str, text: str, status: int):
    if reason:
        refusal_count(questionnaire=questionnaire, reason=reason)
    response = TemplateResponse(
        request,
        "surveys/answer_refused.html",
        {"q": questionnaire, "title": title, "text": text, "reason": reason or ""},
        status=status,
    )
    return remember_device(request, response)


def _device_since(questionnaire):
    return timezone.now() - timedelta(hours=questionnaire.device_window_hours)


def answer(request, token):
    """A resident answers on a phone: no login, no name, no phone, no address stored."""
    questionnaire = selectors.public_questionnaire(token)
    scope = f"survey:{questionnaire.pk}"
    device = device_hash(request, scope)
    posted = request.method == "POST"
    if questionnaire.status == SurveyStatus.DRAFT or questionnaire.current_version is None:
        return _refused(
            request, questionnaire, None, _("调查尚未开始"), _("本次调查尚未开始，请在调查开始后再扫码作答。"), 200
        )
    if posted:
        problem = stamp_problem(request.POST.get("stamp", ""), scope)
        if problem == "expired":
            return _refused(
                request, questionnaire, None, _("页面已失效"), _("页面打开太久已失效，请重新打开链接后作答。"), 400
            )
        if request.POST.get(HONEYPOT) or problem:
            return _refused(
                request,
                questionnaire,
                RefusalReason.BOT,
                _("提交未被接收"),
                _("提交过快或页面已失效，请重新打开链接后作答。"),
                400,
            )
        over = not ratelimit.hit(
            f"survey-answer:{ratelimit.client_address(request)}",
            limit=settings.SURVEY_ANSWERS_PER_HOUR,
            window_seconds=3600,
        )
        if over:
            return _refused(
                request,
                questionnaire,
                RefusalReason.RATE,
                _("提交过于频繁"),
                _("同一网络提交的答卷过多，请稍后再试。"),
                429,
            )
    if questionnaire.status == SurveyStatus.CLOSED:
        return _refused(
            request,
            questionnaire,
            RefusalReason.CLOSED if posted else None,
            _("调查已结束"),
            _("调查已结束，答卷未被接收。感谢您的关注。") if posted else _("本次调查已结束，感谢您的关注。"),
            409 if posted else 200,
        )
    since = _device_since(questionnaire)
    if Response.objects.filter(questionnaire=questionnaire, device_hash=device, answered_at__gte=since).exists():
        return _refused(
            request,
            questionnaire,
            RefusalReason.DUPLICATE if posted else None,
            _("您已参与过本次调查"),
            _("您已参与过本次调查，感谢您的支持。每台设备只能作答一次。"),
            409 if posted else 200,
        )
    questions = version_questions(questionnaire.current_version)
    form = AnswerForm(request.POST if posted else None, questions=questions, initial={"stamp": form_stamp(scope)})
    if posted and form.is_valid():
        try:
            response_submit(
                questionnaire=questionnaire,
                chosen=form.chosen(),
                channel=Channel.PUBLIC,
                version=questionnaire.current_version,
                device_hash=device,
                device_since=since,
                questions=questions,
            )
        except AlreadyAnswered as error:
            title = _("您已参与过本次调查")
            return _refused(request, questionnaire, RefusalReason.DUPLICATE, title, error.message, 409)
        except SurveyClosed as error:
            return _refused(request, questionnaire, RefusalReason.CLOSED, _("调查已结束"), error.message, 409)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return remember_device(request, redirect("surveys:answer_thanks", token=questionnaire.public_token))
    if posted:
        # A new stamp: the resident corrects the page and sends it again.
        form.data = form.data.copy()
        form.data["stamp"] = form_stamp(scope)
    response = TemplateResponse(
        request,
        "surveys/answer.html",
        {"q": questionnaire, "form": form, "items": form.items(), "honeypot": HONEYPOT},
        status=400 if form.errors else 200,
    )
    return remember_device(request, response)


def answer_thanks(request, token):
    """Shows nothing of anyone's answers."""
    questionnaire = selectors.public_questionnaire(token)
    return TemplateResponse(request, "surveys/answer_thanks.html", {"q": questionnaire})


# The interviewer's phone --------------------------------------------------------------------


def _interviewer_questionnaire(request, pk):
    questionnaire = selectors.questionnaire_for(request.user, pk)
    if request.user.role not in INTERVIEWERS:
        raise PermissionDenied
    return questionnaire


@requires(SURVEY, "view")
def interview(request, pk):
    questionnaire = _interviewer_questionnaire(request, pk)
    return TemplateResponse(request, "surveys/interview.html", {"q": questionnaire, "tab": "channels"})


@requires(SURVEY, "view")
def interview_form(request, pk):
    questionnaire = _interviewer_questionnaire(request, pk)
    return JsonResponse(selectors.form_payload(questionnaire))


def _no_constant(name):
    """JSON's non-numbers (NaN, Infinity) are bad input, never a float that breaks int()."""
    raise ValueError(name)


def _json_error(message, status=400):
    return JsonResponse({"error": str(message)}, status=status)


@require_POST
@requires(SURVEY, "view")
def interview_submit(request, pk):
    """One face-to-face answer from the phone's outbox: a JSON body (or a form field `data`
    holding it) {client_uuid, version, answers:
    {question id: [option ids]}, answered_at}. A resend (same client_uuid) answers the stored
    response's id, never a second response."""
    questionnaire = _interviewer_questionnaire(request, pk)
    raw = request.POST.get("data") if request.content_type != "application/json" else request.body
    try:
        body = json.loads(raw or b"{}", parse_constant=_no_constant)
    except (TypeError, ValueError):
        return _json_error(_("提交的数据格式不正确。"))
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict) or not body.get("client_uuid"):
        return _json_error(_("提交的数据格式不正确。"))
    try:
        version_id = int(body.get("version"))
    except (TypeError, ValueError, OverflowError):
        version_id = 0
    # An id past the database's integer range is no version (PostgreSQL would refuse the query).
    version = (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire, pk=version_id).first()
        if 0 < version_id < 2**31
        else None
    )
    if version is None:
        return _json_error(_("答卷与问卷的题目不一致，请刷新页面后重新作答。"))
    answers = body["answers"]
    if not all(isinstance(v, list) for v in answers.values()):
        return _json_error(_("提交的数据格式不正确。"))
    try:
        client_uuid = uuid.UUID(str(body["client_uuid"]))
        answered_at = parse_datetime(str(body.get("answered_at") or ""))
    except ValueError:
        return _json_error(_("提交的数据格式不正确。"))
    try:
        before = Response.objects.filter(client_uuid=client_uuid).values_list("pk", flat=True).first()
        response = response_submit(
            questionnaire=questionnaire,
            chosen=answers,
            channel=Channel.INTERVIEW,
            actor=request.user,
            version=version,
            client_uuid=client_uuid,
            community=interviewer_community(request.user, questionnaire),
            answered_at=answered_at if answered_at and timezone.is_aware(answered_at) else None,
        )
    except PermissionDeniedForRole as error:
        return _json_error(error.message, status=403)
    except SurveyClosed as error:
        return _json_error(error.message, status=409)
    except (DomainError, ValueError) as error:
        return _json_error(getattr(error, "message", _("提交的数据格式不正确。")))
    return JsonResponse(
        {
            "id": response.pk,
            "client_uuid": str(response.client_uuid),
            "created": before is None,
            "count": questionnaire.responses.filter(channel=Channel.INTERVIEW).count(),
        }
    )
