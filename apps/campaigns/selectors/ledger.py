"""Reads of the evidence ledger that other concepts share: readiness per item and per section."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from apps.core.evidence import sources
from apps.standards.models import EvidenceRequirement, StandardItem

from .. import readiness
from ..areas import Part, as_part, user_part
from ..choices import CampaignStatus, TaskStatus
from ..models import Campaign, EvidenceLink, Task


def campaign_items(campaign: Campaign):
    """The campaign's standard items in the standard's order, with their sections."""
    return StandardItem.objects.filter(version_id=campaign.standard_version_id).select_related("section")


def item_readiness(
    *, campaign: Campaign, jurisdiction_path: str | Part | None = None, item_ids=None
) -> dict[int, readiness.ItemReadiness]:
    """Readiness of every item (or of `item_ids`), counting the active pieces filed inside
    `jurisdiction_path` (an area's path or a user's `areas.Part`; the whole campaign when None).
    Two queries, however many links."""
    requirements: dict[int, list[readiness.Requirement]] = defaultdict(list)
    reqs = EvidenceRequirement.objects.filter(item__version_id=campaign.standard_version_id)
    if item_ids is not None:
        reqs = reqs.filter(item_id__in=item_ids)
    for req in reqs.order_by("sort", "id").values("id", "item_id", "name", "min_count"):
        requirements[req["item_id"]].append(readiness.Requirement(req["id"], req["name"], req["min_count"]))
    links = EvidenceLink.objects.filter(as_part(jurisdiction_path).links_q(), campaign=campaign, is_active=True)
    if item_ids is not None:
        links = links.filter(item_id__in=item_ids)
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in links.values("item_id", "requirement_id").annotate(n=Count("id")).order_by():
        counts[row["item_id"]][row["requirement_id"]] = row["n"]
    ids = item_ids
    if ids is None:
        ids = StandardItem.objects.filter(version_id=campaign.standard_version_id).values_list("id", flat=True)
    return {item_id: readiness.item_readiness(item_id, requirements[item_id], counts[item_id]) for item_id in ids}


def readiness_summary(*, campaign: Campaign, jurisdiction_path: str | Part | None = None) -> dict:
    """{"campaign": Share, "sections": [Share per section, in order], "items": {id: ItemReadiness}}."""
    items = list(campaign_items(campaign))
    by_item = item_readiness(campaign=campaign, jurisdiction_path=jurisdiction_path, item_ids=[i.pk for i in items])
    sections: dict[int, list] = defaultdict(list)
    labels: dict[int, object] = {}
    for item in items:
        sections[item.section_id].append(by_item[item.pk])
        labels[item.section_id] = item.section
    return {
        "campaign": readiness.share(list(by_item.values())),
        "sections": [readiness.share(rows, key=labels[sid], label=str(labels[sid])) for sid, rows in sections.items()],
        "items": by_item,
    }


# The ledger pages ----------------------------------------------------------------------------


def ledger_part(user, campaign: Campaign) -> Part:
    """The part of the campaign's ledger a user reads (apps/campaigns/areas.py): all of it for
    people whose subtree covers the campaign, their own area for a community in its street's
    campaign, the uploads of its own tasks for a unit contact."""
    return user_part(user, campaign)


def ledger_item_ids(user, campaign: Campaign) -> set[int] | None:
    """The items whose ledger page `user` may open: None for all of them, else the items that
    concern the user's part (`area_item_ids`)."""
    part = ledger_part(user, campaign)
    return None if part.whole else area_item_ids(campaign, part)


def area_item_ids(campaign: Campaign, path: str | Part) -> set[int]:
    """The items that concern an area (or a Part): those with a task in it or a piece of evidence filed in it."""
    part = as_part(path)
    tasks = Task.objects.filter(part.tasks_q(), campaign=campaign, item__isnull=False)
    pieces = EvidenceLink.objects.filter(part.links_q(), campaign=campaign, is_active=True)
    return set(tasks.values_list("item_id", flat=True).distinct()) | set(
        pieces.values_list("item_id", flat=True).distinct()
    )


