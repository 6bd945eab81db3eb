"""Campaign services: atomic create with phases and groups, phase rules, parent and area rules,
version conflicts, the status workflow."""

from datetime import date

import pytest

from apps.campaigns.models import Campaign, CampaignGroup, CampaignPhase
from apps.campaigns.services import campaigns as services
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent

START, END = date(2026, 6, 1), date(2026, 12, 31)


def phases(*spans):
    kinds = ["publicity", "self_check", "gap_filling", "acceptance"]
    return [{"kind": kinds[i], "name": "", "starts_on": a, "ends_on": b, "work": ""} for i, (a, b) in enumerate(spans)]


GOOD = phases(
    (date(2026, 6, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 8, 31)),
    (date(2026, 9, 1), date(2026, 10, 15)),
    (date(2026, 10, 16), None),
)


def create(o, actor=None, **extra):
    fields = dict(
        actor=actor or o.office,
        title="甲一社区创建省卫生社区",
        level="provincial_community",
        jurisdiction=o.comm_a1,
        standard_version=o.standard_version,
        starts_on=START,
        ends_on=END,
        phases=GOOD,
        groups=[{"group": o.group_a1, "role": "working", "duties": "负责本社区任务"}],
    )
    fields.update(extra)
    return services.campaign_create(**fields)


@pytest.mark.django_db
def test_create_writes_campaign_phases_groups_and_one_audit(camp):
    campaign = create(camp, parent=camp.campaign)
    assert [p.name for p in campaign.phases.all()] == ["宣传发动", "自查整改", "查漏补缺", "考核验收"]
    assert campaign.phases.last().ends_on is None
    assert list(campaign.groups.values_list("group__name", "duties")) == [("甲一创卫小组", "负责本社区任务")]
    events = AuditEvent.objects.filter(action="campaigns.campaign.created", object_id=str(campaign.pk))
    assert events.count() == 1
    assert events.get().data["after"]["phases"][0] == "宣传发动 2026-06-01–2026-06-30"


@pytest.mark.django_db
def test_default_phases_when_none_given(camp):
    campaign = create(camp, phases=None)
    kinds = list(campaign.phases.values_list("kind", flat=True))
    assert kinds == ["publicity", "self_check", "gap_filling", "acceptance"]
    spans = list(campaign.phases.values_list("starts_on", "ends_on"))
    assert spans[0][0] == START and spans[-1][1] == END
    assert all(spans[i][1] < spans[i + 1][0] for i in range(3))


@pytest.mark.parametrize(
    "bad, message",
    [
        (phases((date(2026, 5, 1), date(2026, 6, 30))), "之间"),
        (phases((date(2026, 6, 1), date(2026, 7, 10)), (date(2026, 7, 5), date(2026, 8, 1))), "不能重叠"),
        (phases((date(2026, 6, 1), None), (date(2026, 7, 5), date(2026, 8, 1))), "只有最后一个"),
        (phases((date(2026, 6, 10), date(2026, 6, 1))), "早于"),
        (phases((date(2026, 12, 1), date(2027, 1, 10))), "之间"),
    ],
)
@pytest.mark.django_db
def test_phase_rules_refuse_and_write_nothing(camp, bad, message):
    before = Campaign.objects.count()
    with pytest.raises(DomainError, match=message):
        create(camp, phases=bad)
    assert Campaign.objects.count() == before
    assert not CampaignPhase.objects.filter(campaign__title="甲一社区创建省卫生社区").exists()


@pytest.mark.django_db
def test_parent_must_be_above_and_groups_of_the_area(camp):
    with pytest.raises(DomainError, match="上级辖区"):
        create(camp, parent=camp.campaign_b)  # 乙街道 is not above 甲一社区
    with pytest.raises(DomainError, match="不属于"):
        create(camp, groups=[{"group": camp.group_b1, "role": "working", "duties": ""}])
    assert not CampaignGroup.objects.filter(group=camp.group_b1).exists()


@pytest.mark.django_db
def test_jurisdiction_must_be_in_actor_subtree_and_version_current(camp):
    with pytest.raises(OutsideJurisdiction):
        create(camp, actor=camp.community_other)  # 甲二社区 creating for 甲一社区
    with pytest.raises(PermissionDeniedForRole):
        create(camp, actor=camp.leader)
    camp.standard.is_active = False
    camp.standard.save()
    with pytest.raises(DomainError, match="现行版本"):
        create(camp)


@pytest.mark.django_db
def test_update_replaces_plan_checks_version_and_audits_before_after(camp):
    campaign = create(camp)
    new_phases = GOOD[:3]
    updated = services.campaign_update(
        actor=camp.community,
        campaign=campaign,
        changes={"title": "甲一社区创卫"},
        phases=new_phases,
        groups=[],
        expected_version=campaign.version,
    )
    assert updated.version == campaign.version + 1
    assert updated.phases.count() == 3 and updated.groups.count() == 0
    changes = AuditEvent.objects.get(action="campaigns.campaign.updated").data["changes"]
    assert changes["title"] == ["甲一社区创建省卫生社区", "甲一社区创卫"]
    assert len(changes["phases"][0]) == 4 and len(changes["phases"][1]) == 3
    with pytest.raises(ConcurrentEdit):
        services.campaign_update(
            actor=camp.community,
            campaign=campaign,
            changes={"title": "x"},
            phases=new_phases,
            groups=[],
            expected_version=campaign.version,  # stale
        )


