"""The demo street's campaign: 城关街道 runs a campaign against a standard (the first active one
shipped; when none is present, a small example standard badged 示例, never presented as official
text), with the four phases around today, its leadership and working groups, the task table
generated from the standard and handed to the communities with realistic progress (a few overdue),
and a community's own campaign as part of the street's. Everything goes through the services."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F

from apps.accounts.models import User
from apps.core.roles import Role
from apps.organization.models import WorkGroup
from apps.standards import services as standard_services
from apps.standards.models import StandardVersion

from .choices import CampaignLevel, GroupRole, PhaseKind
from .models import Task
from .services import campaigns as campaign_services
from .services import tasks as task_services

# An example structure for a demo without any shipped standard (is_example everywhere).
EXAMPLE_SECTIONS = [
    (
        "1",
        "组织管理（示例）",
        [
            ("1.1", "成立创卫领导小组和工作小组，明确职责分工（示例条文）", "prerequisite", "领导小组成立文件"),
            ("1.2", "制定创建工作方案和任务分解表（示例条文）", "plain", "工作方案"),
            ("1.3", "定期召开创卫工作例会并形成记录（示例条文）", "plain", "会议记录"),
        ],
    ),
    (
        "2",
        "健康教育（示例）",
        [
            ("2.1", "设置健康教育宣传栏并定期更新（示例条文）", "scored", "宣传栏照片"),
            ("2.2", "开展健康知识讲座和知晓率调查（示例条文）", "scored", "讲座记录"),
        ],
    ),
    (
        "3",
        "环境卫生（示例）",
        [
            ("3.1", "背街小巷、卫生死角清理整治（示例条文）", "scored", "整治前后照片"),
            ("3.2", "落实门前三包责任制（示例条文）", "scored", "门前三包责任书"),
            ("3.3", "垃圾收集容器配置和日产日清（示例条文）", "scored", "检查记录"),
        ],
    ),
    (
        "4",
        "病媒生物防制（示例）",
        [
            ("4.1", "开展春秋季灭鼠和夏季灭蚊蝇活动（示例条文）", "scored", "投药记录"),
            ("4.2", "重点场所防鼠防蝇设施合格（示例条文）", "scored", "检查记录"),
        ],
    ),
]


def _example_standard(actor) -> StandardVersion:
    """The example standard, through the standards services (audited like any other standard)."""
    standard = standard_services.standard_create(
        actor=actor,
        data={
            "code": "demo-example-community",
            "name": "卫生街道（社区）标准（示例）",
            "kind": "provincial_community",
            "description": "演示用示例结构，条文均为示例，不是官方文本。",
            "source": "演示数据",
            "is_example": True,
        },
    )
    sections = [
        {
            "code": code,
            "name": name,
            "is_example": True,
            "items": [
                {
                    "code": item_code,
                    "text": text,
                    "kind": kind,
                    "points": Decimal("5") if kind == "scored" else None,
                    "is_example": True,
                    "requirements": [(evidence, 1)],
                }
                for item_code, text, kind, evidence in items
            ],
        }
        for code, name, items in EXAMPLE_SECTIONS
    ]
    standard_services.write_tree(standard.current_version, sections)
    return standard.current_version


def _standard_version(actor) -> StandardVersion:
    current = (
        StandardVersion.objects.filter(standard__is_active=True, standard__current_version__isnull=False)
        .filter(standard__current_version_id=F("pk"))
        .select_related("standard")
    )
    preferred = ["national_city", "provincial_community", "provincial_town", "provincial_village"]
    for kind in preferred:
        version = current.filter(standard__kind=kind).order_by("standard__id").first()
        if version is not None:
            return version
    return current.order_by("standard__id").first() or _example_standard(actor)


def build(demo) -> None:
    today = demo.today
    rng = demo.rng
    office = User.objects.get(username="cwb")
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    version = _standard_version(office)
    start = today - timedelta(days=90)
    end = today + timedelta(days=180)
    phases = [
        {
            "kind": PhaseKind.PUBLICITY,
            "name": "宣传发动",
            "starts_on": start,
            "ends_on": start + timedelta(days=29),
            "work": "召开动员大会，发放倡议书，更新宣传栏。",
        },
        {
            "kind": PhaseKind.SELF_CHECK,
            "name": "自查整改",
            "starts_on": start + timedelta(days=30),
            "ends_on": today + timedelta(days=30),
            "work": "对照标准逐条自查，列出问题清单，限期整改。",
        },
        {
            "kind": PhaseKind.GAP_FILLING,
            "name": "查漏补缺",
            "starts_on": today + timedelta(days=31),
            "ends_on": today + timedelta(days=120),
            "work": "模拟考核，缺什么、补什么，完善台账资料。",
        },
        {
            "kind": PhaseKind.ACCEPTANCE,
            "name": "考核验收",
            "starts_on": today + timedelta(days=121),
            "ends_on": end,
            "work": "迎接考核验收，巩固创建成果。",
        },
    ]
    groups = []
    for group in WorkGroup.objects.filter(jurisdiction=demo.street).order_by("id"):
        role = GroupRole.LEADERSHIP if group.kind == "leadership" else GroupRole.WORKING
        groups.append({"group": group, "role": role, "duties": group.duties})
    campaign = campaign_services.campaign_create(
        actor=office,
        title=f"{demo.street.name}创建国家卫生城市",
        level=CampaignLevel.NATIONAL_CITY,
        jurisdiction=demo.street,
        standard_version=version,
        starts_on=start,
        ends_on=end,
        goal="对照国家卫生城市标准，完成区创卫办分解到本街道的各项任务，迎接国家卫生城市考核验收。",
        guidance="坚持政府组织、部门协作、群众动手、社会参与，以创促建、以创促管，巩固提升城乡环境卫生水平。",
        phases=phases,
        groups=groups,
    )
    campaign = campaign_services.campaign_transition(actor=office, campaign=campaign, name="start")
    task_services.tasks_generate(actor=office, campaign=campaign)

    communities = list(demo.communities)
    community_groups = {g.jurisdiction_id: g for g in WorkGroup.objects.filter(jurisdiction__in=communities)}
    community_users = {
        u.jurisdiction_id: u for u in User.objects.filter(role=Role.COMMUNITY, jurisdiction__in=communities)
    }
    tasks = list(Task.objects.filter(campaign=campaign).select_related("item").order_by("item__sort", "id"))
    actor = street_user or office
    for index, task in enumerate(tasks):
        if index % 4 == 3:
            continue  # some stay with the street's working groups, unassigned to a community
        area = communities[index % len(communities)]
        changes = {"jurisdiction": area, "group": community_groups.get(area.pk)}
        if area.pk in community_users:
            changes["assignee"] = community_users[area.pk]
        if index % 5 == 1:
            changes["deadline"] = today - timedelta(days=rng.randint(2, 12))  # overdue ones
        task_services.task_update(actor=actor, task=task, changes=changes, expected_version=task.version)
    for task in Task.objects.filter(campaign=campaign).select_related("jurisdiction", "assignee"):
        worker = task.assignee or actor
        overdue = task.deadline and task.deadline < today
        roll = rng.random()
        if roll < 0.25 and not overdue:
            task_services.task_progress(actor=worker, task=task, progress=80, expected_version=task.version)
            task.refresh_from_db()
            task_services.task_transition(
                actor=worker,
                task=task,
                name="complete",
                expected_version=task.version,
                note="已按要求完成，相关资料已归档。",
            )
        elif roll < 0.8:
            progress = rng.choice([10, 20, 30, 40, 50, 60, 70]) if not overdue else rng.choice([10, 20, 30])
            task_services.task_progress(actor=worker, task=task, progress=progress, expected_version=task.version)

    # A community's own campaign, part of the street's (it rolls up into the street's 区域任务表).
    east = communities[0]
    east_user = community_users.get(east.pk)
    if east_user is not None:
        sub = campaign_services.campaign_create(
            actor=east_user,
            title=f"{east.name}创卫任务（国家卫生城市）",
            level=CampaignLevel.NATIONAL_CITY,
            jurisdiction=east,
            standard_version=version,
            parent=campaign,
            starts_on=start + timedelta(days=14),
            ends_on=end,
            goal="社区环境整洁有序，居民健康知识知晓率持续提高。",
            phases=None,
            groups=[
                {"group": community_groups[east.pk], "role": GroupRole.WORKING, "duties": "负责本社区创建任务落实。"}
            ]
            if east.pk in community_groups
            else [],
        )
        sub = campaign_services.campaign_transition(actor=east_user, campaign=sub, name="start")
        task_services.tasks_generate(actor=east_user, campaign=sub)
        for task in Task.objects.filter(campaign=sub).order_by("id")[:4]:
            task = task_services.task_update(
                actor=east_user, task=task, changes={"assignee": east_user}, expected_version=task.version
            )
            task_services.task_progress(
                actor=east_user, task=task, progress=rng.choice([20, 40, 60]), expected_version=task.version
            )
