"""Writes of campaigns (创建项目): create and edit with their phases and groups, and the status steps.

A campaign, its phases and its groups are written together in one transaction and audited as one
event with the whole plan before and after (phases and groups as readable lines), so the history
of a plan reads in one place. Phases and groups are replaced on each edit (they are the plan's
lines, not records of their own); the audit keeps what they were.

Rules checked here (each with a message a person can act on):
- the jurisdiction lies in the actor's own subtree; the standard version is the current version of
  an active standard (on create, and on edit when it changes);
- a parent campaign belongs to a jurisdiction strictly above this one (a community's campaign is
  part of its street's or district's);
- phases lie within the campaign's dates and follow each other without overlapping, in the order
  given (宣传发动 before 自查整改 …); only the last may be left without an end (it runs to the end
  of the campaign);
- groups are WorkGroups of the campaign's jurisdiction or below it, each at most once;
- the jurisdiction and the standard version are fixed once the campaign holds work drawn from
  them: tasks, ledger pieces or documents, self-assessments, mock assessments or binders (they
  name items of that version and places of that area). Before that, a new standard version
  replaces the automatic-linking rules: the old ones name items of the old version, so they are
  removed (audited) and the new version's suggested rules are set up instead.

Locks: an edit locks the campaign row; choosing a standard version (create, or edit when it
changes) locks the Standard row first, the lock the standards services take before editing a
version in place (`_writable_version`), so a version cannot change under a new campaign.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction
from apps.core.permissions import ensure_jurisdiction_in_scope, ensure_role_allows
from apps.standards.models import Standard, StandardVersion

from ..choices import GroupRole, PhaseKind
from ..models import Campaign, CampaignGroup, CampaignPhase, EvidenceRule
from ..workflow import CAMPAIGN_WORKFLOW
from .common import ensure_manages
from .evidence import evidence_rules_from_standard

CAMPAIGN_FIELDS = [
    "title",
    "level",
    "jurisdiction",
    "standard_version",
    "parent",
    "starts_on",
    "ends_on",
    "goal",
    "guidance",
]


def default_phases(starts_on: date, ends_on: date) -> list[dict]:
    """The four phases of 001 L113-121 spread over the campaign: 宣传发动 a sixth, 自查整改 half,
    查漏补缺 a sixth, 考核验收 the rest (a starting point people edit)."""
    total = max((ends_on - starts_on).days + 1, 4)
    shares = [total // 6 or 1, total // 2 or 1, total // 6 or 1]
    phases, start = [], starts_on
    for kind, share in zip([PhaseKind.PUBLICITY, PhaseKind.SELF_CHECK, PhaseKind.GAP_FILLING], shares, strict=True):
        end = start + timedelta(days=share - 1)
        phases.append({"kind": kind, "name": str(kind.label), "starts_on": start, "ends_on": end, "work": ""})
        start = end + timedelta(days=1)
    phases.append(
        {
            "kind": PhaseKind.ACCEPTANCE,
            "name": str(PhaseKind.ACCEPTANCE.label),
            "starts_on": min(start, ends_on),
            "ends_on": ends_on,
            "work": "",
        }
    )
    return phases


def validate_phases(phases: list[dict], starts_on: date, ends_on: date) -> None:
    """Raise DomainError unless the phases lie within [starts_on, ends_on] and follow each other."""
    previous_end = None
    for index, phase in enumerate(phases):
        name = phase.get("name") or str(PhaseKind(phase["kind"]).label)
        start, end = phase["starts_on"], phase.get("ends_on")
        if end is None and index != len(phases) - 1:
            raise DomainError(_("阶段“{name}”缺少结束日期：只有最后一个阶段可以不填。").format(name=name))
        if end is not None and end < start:
            raise DomainError(_("阶段“{name}”的结束日期早于开始日期。").format(name=name))
        if start < starts_on or (end or start) > ends_on:
            raise DomainError(
                _("阶段“{name}”必须在项目的开始日期与计划验收日期之间（{start} 至 {end}）。").format(
                    name=name, start=starts_on.isoformat(), end=ends_on.isoformat()
                )
            )
        if previous_end is not None and start <= previous_end:
            raise DomainError(
                _("阶段“{name}”必须在上一阶段结束（{end}）之后开始，阶段不能重叠或颠倒。").format(
                    name=name, end=previous_end.isoformat()
                )
            )
        previous_end = end


def _check_plan(*, actor, campaign: Campaign, groups: list[dict]) -> None:
    if campaign.parent_id is not None:
        parent = campaign.parent
        own = campaign.jurisdiction.path
        if parent.jurisdiction.path == own or not own.startswith(parent.jurisdiction.path):
            raise DomainError(_("上级项目必须是上级辖区的创建项目。"))
        if actor is not None and not Campaign.objects.restrict(actor, "view").filter(pk=parent.pk).exists():
            raise OutsideJurisdiction()
    seen = set()
    for line in groups:
        group = line["group"]
        if group.pk in seen:
            raise DomainError(_("小组“{name}”重复。").format(name=group.name))
        seen.add(group.pk)
        if not group.jurisdiction.path.startswith(campaign.jurisdiction.path):
            raise DomainError(_("小组“{name}”不属于该项目的辖区。").format(name=group.name))


def _check_version(version: StandardVersion) -> None:
    """The version is the current one of an active standard, read under a lock on the Standard
    row (held to the end of the transaction: a concurrent edit of that version waits, then finds
    it in use and copies it)."""
    standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    if not standard.is_active or standard.current_version_id != version.pk:
        raise DomainError(_("只能选择已启用标准的现行版本。"))


def holds_work(campaign: Campaign) -> bool:
    """Whether anything drawn from the campaign's standard version and area exists: tasks, ledger
    pieces, documents, self-assessments, mock assessments or binders."""
    related = ("tasks", "evidence", "documents", "assessments", "mock_assessments", "binders")
    return any(getattr(campaign, name).exists() for name in related)


FIXED = ("jurisdiction", "standard_version")


def _write_plan(campaign: Campaign, phases: list[dict], groups: list[dict]) -> None:
    CampaignPhase.objects.filter(campaign=campaign).delete()
    CampaignGroup.objects.filter(campaign=campaign).delete()
    CampaignPhase.objects.bulk_create(
        [
            CampaignPhase(
                campaign=campaign,
                kind=p["kind"],
                name=p.get("name") or str(PhaseKind(p["kind"]).label),
                starts_on=p["starts_on"],
                ends_on=p.get("ends_on"),
                work=p.get("work", ""),
                sort=index,
            )
            for index, p in enumerate(phases)
        ]
    )
    CampaignGroup.objects.bulk_create(
        [
            CampaignGroup(
                campaign=campaign,
                group=g["group"],
                role=g.get("role") or GroupRole.WORKING,
                duties=g.get("duties", ""),
                sort=index,
            )
            for index, g in enumerate(groups)
        ]
    )


def plan_snapshot(campaign: Campaign) -> dict:
    """The campaign's fields with its phases and groups as readable lines (for the audit)."""
    data = snapshot(campaign, CAMPAIGN_FIELDS)
    data["phases"] = [
        f"{p.name} {p.starts_on.isoformat()}–{p.ends_on.isoformat() if p.ends_on else ''}"
        for p in campaign.phases.order_by("sort", "id")
    ]
    data["groups"] = [
        f"{g.group.name}（{g.get_role_display()}）{('：' + g.duties) if g.duties else ''}"
        for g in campaign.groups.select_related("group").order_by("sort", "id")
    ]
    return data


