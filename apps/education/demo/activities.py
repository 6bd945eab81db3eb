"""The demo of health-education plans and activities for the demo street and its communities,
through the real services: this year's plan per jurisdiction (a lecture a month, a training class
a quarter, a clinic every other month, materials and 控烟 twice a year), and about two months of
activities before today, with materials lines — the seeds' orders of magnitude (001 L19: one
lecture, 400 health readers; 004 L27: 20余 classes, 7,000多 人次 in a year), plus one planned
lecture next week per community. Nothing is dated today (a browser test signs in on today's).

Its own random source (`f"{seed}-education"`): the other builders' draws do not move."""

import random
from datetime import timedelta

from apps.accounts.models import User
from apps.core.roles import Role

from ..services import activities as services
from ..services import plans as plan_services

TOPICS = {
    "lecture": ["高血压防治知识讲座", "冬季呼吸道传染病预防讲座", "合理膳食与健康体重讲座", "老年人防跌倒讲座"],
    "training": ["健康生活方式指导员培训班", "食品从业人员卫生知识培训"],
    "clinic": ["社区义诊与健康咨询", "慢性病免费筛查"],
    "materials": ["健康素养66条宣传资料发放"],
    "tobacco": ["世界无烟日控烟宣传", "无烟家庭倡议签名"],
}
MATERIALS = {
    "lecture": [("健康读本", "册")],
    "training": [("培训讲义", "份")],
    "clinic": [("慢性病防治手册", "册")],
    "materials": [("健康素养66条折页", "份"), ("健康读本", "册")],
    "tobacco": [("“吸烟有害健康”标志", "张"), ("控烟折页", "份")],
}


def _targets() -> dict:
    targets = {("lecture", m): 1 for m in range(1, 13)}
    targets.update({("training", m): 1 for m in (3, 6, 9, 12)})
    targets.update({("clinic", m): 1 for m in (2, 4, 6, 8, 10, 12)})
    targets.update({("materials", m): 1 for m in (5, 11)})
    targets.update({("tobacco", m): 1 for m in (5, 11)})
    return targets


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-education")
    today = demo.today
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    if street_user is None:
        return
    for place in [demo.street, *demo.communities]:
        # A community without a desk account of its own is kept by the street's desk.
        actor = User.objects.filter(role=Role.COMMUNITY, jurisdiction=place).first() or street_user
        plan_services.plan_create(
            actor=actor,
            jurisdiction=place,
            year=today.year,
            title=f"{place.name}{today.year}年健康教育工作计划",
            notes="按月开展健康讲座，按季度举办培训班，结合世界无烟日等节点开展控烟宣传。",
            targets=_targets(),
        )
        for back in range(60, 0, -1):
            day = today - timedelta(days=back)
            if day.year != today.year or rng.random() > (0.12 if place == demo.street else 0.08):
                continue
            kind = rng.choice(["lecture", "lecture", "training", "clinic", "materials", "tobacco"])
            people = rng.randrange(30, 120) if kind != "training" else rng.randrange(20, 50)
            materials = [
                {"title": title, "quantity": people * rng.choice((1, 2)) if unit != "张" else 30, "unit": unit}
                for title, unit in MATERIALS[kind]
            ]
            if place == demo.street and kind == "lecture":
                materials = [{"title": "健康读本", "quantity": 400, "unit": "册"}]  # 001 L19
            activity = services.activity_create(
                actor=actor,
                jurisdiction=place,
                kind=kind,
                topic=rng.choice(TOPICS[kind]),
                held_on=day,
                place=f"{place.name}活动室",
                speaker=rng.choice(["社区卫生服务中心 王医生", "街道创卫办", "区疾控中心 李医生"]),
                attendance=people,
                materials=materials,
            )
            services.activity_transition(actor=actor, activity=activity, name="hold")
        services.activity_create(
            actor=actor,
            jurisdiction=place,
            kind="lecture",
            topic="家庭健康急救知识讲座",
            held_on=today + timedelta(days=7),
            place=f"{place.name}活动室",
            speaker="社区卫生服务中心 王医生",
        )
