"""Reads of the evidence ledger that other concepts share: readiness per item and per section."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from apps.standards.models import EvidenceRequirement, StandardItem

from .. import readiness
from ..models import Campaign, EvidenceLink


def campaign_items(campaign: Campaign):
    """The campaign's standard items in the standard's order, with their sections."""
    return StandardItem.objects.filter(version_id=campaign.standard_version_id).select_related("section")


def item_readiness(
    *, campaign: Campaign, jurisdiction_path: str | None = None, item_ids=None
) -> dict[int, readiness.ItemReadiness]:
    """Readiness of every item (or of `item_ids`), counting the active pieces filed inside
    `jurisdiction_path` (the whole campaign when None). Two queries, however many links."""
    requirements: dict[int, list[readiness.Requirement]] = defaultdict(list)
    reqs = EvidenceRequirement.objects.filter(item__version_id=campaign.standard_version_id)
    if item_ids is not None:
        reqs = reqs.filter(item_id__in=item_ids)
    for req in reqs.order_by("sort", "id").values("id", "item_id", "name", "min_count"):
        requirements[req["item_id"]].append(readiness.Requirement(req["id"], req["name"], req["min_count"]))
    links = EvidenceLink.objects.filter(campaign=campaign, is_active=True)
    if jurisdiction_path:
        links = links.filter(jurisdiction_path__within=jurisdiction_path)
    if item_ids is not None:
        links = links.filter(item_id__in=item_ids)
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in links.values("item_id", "requirement_id").annotate(n=Count("id")).order_by():
        counts[row["item_id"]][row["requirement_id"]] = row["n"]
    ids = item_ids
    if ids is None:
        ids = StandardItem.objects.filter(version_id=campaign.standard_version_id).values_list("id", flat=True)
    return {item_id: readiness.item_readiness(item_id, requirements[item_id], counts[item_id]) for item_id in ids}


def readiness_summary(*, campaign: Campaign, jurisdiction_path: str | None = None) -> dict:
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