def _owner_label(row: dict) -> str:
    person = f"{row['assignee__last_name'] or ''}{row['assignee__first_name'] or ''}".strip() or (
        row["assignee__username"] or ""
    )
    parts = [row["jurisdiction__name"], row["unit__name"] or "", row["group__name"] or "", person]
    return " · ".join(part for part in parts if part)


def item_owners(
    *, campaign: Campaign, jurisdiction_path: str | Part | None = None, item_ids=None
) -> dict[int, list[str]]:
    """Per item, who owns it: the areas, units, groups and assignees of its tasks (one query)."""
    tasks = Task.objects.filter(as_part(jurisdiction_path).tasks_q(), campaign=campaign, item__isnull=False)
    tasks = tasks.exclude(status=TaskStatus.CANCELLED)
    if item_ids is not None:
        tasks = tasks.filter(item_id__in=item_ids)
    owners: dict[int, list[str]] = defaultdict(list)
    rows = tasks.order_by("item_id", "jurisdiction__path", "id").values(
        "item_id",
        "jurisdiction__name",
        "unit__name",
        "group__name",
        "assignee__last_name",
        "assignee__first_name",
        "assignee__username",
    )
    for row in rows:
        label = _owner_label(row)
        if label not in owners[row["item_id"]]:
            owners[row["item_id"]].append(label)
    return owners


@dataclass
class LedgerRow:
    item: StandardItem
    readiness: readiness.ItemReadiness
    requirements: list[dict]
    owners: list[str]


def ledger(
    *,
    campaign: Campaign,
    jurisdiction_path: str | Part | None = None,
    section=None,
    ready: bool | None = None,
    area=None,
) -> dict:
    """The ledger page: readiness per section and one row per item (requirements with have/need,
    pieces, owners). With `jurisdiction_path` (a community) only the items that concern the area
    (`area_item_ids`: a task or a piece in it) and only the pieces filed inside it. `area` (a
    Jurisdiction) narrows further. A fixed number of queries whatever the number of items, tasks and pieces."""
    path = as_part(jurisdiction_path)
    if area is not None:
        path = path.within(area.path)
    items = list(campaign_items(campaign).order_by("section__sort", "section_id", "sort", "id"))
    if not path.whole:
        relevant = area_item_ids(campaign, path)
        items = [item for item in items if item.pk in relevant]
    item_ids = [item.pk for item in items]
    requirements: dict[int, list] = defaultdict(list)
    for req in (
        EvidenceRequirement.objects.filter(item__version_id=campaign.standard_version_id)
        .order_by("sort", "id")
        .values("id", "item_id", "name", "min_count", "source")
    ):
        requirements[req["item_id"]].append(req)
    counts = requirement_counts(campaign, path, item_ids)
    per_item: dict[int, dict[int | None, int]] = defaultdict(dict)
    for (item_id, req_id), n in counts.items():
        per_item[item_id][req_id] = n
    by_item = {
        item_id: readiness.item_readiness(
            item_id,
            [readiness.Requirement(r["id"], r["name"], r["min_count"]) for r in requirements[item_id]],
            per_item[item_id],
        )
        for item_id in item_ids
    }
    owners = item_owners(campaign=campaign, jurisdiction_path=path, item_ids=item_ids)
    sections: dict[int, list] = defaultdict(list)
    labels: dict[int, object] = {}
    rows = []
    for item in items:
        state = by_item[item.pk]
        sections[item.section_id].append(state)
        labels[item.section_id] = item.section
        if section is not None and item.section_id != section.pk:
            continue
        if ready is not None and state.ready != ready:
            continue
        reqs = [
            {
                **req,
                "have": counts.get((item.pk, req["id"]), 0),
                "met": counts.get((item.pk, req["id"]), 0) >= req["min_count"],
            }
            for req in requirements[item.pk]
        ]
        rows.append(LedgerRow(item, state, reqs, owners.get(item.pk, [])))
    return {
        "campaign": readiness.share(list(by_item.values())),
        "sections": [readiness.share(s, key=labels[sid], label=str(labels[sid])) for sid, s in sections.items()],
        "rows": rows,
    }


