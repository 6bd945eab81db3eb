"""Test data for campaigns: a small standard and campaigns built straight in the database, so every
concept's tests share one starting point."""

from datetime import date
from decimal import Decimal

from apps.campaigns.models import Campaign, CampaignPhase, Task
from apps.standards.models import (
    EvidenceRequirement,
    Standard,
    StandardIndicator,
    StandardItem,
    StandardSection,
    StandardVersion,
)


def make_standard(code="t-std", name="测试卫生社区标准") -> StandardVersion:
    """Two sections: a prerequisite and a plain item in the first, two scored items in the second."""
    standard = Standard.objects.create(code=code, name=name, kind="provincial_community")
    version = StandardVersion.objects.create(standard=standard, number=1, source="tests")
    standard.current_version = version
    standard.save(update_fields=["current_version"])
    s1 = StandardSection.objects.create(version=version, code="1", name="爱国卫生组织管理", sort=1)
    s2 = StandardSection.objects.create(version=version, code="2", name="环境卫生", sort=2)
    items = {}
    for section, code, text, kind, points in [
        (s1, "1.1", "成立创卫领导小组", "prerequisite", None),
        (s1, "1.2", "每月召开例会", "plain", None),
        (s2, "2.1", "无暴露垃圾", "scored", Decimal("10")),
        (s2, "2.2", "按期结案", "scored", Decimal("6")),
    ]:
        items[code] = StandardItem.objects.create(
            version=version, section=section, code=code, text=text, kind=kind, points=points, sort=len(items)
        )
    EvidenceRequirement.objects.create(item=items["1.1"], name="领导小组成立文件", min_count=1)
    EvidenceRequirement.objects.create(item=items["2.1"], name="检查记录", min_count=2, source="inspections.sheet")
    EvidenceRequirement.objects.create(item=items["2.2"], name="结案案件", min_count=1, source="cases.closed")
    StandardIndicator.objects.create(
        item=items["2.2"], name="按期结案率", threshold=Decimal("90"), unit="%", figure_key="cases.on_time_rate"
    )
    version.items_by_code = items
    return version


def make_campaign(o, version, jurisdiction, title="甲街道创建省卫生社区", **extra) -> Campaign:
    campaign = Campaign.objects.create(
        title=title,
        level="provincial_community",
        jurisdiction=jurisdiction,
        standard_version=version,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 12, 31),
        created_by=o.office,
        **extra,
    )
    for sort, (kind, name, start, end) in enumerate(
        [
            ("publicity", "宣传发动", date(2026, 6, 1), date(2026, 6, 30)),
            ("self_check", "自查整改", date(2026, 7, 1), date(2026, 8, 30)),
            ("gap_filling", "查漏补缺", date(2026, 9, 1), date(2026, 10, 15)),
            ("acceptance", "考核验收", date(2026, 10, 16), None),
        ]
    ):
        CampaignPhase.objects.create(campaign=campaign, kind=kind, name=name, starts_on=start, ends_on=end, sort=sort)
    return campaign


def build_campaigns(o) -> None:
    """The campaigns' base of the access-matrix world: a standard, a campaign of 甲街道 with a task
    in 甲一社区 given to its community worker, and a campaign of 乙街道."""
    o.standard_version = make_standard()
    o.standard = o.standard_version.standard
    o.std_item = o.standard_version.items_by_code["1.1"]
    o.campaign = make_campaign(o, o.standard_version, o.street_a)
    o.campaign_b = make_campaign(o, o.standard_version, o.street_b, title="乙街道创建省卫生社区")
    o.task = Task.objects.create(
        campaign=o.campaign,
        item=o.std_item,
        jurisdiction=o.comm_a1,
        title="成立社区创卫领导小组",
        assignee=o.community,
        deadline=date(2026, 7, 15),
        origin="standard",
        created_by=o.office,
    )