@pytest.mark.django_db
def test_community_cannot_edit_its_street_campaign(camp):
    with pytest.raises(OutsideJurisdiction):
        services.campaign_update(
            actor=camp.community,
            campaign=camp.campaign,
            changes={"title": "x"},
            phases=GOOD,
            groups=[],
            expected_version=camp.campaign.version,
        )


@pytest.mark.django_db
def test_jurisdiction_fixed_once_tasks_exist(camp):
    with pytest.raises(DomainError, match="已有任务"):
        services.campaign_update(
            actor=camp.office,
            campaign=camp.campaign,
            changes={"jurisdiction": camp.street_b},
            phases=GOOD,
            groups=[],
            expected_version=camp.campaign.version,
        )


def _edit(o, campaign, **changes):
    return services.campaign_update(
        actor=o.office, campaign=campaign, changes=changes, phases=GOOD, groups=[], expected_version=campaign.version
    )


def _new_version(o):
    from apps.standards import services as standard_services

    standard = standard_services.standard_create(actor=o.office, data={"code": "other-std", "name": "另一个标准"})
    standard_services.write_tree(
        standard.current_version,
        [{"code": "1", "name": "大项", "items": [{"code": "1.1", "text": "条文", "requirements": [("记录", 1)]}]}],
    )
    return standard.current_version


@pytest.mark.django_db
@pytest.mark.parametrize("work", ["assessment", "mock", "document"])
def test_version_and_jurisdiction_fixed_once_any_work_exists(camp, work):
    from apps.campaigns.models import EvidenceDocument
    from apps.campaigns.services.assessment import item_assess
    from apps.campaigns.services.mock import mock_create

    campaign = create(camp)  # no tasks
    item = camp.standard_version.items.first()
    if work == "assessment":
        item_assess(actor=camp.office, campaign=campaign, item=item, result="met")
    elif work == "mock":
        mock_create(actor=camp.office, campaign=campaign, jurisdiction=camp.comm_a1, conducted_on=START, seed=1)
    else:
        EvidenceDocument.objects.create(
            campaign=campaign,
            item=item,
            jurisdiction=camp.comm_a1,
            title="文件",
            occurred_on=START,
            file="x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=camp.office,
        )
    with pytest.raises(DomainError, match="不能再更改创建辖区或对照标准"):
        _edit(camp, campaign, standard_version=_new_version(camp))
    with pytest.raises(DomainError, match="不能再更改创建辖区或对照标准"):
        _edit(camp, campaign, jurisdiction=camp.comm_a2)


@pytest.mark.django_db
def test_a_new_version_before_any_work_replaces_the_rules(camp):
    from apps.campaigns.models import EvidenceRule

    campaign = create(camp)
    old_item = camp.standard_version.items.first()
    EvidenceRule.objects.create(campaign=campaign, item=old_item, source="cases.closed")  # by hand
    before = sorted(str(rule) for rule in campaign.evidence_rules.select_related("item"))
    assert f"{old_item.code} ← cases.closed" in before
    version = _new_version(camp)
    updated = _edit(camp, campaign, standard_version=version)
    assert updated.standard_version == version
    # the old rules name items of the old version: gone, and listed in the audit
    assert not EvidenceRule.objects.filter(campaign=campaign, item__version=camp.standard_version).exists()
    event = AuditEvent.objects.filter(action="campaigns.campaign.updated").latest("id")
    assert sorted(event.data["rules_removed"]) == before


@pytest.mark.django_db
def test_choosing_a_version_locks_its_standard_row(camp, monkeypatch):
    """The standards services edit an unused version in place under a lock on the Standard row;
    campaign_create takes the same lock before it checks the version."""
    from apps.standards.models import Standard

    locked = []
    original = Standard.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(Standard.objects, "select_for_update", spy)
    create(camp)
    assert locked


@pytest.mark.django_db
def test_workflow_start_conclude_by_managers_only(camp):
    with pytest.raises(PermissionDeniedForRole):
        services.campaign_transition(actor=camp.community, campaign=camp.campaign, name="start")
    with pytest.raises(PermissionDeniedForRole):
        services.campaign_transition(actor=camp.leader, campaign=camp.campaign, name="start")
    started = services.campaign_transition(actor=camp.street, campaign=camp.campaign, name="start")
    assert started.status == "active"
    ended = services.campaign_transition(actor=camp.street, campaign=started, name="conclude")
    assert ended.status == "concluded"
    assert AuditEvent.objects.filter(action="campaigns.campaign.concluded").count() == 1