@transaction.atomic
def campaign_create(
    *,
    actor,
    title: str,
    level: str,
    jurisdiction,
    standard_version: StandardVersion,
    starts_on: date,
    ends_on: date,
    parent: Campaign | None = None,
    goal: str = "",
    guidance: str = "",
    phases: list[dict] | None = None,
    groups: list[dict] | None = None,
) -> Campaign:
    """Create a campaign with its phases (the four defaults when none are given) and groups.

    Checks the role (campaigns.campaign add), that the jurisdiction lies in the actor's subtree,
    the standard version, the parent, the phases and the groups (module docstring). Audited once
    as campaigns.campaign.created with the whole plan."""
    ensure_role_allows(actor, Campaign, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    _check_version(standard_version)
    campaign = Campaign(
        title=title,
        level=level,
        jurisdiction=jurisdiction,
        standard_version=standard_version,
        parent=parent,
        starts_on=starts_on,
        ends_on=ends_on,
        goal=goal,
        guidance=guidance,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign.full_clean()
    phases = default_phases(starts_on, ends_on) if phases is None else phases
    groups = groups or []
    validate_phases(phases, starts_on, ends_on)
    _check_plan(actor=actor, campaign=campaign, groups=groups)
    campaign.save()
    _write_plan(campaign, phases, groups)
    audit_record(
        actor=actor, obj=campaign, action="campaigns.campaign.created", data={"after": plan_snapshot(campaign)}
    )
    # The ledger links the modules' records from day one (台账 "从创建初始阶段起" 001 L717): the
    # rules the standard suggests are set up with the campaign.
    evidence_rules_from_standard(campaign=campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: Campaign,
    changes: dict,
    phases: list[dict],
    groups: list[dict],
    expected_version: int | None,
) -> Campaign:
    """Edit a campaign and replace its phases and groups, under a row lock with the version check.

    Only those who manage the campaign (its jurisdiction in their subtree) may; audited as
    campaigns.campaign.updated with the plan before and after (nothing when nothing changed)."""
    ensure_manages(actor, campaign)
    locked = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    before = plan_snapshot(locked)
    moved = [name for name in FIXED if name in changes and getattr(locked, f"{name}_id") != changes[name].pk]
    if moved and holds_work(locked):
        raise DomainError(_("项目已有任务、台账资料、自查评估或模拟考核，不能再更改创建辖区或对照标准。"))
    for name, value in changes.items():
        if name not in CAMPAIGN_FIELDS:
            raise ValueError(name)
        setattr(locked, name, value)
    if "jurisdiction" in moved:
        ensure_jurisdiction_in_scope(actor, locked.jurisdiction)
        if locked.evidence_rules.filter(jurisdiction__isnull=False).exists():
            raise DomainError(_("项目的自动关联规则指定了辖区，请先停用或修改这些规则再更改创建辖区。"))
    new_version = "standard_version" in moved
    if new_version:
        _check_version(locked.standard_version)
    locked.full_clean()
    validate_phases(phases, locked.starts_on, locked.ends_on)
    _check_plan(actor=actor, campaign=locked, groups=groups)
    _write_plan(locked, phases, groups)
    after = plan_snapshot(locked)
    changed = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    data = {"changes": changed}
    if new_version:
        # the old rules name items of the old version: replaced by the new version's suggestions
        data["rules_removed"] = [str(rule) for rule in locked.evidence_rules.select_related("item")]
        EvidenceRule.objects.filter(campaign=locked).delete()
    audit_record(actor=actor, obj=locked, action="campaigns.campaign.updated", data=data)
    if new_version:
        evidence_rules_from_standard(campaign=locked, actor=actor)
    return locked


@transaction.atomic
def campaign_transition(*, actor, campaign: Campaign, name: str, expected_version: int | None = None) -> Campaign:
    """One step of CAMPAIGN_WORKFLOW (启动创建, 结束项目, 恢复创建): lock, table, role, scope, audit."""
    return CAMPAIGN_WORKFLOW.perform(name, obj=campaign, actor=actor, expected_version=expected_version)
