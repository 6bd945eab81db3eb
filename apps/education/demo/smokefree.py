"""The demo street's smoke-free places (无烟场所), through the real services: six places across
its communities with 30 no-smoking signs posted in total, a check of each in the last weeks,
one failed (butts seen, a sign missing) with the rectification cases it opened. Small when
`demo.case_count < 50`: two places, one passed check and one failed. Nothing is dated today.

Its own random source (`f"{seed}-education-smokefree"`)."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.demo import retime_case
from apps.cases.models import Case
from apps.core.roles import Role

from ..services import smokefree as services

# (name suffix, kind, signs required, signs posted): 30 posted in total.
PLACES = [
    ("社区卫生服务站", "medical", 8, 8),
    ("社区党群服务中心", "government", 6, 6),
    ("实验小学", "school", 6, 5),
    ("农贸市场", "public", 4, 4),
    ("便民超市", "shopping", 4, 4),
    ("家常菜馆", "catering", 3, 3),
]
ROADS = ["幸福路", "民主街", "建设巷", "东风路", "解放街"]


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-education-smokefree")
    today = demo.today
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    if street_user is None or not demo.communities:
        return
    small = demo.case_count < 50
    rows = [PLACES[0], PLACES[2]] if small else PLACES
    for index, (suffix, kind, required, posted) in enumerate(rows):
        community = demo.communities[index % len(demo.communities)]
        actor = User.objects.filter(role=Role.COMMUNITY, jurisdiction=community).first() or street_user
        place = services.place_create(
            actor=actor,
            jurisdiction=community,
            name=f"{community.name}{suffix}",
            kind=kind,
            address=f"{rng.choice(ROADS)}{rng.randint(1, 200)}号",
            signs_required=required,
            signs_posted=posted,
        )
        failed = kind == "school"
        checked_on = today - timedelta(days=rng.randint(3, 30))
        check = services.check_record(
            actor=actor,
            place=place,
            checked_on=checked_on,
            signs_found=posted,
            butts_seen=failed,
            note="校门外发现烟头，一处禁烟标识缺失。" if failed else "",
            today=today,
        )
        # The cases a failed check opened are reported on the check's day, like the demo's own.
        reported = timezone.make_aware(datetime.combine(checked_on, time(10, rng.randint(0, 59))))
        for case in Case.objects.filter(code__in=check.case_codes):
            steps = case.events.count()
            retime_case(case, [reported + timedelta(minutes=i) for i in range(steps)])
