"""The results part of surveys' access-matrix world, and the hand-computed survey its tests, the
e2e test and the access rows use.

`results_survey(street, comm1, comm2)`: an open street survey (aware at 50% of 2 knowledge
items, behaviour-formed at 100% of 1 behaviour item, satisfied from score 4) with 9 answers,
all in `comm1`:

    respondent  k1  k2      b1       s1        age
    1–5         ok  ok      healthy  5 5 5 5 4   (1–4: 25–34, 5: 65+)
    6           ok  wrong   healthy  4           65+
    7           wrong ok    no       2           65+   (6, 7: exactly 50% → aware)
    8           wrong wrong no       2           65+
    9           wrong wrong no       不了解       65+

    aware 7 / 9, behaviour-formed 6 / 9, satisfaction 6 positive of 8 scale answers.

The sampling plan: 40 in comm1, 10 in comm2 (none yet), 25–34: 4, 65+: 20.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone


def _question(version, sort, role, options, **extra):
    from apps.surveys.models import Option, Question

    q = Question.objects.create(version=version, sort=sort, text=extra.pop("text"), role=role, **extra)
    made = [Option.objects.create(question=q, sort=i, **o) for i, o in enumerate(options)]
    return q, made


def results_survey(street, comm1, comm2, *, title="创卫知晓率调查（结果）", answers=True):
    from apps.surveys.choices import Channel, Demographic, QuestionKind, QuestionRole, SurveyStatus
    from apps.surveys.models import AgeQuota, Questionnaire, QuestionnaireVersion, SamplingTarget
    from apps.surveys.services.responses import response_submit

    q = Questionnaire.objects.create(
        jurisdiction=street,
        title=title,
        aware_share=Decimal("50"),
        behaviour_share=Decimal("100"),
        positive_from=4,
        status=SurveyStatus.OPEN,
        opened_at=timezone.now() - timedelta(days=3),
    )
    v = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    q.current_version = v
    q.save(update_fields=["current_version"])
    k1, k1o = _question(
        v, 1, QuestionRole.KNOWLEDGE, [{"text": "有害", "is_correct": True}, {"text": "无害"}], text="吸烟有害健康吗？"
    )
    k2, k2o = _question(
        v,
        2,
        QuestionRole.KNOWLEDGE,
        [{"text": "老鼠", "is_correct": True}, {"text": "蚊子", "is_correct": True}, {"text": "蝴蝶"}],
        text="病媒生物包括哪些？",
        kind=QuestionKind.MULTIPLE,
        required=False,
    )
    b1, b1o = _question(
        v, 3, QuestionRole.BEHAVIOUR, [{"text": "饭前洗手", "is_healthy": True}, {"text": "不洗"}], text="饭前洗手吗？"
    )
    s1, s1o = _question(
        v,
        4,
        QuestionRole.SATISFACTION,
        [{"text": str(s), "score": s} for s in (5, 4, 3, 2, 1)] + [{"text": "不了解"}],
        text="您对社区环境卫生满意吗？",
        kind=QuestionKind.SCALE,
    )
    age, ageo = _question(
        v,
        5,
        QuestionRole.DEMOGRAPHIC,
        [{"text": "25–34岁", "value": "25-34"}, {"text": "65岁及以上", "value": "65+"}],
        text="您的年龄段",
        demographic=Demographic.AGE_GROUP,
    )
    com, como = _question(
        v,
        6,
        QuestionRole.DEMOGRAPHIC,
        [{"text": comm1.name, "community": comm1}, {"text": comm2.name, "community": comm2}],
        text="您所在的社区",
        demographic=Demographic.COMMUNITY,
    )
    SamplingTarget.objects.create(questionnaire=q, community=comm1, target=40)
    SamplingTarget.objects.create(questionnaire=q, community=comm2, target=10)
    AgeQuota.objects.create(questionnaire=q, age_group="25-34", target=4)
    AgeQuota.objects.create(questionnaire=q, age_group="65+", target=20)
    right, wrong = [k1o[0].pk], [k1o[1].pk]
    k2_right, k2_wrong = [k2o[0].pk, k2o[1].pk], [k2o[0].pk, k2o[2].pk]
    healthy, unhealthy = [b1o[0].pk], [b1o[1].pk]
    score = {5: s1o[0].pk, 4: s1o[1].pk, 2: s1o[3].pk, None: s1o[5].pk}
    rows = [
        (right, k2_right, healthy, 5, "25-34"),
        (right, k2_right, healthy, 5, "25-34"),
        (right, k2_right, healthy, 5, "25-34"),
        (right, k2_right, healthy, 5, "25-34"),
        (right, k2_right, healthy, 4, "65+"),
        (right, k2_wrong, healthy, 4, "65+"),
        (wrong, k2_right, unhealthy, 2, "65+"),
        (wrong, k2_wrong, unhealthy, 2, "65+"),
        (wrong, k2_wrong, unhealthy, None, "65+"),
    ]
    if answers:
        for i, (a1, a2, b, s, group) in enumerate(rows):
            chosen = {
                k1.pk: a1,
                k2.pk: a2,
                b1.pk: b,
                s1.pk: [score[s]],
                age.pk: [ageo[0].pk if group == "25-34" else ageo[1].pk],
                com.pk: [como[0].pk],
            }
            response_submit(
                questionnaire=q,
                chosen=chosen,
                channel=Channel.PUBLIC,
                device_hash=f"results-device-{i}",
            )
    q.refresh_from_db()
    return q


def extend(o) -> None:
    o.results_survey = results_survey(o.street_a, o.comm_a1, o.comm_a2)
