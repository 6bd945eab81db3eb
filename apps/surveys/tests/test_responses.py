"""The one write of every answer (`response_submit`): checks, demographics, scoring, replay."""

import uuid
from decimal import Decimal

import pytest

from apps.core.exceptions import DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.surveys.choices import Channel, Demographic, QuestionKind, QuestionRole, SurveyStatus
from apps.surveys.models import Option, Question, Questionnaire, QuestionnaireVersion, Response
from apps.surveys.services.responses import SurveyClosed, response_submit


def _question(version, sort, role, options, *, kind=QuestionKind.SINGLE, demographic="", required=True):
    q = Question.objects.create(
        version=version, sort=sort, text=f"第{sort}题", role=role, kind=kind, demographic=demographic, required=required
    )
    made = []
    for i, extra in enumerate(options):
        made.append(Option.objects.create(question=q, sort=i, text=f"选项{i}", **extra))
    return q, made


@pytest.fixture
def survey(org):
    """A street survey: 2 knowledge items, 1 behaviour item, 1 satisfaction item, age group and
    community items; aware at 50%, behaviour at 100%, satisfied from 4."""
    q = Questionnaire.objects.create(
        jurisdiction=org.street_a,
        title="创卫知晓率调查",
        aware_share=Decimal("50"),
        behaviour_share=Decimal("100"),
        positive_from=4,
        status=SurveyStatus.OPEN,
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    q.current_version = v
    q.save(update_fields=["current_version"])
    s = type("S", (), {})()
    s.q, s.v = q, v
    s.k1, s.k1o = _question(v, 1, QuestionRole.KNOWLEDGE, [{"is_correct": True}, {}])
    s.k2, s.k2o = _question(
        v, 2, QuestionRole.KNOWLEDGE, [{"is_correct": True}, {"is_correct": True}, {}], kind=QuestionKind.MULTIPLE
    )
    s.b1, s.b1o = _question(v, 3, QuestionRole.BEHAVIOUR, [{"is_healthy": True}, {}])
    s.s1, s.s1o = _question(
        v, 4, QuestionRole.SATISFACTION, [{"score": 5}, {"score": 4}, {"score": 3}, {}], kind=QuestionKind.SCALE
    )
    s.age, s.ageo = _question(
        v, 5, QuestionRole.DEMOGRAPHIC, [{"value": "25-34"}, {"value": "65+"}], demographic=Demographic.AGE_GROUP
    )
    s.com, s.como = _question(
        v,
        6,
        QuestionRole.DEMOGRAPHIC,
        [{"community": org.comm_a1}, {"community": org.comm_a2}],
        demographic=Demographic.COMMUNITY,
        required=False,
    )
    return s


def _all_right(s):
    return {
        s.k1.pk: [s.k1o[0].pk],
        s.k2.pk: [s.k2o[0].pk, s.k2o[1].pk],
        s.b1.pk: [s.b1o[0].pk],
        s.s1.pk: [s.s1o[1].pk],
        s.age.pk: [s.ageo[1].pk],
        s.com.pk: [s.como[1].pk],
    }


def test_a_public_answer_is_scored_with_its_demographics(survey, org):
    r = response_submit(questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.PUBLIC, device_hash="d1")
    assert (r.knowledge_correct, r.knowledge_total, r.aware) == (2, 2, True)
    assert (r.behaviour_healthy, r.behaviour_total, r.behaviour_formed) == (1, 1, True)
    assert (r.satisfaction_positive, r.satisfaction_total) == (1, 1)
    assert (r.age_group, r.community, r.version, r.interviewer) == ("65+", org.comm_a2, survey.v, None)
    assert r.answers.count() == 7  # six items, the multiple-choice one stores two rows
    event = AuditEvent.objects.get(action="surveys.response.created")
    assert event.actor is None and event.jurisdiction_path == org.street_a.path


def test_on_the_threshold_and_below(survey):
    chosen = _all_right(survey)
    chosen[survey.k2.pk] = [survey.k2o[0].pk]  # 1 of 2 right = 50% = aware_share
    chosen[survey.b1.pk] = [survey.b1o[1].pk]
    chosen[survey.s1.pk] = [survey.s1o[2].pk]  # 一般 (3) is not positive
    r = response_submit(questionnaire=survey.q, chosen=chosen, channel=Channel.PUBLIC)
    assert (r.knowledge_correct, r.aware, r.behaviour_formed) == (1, True, False)
    assert (r.satisfaction_positive, r.satisfaction_total) == (0, 1)


@pytest.mark.parametrize(
    ("status", "message"), [(SurveyStatus.CLOSED, "调查已结束"), (SurveyStatus.DRAFT, "调查尚未开始")]
)
def test_closed_and_unopened_surveys_refuse(survey, status, message):
    Questionnaire.objects.filter(pk=survey.q.pk).update(status=status)
    with pytest.raises(SurveyClosed, match=message):
        response_submit(questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.PUBLIC)
    assert not Response.objects.exists()


def test_bad_answers_are_refused_and_nothing_is_saved(survey, org):
    missing = _all_right(survey)
    del missing[survey.b1.pk]
    with pytest.raises(DomainError, match="请回答第3题"):
        response_submit(questionnaire=survey.q, chosen=missing, channel=Channel.PUBLIC)
    two = {**_all_right(survey), survey.k1.pk: [survey.k1o[0].pk, survey.k1o[1].pk]}
    with pytest.raises(DomainError, match="第1题只能选一项"):
        response_submit(questionnaire=survey.q, chosen=two, channel=Channel.PUBLIC)
    foreign = {**_all_right(survey), survey.k1.pk: [survey.k2o[0].pk]}
    with pytest.raises(DomainError, match="不一致"):
        response_submit(questionnaire=survey.q, chosen=foreign, channel=Channel.PUBLIC)
    with pytest.raises(DomainError, match="不一致"):
        response_submit(questionnaire=survey.q, chosen={"x": ["y"]}, channel=Channel.PUBLIC)
    outside = _all_right(survey)
    del outside[survey.com.pk]
    with pytest.raises(DomainError, match="不在本次调查范围"):
        response_submit(questionnaire=survey.q, chosen=outside, channel=Channel.PUBLIC, community=org.comm_b1)
    assert not Response.objects.exists()


def test_a_replayed_submission_is_saved_once(survey, org):
    key = uuid.uuid4()
    first = response_submit(
        questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.INTERVIEW, actor=org.grid, client_uuid=key
    )
    again = response_submit(
        questionnaire=survey.q,
        chosen=_all_right(survey),
        channel=Channel.INTERVIEW,
        actor=org.grid,
        client_uuid=str(key),
    )
    assert again.pk == first.pk and Response.objects.count() == 1
    assert first.interviewer == org.grid


def test_interviewers_need_the_role_and_the_area(survey, org):
    with pytest.raises(PermissionDeniedForRole):
        response_submit(questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.INTERVIEW, actor=org.leader)
    with pytest.raises(PermissionDeniedForRole):
        response_submit(questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.INTERVIEW)
    with pytest.raises(OutsideJurisdiction):
        response_submit(
            questionnaire=survey.q, chosen=_all_right(survey), channel=Channel.INTERVIEW, actor=org.street_other
        )
    assert not Response.objects.exists()
