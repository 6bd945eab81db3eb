"""The answering part of surveys' access-matrix world: the objects its access rows address."""

import json
import uuid


def open_survey(jurisdiction, title="创卫知晓率调查（答题）"):
    """An open street survey of one version: a single knowledge item (2 options), a multiple
    choice item (3 options), a satisfaction scale (5 buttons) and an age group item."""
    from apps.surveys.choices import Demographic, QuestionKind, QuestionRole, SurveyStatus
    from apps.surveys.models import Option, Question, Questionnaire, QuestionnaireVersion

    q = Questionnaire.objects.create(
        jurisdiction=jurisdiction, title=title, description="为了解居民健康知识知晓情况，请您花2分钟作答。"
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    k1 = Question.objects.create(version=v, sort=1, text="吸烟有害健康吗？", role=QuestionRole.KNOWLEDGE)
    Option.objects.create(question=k1, sort=0, text="有害", is_correct=True)
    Option.objects.create(question=k1, sort=1, text="无害")
    m1 = Question.objects.create(
        version=v, sort=2, text="病媒生物包括哪些？", role=QuestionRole.KNOWLEDGE, kind=QuestionKind.MULTIPLE
    )
    for i, text in enumerate(["老鼠", "蚊子", "蝴蝶"]):
        Option.objects.create(question=m1, sort=i, text=text, is_correct=i < 2)
    s1 = Question.objects.create(
        version=v, sort=3, text="您对社区环境卫生满意吗？", role=QuestionRole.SATISFACTION, kind=QuestionKind.SCALE
    )
    for score in range(1, 6):
        Option.objects.create(question=s1, sort=score, text=str(score), score=score)
    age = Question.objects.create(
        version=v, sort=4, text="您的年龄段", role=QuestionRole.DEMOGRAPHIC, demographic=Demographic.AGE_GROUP
    )
    Option.objects.create(question=age, sort=0, text="15–44岁", value="25-34")
    Option.objects.create(question=age, sort=1, text="45岁及以上", value="45-54")
    q.current_version = v
    q.status = SurveyStatus.OPEN
    q.save(update_fields=["current_version", "status"])
    return q


def full_answers(q) -> dict[int, list[int]]:
    """An answer to every item of `open_survey`'s version: the first option of each (the
    multiple-choice item: its first two)."""
    chosen = {}
    for question in q.current_version.questions.prefetch_related("options"):
        ids = [o.pk for o in question.options.all()]
        chosen[question.pk] = ids[:2] if question.kind == "multiple" else ids[:1]
    return chosen


def extend(o) -> None:
    o.answering_survey = open_survey(o.street_a)

    def body():
        return json.dumps(
            {
                "client_uuid": str(uuid.uuid4()),
                "version": o.answering_survey.current_version_id,
                "answers": {str(k): v for k, v in full_answers(o.answering_survey).items()},
            }
        )

    o.answering_body = body
