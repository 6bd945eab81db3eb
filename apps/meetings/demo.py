"""The demo's meetings: a month of weekly 例会 of 东苑社区 (invited: its working group, a property
company, the grid worker; sign-ins by phone and by the recorder; decisions, the first meetings'
as tasks of the street's campaign, the others as follow-ups, some done on time, one late) and one
推进会 of 城关街道 with the communities, whose decisions become campaign tasks. Everything goes
through the services, then sign-in and completion times are moved back to the meeting days.

Draws from its own `random.Random(f"{seed}-meetings")`, so the other builders' timings stay put."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role
from apps.organization.models import Unit, WorkGroup

from . import campaign_link, services
from .choices import SignInMethod
from .models import Attendee, Decision, Meeting

REGULAR_POINTS = [
    "传达街道创卫办本周工作要求，通报上周督查发现的问题。",
    "各网格汇报晨会巡查情况，梳理本周卫生整治重点。",
    "部署背街小巷、楼道堆积物清理，落实门前三包责任。",
    "安排除四害投药和病媒孳生地清理。",
    "强调资料收集归档，照片当天上传。",
]
REGULAR_DECISIONS = [
    ("agreed", "清理幸福小区楼道堆积物，做到无乱堆乱放"),
    ("agreed", "更新社区创卫宣传栏内容"),
    ("stressed", "物业公司每日反馈督查问题整改情况"),
    ("agreed", "完成辖区沿街商户门前三包责任书签订"),
    ("agreed", "组织志愿者开展周五大扫除"),
    ("agreed", "清理僵尸车和乱停放非机动车"),
    ("stressed", "病媒孳生地清理后拍照存档"),
    ("agreed", "整改垃圾房，补齐破损垃圾桶"),
]
PROGRESS_POINTS = [
    "街道副主任通报前一阶段创卫工作进展和督查排名。",
    "各社区汇报自查整改情况和存在的问题。",
    "对各共建单位的包干区域根据实际情况作微调。",
    "部署下一阶段查漏补缺和台账资料整理。",
]


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _weekday(day):
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _sign_in(meeting, rng, recorder, share=0.85):
    """Most invited people sign in, within the first quarter hour; a few by phone, most by the recorder."""
    start = meeting.starts_at
    for attendee in list(meeting.attendees.filter(invited=True)):
        if rng.random() > share:
            continue
        by_phone = bool(attendee.user_id and rng.random() < 0.6)
        moment = start - timedelta(minutes=rng.randint(0, 10)) + timedelta(minutes=rng.randint(0, 12))
        # Past days: the recorder's service at the moment, phone sign-ins marked as such after.
        services.attendee_sign_in(
            actor=recorder, meeting=meeting, attendee=attendee, signed_at=min(moment, timezone.now())
        )
        if by_phone:
            Attendee.objects.filter(pk=attendee.pk).update(method=SignInMethod.SELF, signed_by=attendee.user)


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-meetings")
    today = demo.today
    street = demo.street
    east = demo.communities[0]
    community = User.objects.filter(role=Role.COMMUNITY, jurisdiction=east).first()
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=street).first()
    if community is None or street_user is None:
        return
    grid = User.objects.filter(role=Role.GRID, jurisdiction__path__startswith=east.path).first()
    groups = list(WorkGroup.objects.filter(jurisdiction=east).order_by("id")[:1])
    units = list(Unit.objects.filter(jurisdiction__path__startswith=east.path, unit_type__code="property")[:1])
    campaign = campaign_link.campaigns_covering(street_user, street).filter(jurisdiction=street).first()

    base = _weekday(today - timedelta(days=28))
    meeting = services.meeting_create(
        actor=community,
        kind="regular",
        recurrence="weekly",
        topic="社区创卫工作例会",
        jurisdiction=east,
        campaign=campaign,
        starts_at=_at(base, 9),
        place="东苑社区会议室",
        host="孙丽华",
        recorder=community,
        guests="辖区片医 刘医生",
        groups=groups,
        units=units,
        people=[p for p in (grid,) if p],
    )
    decisions = list(REGULAR_DECISIONS)
    rng.shuffle(decisions)
    for week in range(4):
        if week == 2:  # later meetings without the campaign: stand-alone follow-ups
            meeting = services.meeting_update(
                actor=community, meeting=meeting, changes={"campaign": None}, expected_version=meeting.version
            )
        _sign_in(meeting, rng, community)
        day = timezone.localdate(meeting.starts_at)
        for number in range(2):
            kind, text = decisions[(week * 2 + number) % len(decisions)]
            owner = {"owner_unit": units[0]} if units and number == 0 else {"owner_user": grid or community}
            services.decision_add(
                actor=community,
                meeting=meeting,
                kind=kind,
                text=text,
                deadline=day + timedelta(days=rng.choice([5, 7, 10])),
                **owner,
            )
        points = "\n".join(rng.sample(REGULAR_POINTS, 3))
        meeting = services.meeting_hold(
            actor=community,
            meeting=meeting,
            held_at=_at(day, 9, rng.randint(0, 10)),
            points=points,
            expected_version=meeting.version,
        )
        following = Meeting.objects.filter(previous=meeting).first()
        if following is None:
            break
        meeting = following

    # Follow-ups: most done (a few days before their deadline, one late), the newest still open.
    for decision in Decision.objects.filter(meeting__jurisdiction=east, task__isnull=True).select_related("meeting"):
        if decision.deadline is None or decision.deadline >= today:
            continue
        actor = decision.owner_user or community
        if decision.owner_unit_id:
            actor = User.objects.filter(role=Role.UNIT_CONTACT, unit_id=decision.owner_unit_id).first() or community
        decision = services.decision_transition(
            actor=actor, decision=decision, name="complete", expected_version=decision.version, note="已按要求完成"
        )
        late = rng.random() < 0.25
        done_day = (
            decision.deadline + timedelta(days=1) if late else decision.deadline - timedelta(days=rng.randint(0, 3))
        )
        Decision.objects.filter(pk=decision.pk).update(done_at=_at(min(done_day, today), 16, 30))

    # The street's 推进会 with the communities.
    communities = list(demo.communities)
    people = list(User.objects.filter(role=Role.COMMUNITY, jurisdiction__in=communities))
    day = _weekday(today - timedelta(days=10))
    progress = services.meeting_create(
        actor=street_user,
        kind="progress",
        recurrence="none",
        topic="创建国家卫生城市工作推进会",
        jurisdiction=street,
        campaign=campaign,
        starts_at=_at(day, 14, 30),
        place="城关街道办事处三楼会议室",
        host="钱志强",
        recorder=street_user,
        guests="区创卫办 赵建国",
        groups=list(WorkGroup.objects.filter(jurisdiction=street, kind="leadership")[:1]),
        units=[],
        people=people,
    )
    _sign_in(progress, rng, street_user, share=0.95)
    for index, area in enumerate(communities[:3]):
        services.decision_add(
            actor=street_user,
            meeting=progress,
            kind="agreed",
            text=f"{area.name}完成背街小巷环境卫生集中整治",
            deadline=day + timedelta(days=14 + index * 3),
            owner_jurisdiction=area,
        )
    services.meeting_hold(
        actor=street_user,
        meeting=progress,
        held_at=_at(day, 14, 35),
        points="\n".join(PROGRESS_POINTS),
        expected_version=progress.version,
    )