def requirement_counts(campaign: Campaign, path: str | Part | None, item_ids) -> dict[tuple[int, int | None], int]:
    links = EvidenceLink.objects.filter(as_part(path).links_q(), campaign=campaign, is_active=True)
    links = links.filter(item_id__in=item_ids)
    return {
        (row["item_id"], row["requirement_id"]): row["n"]
        for row in links.values("item_id", "requirement_id").annotate(n=Count("id")).order_by()
    }


def label_rules(rules):
    """Set `source_label`, `category_label` and `tag_label` on each rule: the source's own labels
    (its `categories()` and `tags()`), the raw code when the source no longer offers it. Each
    source's choices are read once, however many rules name it. Returns `rules`."""
    known = sources()
    choices: dict[tuple[str, str], dict] = {}

    def label(source_key: str, kind: str, code: str):
        if not code:
            return ""
        if (source_key, kind) not in choices:
            source = known.get(source_key)
            choices[(source_key, kind)] = dict(getattr(source, kind)()) if source is not None else {}
        return choices[(source_key, kind)].get(code, code)

    for rule in rules:
        source = known.get(rule.source)
        rule.source_label = source.label if source is not None else rule.source
        rule.category_label = label(rule.source, "categories", rule.category)
        rule.tag_label = label(rule.source, "tags", rule.tag)
    return rules


def item_pieces(*, campaign: Campaign, item: StandardItem, jurisdiction_path: str | Part | None = None):
    """Every piece of an item (the unlinked ones too, for the record), newest first."""
    links = EvidenceLink.objects.filter(as_part(jurisdiction_path).links_q(), campaign=campaign, item=item)
    links = links.select_related("requirement", "added_by", "document", "rule")
    return links.order_by("-is_active", "-occurred_on", "-id")


def missing(*, campaign: Campaign, jurisdiction_path: str | Part | None = None, area=None) -> list[dict]:
    """缺什么、补什么: per unready item, what is missing (requirement, have, need) and its owners."""
    data = ledger(campaign=campaign, jurisdiction_path=jurisdiction_path, ready=False, area=area)
    return [
        {"item": row.item, "missing": row.readiness.missing, "owners": row.owners, "total": row.readiness.total}
        for row in data["rows"]
    ]


def timeline(*, campaign: Campaign, jurisdiction_path: str | Part | None = None):
    """What was added and removed, newest first (unlinked pieces stay, struck through)."""
    links = EvidenceLink.objects.filter(as_part(jurisdiction_path).links_q(), campaign=campaign)
    links = links.select_related("item", "requirement", "added_by")
    return links.order_by("-added_at", "-id")


def unlinked_at(link_ids) -> dict[int, object]:
    """When each of these links was taken out (from the audit log; one query)."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(EvidenceLink),
        object_id__in=[str(pk) for pk in link_ids],
        action="campaigns.evidencelink.unlinked",
    ).values_list("object_id", "occurred_at", "actor_name")
    return {int(object_id): (at, name) for object_id, at, name in events}


def visible_readiness(user, limit: int = 8) -> list[dict]:
    """The readiness widget: each active campaign the user sees, with its readiness (their area's
    for a community)."""
    campaigns = (
        Campaign.objects.restrict(user, "view")
        .filter(status=CampaignStatus.ACTIVE)
        .select_related("jurisdiction")
        .order_by("-starts_on", "-id")[:limit]
    )
    rows = []
    for campaign in campaigns:
        rows.append({"campaign": campaign, "share": part_share(campaign, ledger_part(user, campaign))})
    return rows


def part_share(campaign: Campaign, part: Part) -> readiness.Share:
    """The campaign's readiness for a user's part, as the ledger page heads it (the items that
    concern the part, the pieces filed in it): three or four queries, no rows, no owners."""
    ids = list(StandardItem.objects.filter(version_id=campaign.standard_version_id).values_list("id", flat=True))
    if not part.whole:
        relevant = area_item_ids(campaign, part)
        ids = [pk for pk in ids if pk in relevant]
    return readiness.share(list(item_readiness(campaign=campaign, jurisdiction_path=part, item_ids=ids).values()))
