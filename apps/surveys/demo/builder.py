"""The demo street's 创卫知晓率及满意度调查 (demographics, 8 knowledge, 5 behaviour and 3
satisfaction items), opened, with its sampling plan (355 respondents, `003` L185) and answers
entered by interviewers in every community (~85% aware, ~75% behaviour formed, ~90% satisfied),
plus one community's draft survey."""

import random
from datetime import timedelta

from apps.accounts.models import User
from apps.core.roles import Role

from ..choices import AgeGroup, Channel, Demographic, QuestionKind, QuestionRole
from ..services import questionnaires as services
from ..services.responses import response_submit, version_questions

KNOWLEDGE = [
    ("“四害”是指哪四种病媒生物？", ["*老鼠、蚊子、苍蝇、蟑螂", "老鼠、麻雀、苍蝇、蚊子", "不清楚"]),
    ("每年的几月是全国爱国卫生月？", ["*4月", "6月", "9月", "不清楚"]),
    ("《中国公民健康素养——基本知识与技能》共有多少条？", ["*66条", "50条", "100条", "不清楚"]),
    ("下列哪种场所室内全面禁止吸烟？", ["*医院、学校等公共场所室内", "只有医院", "都不禁止", "不清楚"]),
    ("生活垃圾一般分为哪几类？", ["*可回收物、有害垃圾、厨余垃圾、其他垃圾", "干垃圾、湿垃圾", "不清楚"]),
    ("成年人正常血压应低于多少？", ["*140/90毫米汞柱", "160/100毫米汞柱", "不清楚"]),
    ("清除积水容器可以预防哪种疾病？", ["*登革热", "高血压", "糖尿病", "不清楚"]),
    ("饭前便后应该怎样洗手？", ["*用流动水和肥皂（洗手液）洗手", "用盆里的水冲一下", "不用洗", "不清楚"]),
]
BEHAVIOUR = [
    ("您家是否做到垃圾分类投放？", ["*每次都分类", "有时分类", "从不分类"]),
    ("您是否吸烟？", ["*不吸烟", "已戒烟", "吸烟"]),
    ("您是否定期清理家中的积水容器？", ["*每周清理", "偶尔清理", "从不清理"]),
    ("您每周锻炼几次（每次30分钟以上）？", ["*3次及以上", "1–2次", "基本不锻炼"]),
    ("您是否饭前便后洗手？", ["*每次都洗", "有时洗", "很少洗"]),
]
SATISFACTION = [
    "您对本社区的环境卫生状况是否满意？",
    "您对本社区开展的健康教育活动是否满意？",
    "您对创建国家卫生城市工作是否满意？",
]


def _options(lines):
    return [{"text": line.lstrip("*"), "marked": line.startswith("*")} for line in lines]


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-surveys-builder")
    street = demo.street
    communities = list(demo.communities)
    desk = User.objects.filter(role=Role.STREET, jurisdiction=street, is_active=True).first()
    if street is None or desk is None or not communities:
        return
    q = services.questionnaire_create(
        actor=desk,
        jurisdiction=street,
        title="创卫知晓率及满意度调查",
        description="您好！为了解居民对创建国家卫生城市和健康知识的知晓情况，请您抽出几分钟填写本问卷。问卷不记名，谢谢配合！",
        planned_start=demo.today - timedelta(days=20),
        planned_end=demo.today + timedelta(days=10),
    )
    services.demographics_quick_start(actor=desk, questionnaire=q)
    for text, lines in KNOWLEDGE:
        services.question_add(
            actor=desk,
            questionnaire=q,
            text=text,
            kind=QuestionKind.SINGLE,
            role=QuestionRole.KNOWLEDGE,
            options=_options(lines),
        )
    for text, lines in BEHAVIOUR:
        services.question_add(
            actor=desk,
            questionnaire=q,
            text=text,
            kind=QuestionKind.SINGLE,
            role=QuestionRole.BEHAVIOUR,
            options=_options(lines),
        )
    for text in SATISFACTION:
        services.question_add(
            actor=desk, questionnaire=q, text=text, kind=QuestionKind.SCALE, role=QuestionRole.SATISFACTION
        )
    shares = [len(communities) and 355 // len(communities)] * len(communities)
    shares[0] += 355 - sum(shares)
    quotas = {
        AgeGroup.A15: 40,
        AgeGroup.A25: 60,
        AgeGroup.A35: 70,
        AgeGroup.A45: 70,
        AgeGroup.A55: 60,
        AgeGroup.A65: 55,
    }
    q.refresh_from_db()
    services.sampling_save(
        actor=desk,
        questionnaire=q,
        expected_version=q.version,
        targets=dict(zip(communities, shares, strict=True)),
        quotas=quotas,
    )
    q = services.questionnaire_step(actor=desk, questionnaire=q, step="open")
    q.refresh_from_db()
    questions = version_questions(q.current_version)
    total = 350 if demo.case_count >= 50 else 40
    interviewers = {
        c.pk: User.objects.filter(jurisdiction=c, role=Role.COMMUNITY, is_active=True).first() or desk
        for c in communities
    }
    for i in range(total):
        community = communities[i % len(communities)]
        aware = rng.random() < 0.85
        formed = rng.random() < 0.75
        chosen = {}
        for question in questions:
            options = list(question.options.all())
            if question.role == QuestionRole.DEMOGRAPHIC:
                if question.demographic == Demographic.COMMUNITY:
                    pick = next(o for o in options if o.community_id == community.pk)
                elif question.demographic == Demographic.AGE_GROUP:
                    pick = rng.choices(options, weights=[40, 60, 70, 70, 60, 55])[0]
                elif question.demographic == Demographic.SEX:
                    pick = rng.choice(options)
                else:
                    pick = rng.choices(options, weights=[60, 20, 10, 7, 3][: len(options)])[0]
            elif question.role == QuestionRole.KNOWLEDGE:
                right = rng.random() < (0.9 if aware else 0.35)
                pick = (
                    next(o for o in options if o.is_correct)
                    if right
                    else rng.choice([o for o in options if not o.is_correct])
                )
            elif question.role == QuestionRole.BEHAVIOUR:
                healthy = rng.random() < (0.88 if formed else 0.3)
                pick = (
                    next(o for o in options if o.is_healthy)
                    if healthy
                    else rng.choice([o for o in options if not o.is_healthy])
                )
            else:
                pick = rng.choices(options, weights=[45, 45, 6, 3, 1])[0]
            chosen[question.pk] = [pick.pk]
        response_submit(
            questionnaire=q,
            chosen=chosen,
            channel=Channel.INTERVIEW,
            actor=interviewers[community.pk],
            answered_at=demo.now - timedelta(hours=rng.randint(1, 20 * 24)),
            community=community,
            questions=questions,
        )
    first = communities[0]
    community_desk = interviewers[first.pk]
    if community_desk is not desk:
        draft = services.questionnaire_create(
            actor=community_desk, jurisdiction=first, title=f"{first.name}控烟知识调查"
        )
        services.question_add(
            actor=community_desk,
            questionnaire=draft,
            text="吸烟和二手烟会导致哪些疾病？",
            kind=QuestionKind.MULTIPLE,
            role=QuestionRole.KNOWLEDGE,
            options=_options(["*肺癌", "*心脏病", "*慢性阻塞性肺病", "不会导致疾病"]),
        )
