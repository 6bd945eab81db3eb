"""Storing one respondent's answers: the one write every channel goes through (the public page,
the interviewer's outbox, the demo, the benchmark).

`response_submit` locks the questionnaire row (so a survey being closed and a late answer
cannot both win: the answer either commits before the close or is refused after it), checks the
answers against the version they were given on, fills the demographic columns from the
demographic items, scores the respondent (scoring.py) and stores the response with its
answers. A `client_uuid` already stored returns the stored response unchanged, so an outbox
replaying a submission after a lost reply saves it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope

from ..choices import Channel, Demographic, QuestionKind, QuestionRole, SurveyStatus
from ..models import Answer, Option, Question, Questionnaire, QuestionnaireVersion, Response
from ..roles import INTERVIEWERS
from ..scoring import OptionSpec, QuestionSpec, Rules, score

DEMOGRAPHIC_COLUMNS = {
    Demographic.AGE_GROUP: "age_group",
    Demographic.SEX: "sex",
    Demographic.RESIDENT_TYPE: "resident_type",
}


class SurveyClosed(DomainError):
    pass


class AlreadyAnswered(DomainError):
    """The same device answered this survey within its device window (public answering)."""


def version_questions(version: QuestionnaireVersion) -> list[Question]:
    """A version's questions with their options (two queries)."""
    return list(version.questions.prefetch_related("options").order_by("sort", "id"))


def specs_of(questions: Iterable[Question]) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            id=q.pk,
            role=q.role,
            options=tuple(
                OptionSpec(id=o.pk, is_correct=o.is_correct, is_healthy=o.is_healthy, score=o.score)
                for o in q.options.all()
            ),
        )
        for q in questions
    ]


def rules_of(questionnaire: Questionnaire) -> Rules:
    return Rules(
        aware_share=questionnaire.aware_share,
        behaviour_share=questionnaire.behaviour_share,
        positive_from=questionnaire.positive_from,
    )


def _clean_choices(questions: list[Question], chosen: Mapping[int, Iterable[int]]) -> dict[int, list[Option]]:
    """The chosen options per question, checked: every question and option belongs to the
    version, a single-choice or scale item has one answer, a required item is answered."""
    by_id = {q.pk: q for q in questions}
    picked: dict[int, list[Option]] = {}
    for raw_question, raw_options in chosen.items():
        try:
            question = by_id[int(raw_question)]
            option_ids = {int(o) for o in raw_options}
        except (KeyError, TypeError, ValueError, OverflowError):
            raise DomainError(_("答卷与问卷的题目不一致，请刷新页面后重新作答。")) from None
        options = {o.pk: o for o in question.options.all()}
        if not option_ids <= options.keys():
            raise DomainError(_("答卷与问卷的题目不一致，请刷新页面后重新作答。"))
        if option_ids:
            if question.kind != QuestionKind.MULTIPLE and len(option_ids) > 1:
                raise DomainError(_("第{number}题只能选一项。").format(number=_number(questions, question)))
            picked[question.pk] = [options[i] for i in sorted(option_ids)]
    for question in questions:
        if question.required and not picked.get(question.pk):
            raise DomainError(_("请回答第{number}题。").format(number=_number(questions, question)))
    return picked


def _number(questions: list[Question], question: Question) -> int:
    return questions.index(question) + 1


@transaction.atomic
def response_submit(
    *,
    questionnaire: Questionnaire,
    chosen: Mapping[int, Iterable[int]],
    channel: str,
    actor=None,
    version: QuestionnaireVersion | None = None,
    client_uuid: uuid.UUID | str | None = None,
    device_hash: str = "",
    answered_at: datetime | None = None,
    community=None,
    questions: list[Question] | None = None,
    device_since: datetime | None = None,
) -> Response:
    """Store one respondent's answers (see the module's docstring).

    Locks: the questionnaire row. Checks: the survey is open; an interviewer (`actor`) has an
    interviewing role and the survey in scope; the version belongs to the survey; the answers
    fit the version; a community (from the community item, or the interviewer's pick) lies in
    the survey's area. Audits `surveys.response.created`. `questions` (the version's questions
    with options, as `version_questions` gives them) may be passed by a caller that stores many
    responses of one version (the demo, the benchmark). With `device_hash` and `device_since`, an
    answer from a device that answered since then is refused (`AlreadyAnswered`), checked under
    the lock so two answers sent at once from one phone cannot both be stored."""
    locked = Questionnaire.objects.select_for_update().select_related("jurisdiction").get(pk=questionnaire.pk)
    if client_uuid:
        client_uuid = uuid.UUID(str(client_uuid))
        existing = Response.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            if existing.questionnaire_id != locked.pk:
                raise DomainError(_("提交编号重复，请刷新页面后重新作答。"))
            return existing
    if channel == Channel.INTERVIEW:
        if actor is None or actor.role not in INTERVIEWERS:
            raise PermissionDeniedForRole()
        ensure_in_scope(actor, locked, "view")
    if locked.status == SurveyStatus.CLOSED:
        raise SurveyClosed(_("调查已结束，不再接收答卷。"))
    if locked.status != SurveyStatus.OPEN:
        raise SurveyClosed(_("调查尚未开始，暂不接收答卷。"))
    if (
        device_hash
        and device_since is not None
        and Response.objects.filter(
            questionnaire=locked, device_hash=device_hash, answered_at__gte=device_since
        ).exists()
    ):
        raise AlreadyAnswered(_("您已参与过本次调查，感谢您的支持。"))
    version = version or locked.current_version
    if version is None or version.questionnaire_id != locked.pk:
        raise DomainError(_("答卷与问卷的题目不一致，请刷新页面后重新作答。"))
    if questions is None:
        questions = version_questions(version)
    picked = _clean_choices(questions, chosen)
    demographics: dict = {}
    for question in questions:
        options = picked.get(question.pk)
        if question.role != QuestionRole.DEMOGRAPHIC or not options:
            continue
        if question.demographic == Demographic.COMMUNITY:
            community = options[0].community or community
        elif question.demographic in DEMOGRAPHIC_COLUMNS:
            demographics[DEMOGRAPHIC_COLUMNS[question.demographic]] = options[0].value
    if community is not None and not community.path.startswith(locked.jurisdiction.path):
        raise DomainError(_("所选社区不在本次调查范围内。"))
    result = score(specs_of(questions), {qid: [o.pk for o in opts] for qid, opts in picked.items()}, rules_of(locked))
    now = timezone.now()
    response = Response.objects.create(
        questionnaire=locked,
        version=version,
        channel=channel,
        client_uuid=client_uuid or None,
        device_hash=device_hash,
        interviewer=actor if channel == Channel.INTERVIEW else None,
        # A phone's clock is not trusted past now or before the survey opened.
        answered_at=max(min(answered_at or now, now), locked.opened_at or now),
        received_at=now,
        community=community,
        **demographics,
        **result.as_fields(),
    )
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, option=option) for qid, opts in picked.items() for option in opts
    )
    audit_record(
        actor=actor if channel == Channel.INTERVIEW else None,
        obj=locked,
        action="surveys.response.created",
        data={"channel": str(Channel(channel).label), "version": version.number},
    )
    return response
