"""The demo month of 爱国卫生活动 for 城关街道 and its communities, through the real services:
clean-up drives, 义务劳动, a street-wide 集中整治 covering every community, publicity with named
materials, equipment (垃圾箱, 保洁车), a volunteer team per community with sign-ups and hours,
and two planned activities for sign-up. Numbers in the seeds' orders of magnitude (000 L39:
970 人次 and 300 吨 over 35 clean-ups in a year: a month holds a tenth of that).

Its own random source (`f"{seed}-activities"`): the other builders' draws do not move."""

import random
from datetime import timedelta
from decimal import Decimal

from apps.accounts.models import User
from apps.core.roles import Role

from . import services
from .measures import ensure_measures
from .models import OutputMeasure

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "明华丽军芳伟静强敏磊洋艳勇娟杰涛超霞平刚"
SKILLS = ["保洁", "宣传", "医护", "摄影", "文艺", "法律咨询", ""]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng) -> str:
    return "13" + "".join(str(rng.randrange(10)) for _ in range(9))


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-activities")
    today = demo.today
    # The built-in measures come with migration 0002; a flushed database (the browser tests'
    # transactional runs, `manage.py flush`) has lost them, so put back the missing ones.
    ensure_measures(OutputMeasure)
    measures = {m.code: m for m in OutputMeasure.objects.all()}
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    communities = list(demo.communities)
    if street_user is None or not communities:
        return

    def out(code, quantity, **extra):
        return {"measure": measures[code], "quantity": Decimal(str(quantity)), **extra}

    def day(back: int):
        return today - timedelta(days=back)

    # The street's 集中整治 covering every community: counted once at the street.
    services.activity_create(
        actor=street_user,
        kind="campaign",
        title="背街小巷环境卫生集中整治",
        held_on=day(min(20, today.day - 1) if today.day > 1 else 0),
        place="城关街道背街小巷",
        jurisdiction=demo.street,
        areas=communities,
        organiser="城关街道创卫办",
        participants={"party_cadre": 45, "unit_staff": 120, "volunteer": 30},
        outputs=[out("dead_spots", 36), out("ads", 420), out("truckloads", 18), out("ditches", 4)],
    )
    services.activity_create(
        actor=street_user,
        kind="publicity",
        title="爱国卫生月集中宣传",
        held_on=day(min(12, today.day - 1) if today.day > 1 else 0),
        place="城关街道文化广场",
        jurisdiction=demo.street,
        areas=communities[:2],
        organiser="城关街道",
        participants={"party_cadre": 12, "volunteer": 25, "resident": 160},
        outputs=[
            out("banners", 16),
            out("materials", 1500, material="创卫倡议书"),
            out("booklets", 400, material="《健康读本》"),
            out("van_trips", 6),
            out("performances", 2),
        ],
    )
    services.activity_create(
        actor=street_user,
        kind="equipment",
        title="新增垃圾箱和保洁车",
        held_on=day(min(8, today.day - 1) if today.day > 1 else 0),
        jurisdiction=demo.street,
        areas=communities,
        organiser="城关街道",
        outputs=[out("bins", 40, location="各社区主要路口"), out("carts", 3, location="街道环卫所")],
    )
    # The browser tests' small demo (few cases) gives the month to the first two communities only.
    for community in communities if demo.case_count >= 50 else communities[:2]:
        user = User.objects.filter(role=Role.COMMUNITY, jurisdiction=community).first() or street_user
        team = services.team_create(actor=user, name=f"{community.name}志愿服务队", jurisdiction=community)
        volunteers = [
            services.volunteer_create(
                actor=user,
                full_name=_name(rng),
                phone=_phone(rng),
                jurisdiction=community,
                team=team,
                skills=rng.choice(SKILLS),
            )
            for _ in range(rng.randint(6, 10))
        ]
        held = []
        for number in range(rng.randint(3, 4)):
            back = rng.randint(0, max(0, today.day - 1))
            held.append(
                services.activity_create(
                    actor=user,
                    kind=rng.choice(["cleanup", "cleanup", "volunteer"]),
                    title=f"{community.name}第{number + 1}次环境卫生集中清理",
                    held_on=day(back),
                    place=f"{community.name}各小区",
                    jurisdiction=community,
                    organiser=f"{community.name}居委会",
                    participants={
                        "party_cadre": rng.randint(5, 15),
                        "resident": rng.randint(10, 40),
                        "student": rng.choice((0, 0, 12, 20)),
                    },
                    outputs=[
                        out("garbage_t", rng.randint(4, 12)),
                        out("truckloads", rng.randint(1, 4)),
                        out("dead_spots", rng.randint(5, 20)),
                        out("weeds", rng.choice((0, 200, 300))),
                    ],
                )
            )
        services.activity_create(
            actor=user,
            kind="publicity",
            title=f"{community.name}创卫宣传进小区",
            held_on=day(rng.randint(0, max(0, today.day - 1))),
            place=f"{community.name}服务中心",
            jurisdiction=community,
            participants={"volunteer": 8, "resident": rng.randint(30, 80)},
            outputs=[out("materials", rng.randint(3, 6) * 100, material="创卫知识问答"), out("boards", 2)],
        )
        # Sign-ups, attendance and hours on one drive; volunteer 人次 from the attendance.
        drive = held[0]
        for volunteer in volunteers[:5]:
            signup = services.signup_create(actor=user, activity=drive, volunteer=volunteer)
            present = rng.random() < 0.85
            services.signup_record(
                actor=user,
                signup=signup,
                attended=present,
                hours=Decimal(rng.choice((2, 3, 4))) if present else 0,
                expected_version=None,
            )
        drive.refresh_from_db()
        services.activity_volunteers_from_attendance(actor=user, activity=drive, expected_version=drive.version)
        # A planned 义务劳动 next week, for sign-up.
        planned = services.activity_create(
            actor=user,
            kind="volunteer",
            title=f"{community.name}周末义务劳动",
            held_on=today + timedelta(days=rng.randint(2, 9)),
            place=f"{community.name}",
            jurisdiction=community,
            held=False,
        )
        for volunteer in volunteers[5:8]:
            services.signup_create(actor=user, activity=planned, volunteer=volunteer)
