"""Linking records to items by the campaigns' evidence rules (自动关联).

`evidence_sync` runs every active rule (of one campaign, or of every active campaign): it asks
the rule's source for its records (the rule's area and period, the campaign's when empty) and
inserts a link for each record the item does not have yet. A record that has a link already —
active, or unlinked by a person — is left alone, so a rule never brings back what somebody took
out. Each rule run sets the rule's `synced_at` and records one audit event with the count added.
The hourly Celery beat runs it for every active campaign; the 立即关联 button (managers of the
campaign only, audited) runs it for one campaign in the background (`campaign_evidence_sync_one`).
Both jobs have time limits and take a lock on the shared cache (`caches["shared"]`, `cache.add`)
so two runs of the same scope never overlap; the "running" flag the page polls lives there too,
so every web worker reads the same one.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from celery import shared_task
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.evidence import EvidenceQuery, sources
from apps.core.periodic import beat_singleton

from ..choices import CampaignStatus, EvidenceKind
from ..models import Campaign, EvidenceLink, EvidenceRule

BATCH = 1000
logger = logging.getLogger(__name__)
# A long job's limits (like the binder and the imports), set explicitly: well under the hour
# between two beat runs, and longer than the default a short task gets.
SOFT_TIME_LIMIT = settings.DATA_JOB_SOFT_TIME_LIMIT
TIME_LIMIT = settings.DATA_JOB_TIME_LIMIT
LOCK_TIMEOUT = TIME_LIMIT + 60  # a killed worker's lock expires on its own


def shared_cache():
    return caches["shared"]


def lock_key(campaign_id: int | None) -> str:
    return f"campaigns:ledger-sync-lock:{campaign_id or 'all'}"


def sync_requested_key(campaign_id: int) -> str:
    return f"campaigns:ledger-sync:{campaign_id}"


def rule_query(rule: EvidenceRule) -> EvidenceQuery:
    campaign = rule.campaign
    return EvidenceQuery(
        jurisdiction_path=(rule.jurisdiction or campaign.jurisdiction).path,
        start=rule.starts_on or campaign.starts_on,
        end=rule.ends_on or campaign.ends_on,
        category=rule.category,
        tag=rule.tag,
    )


PAGE = 5000
RUN_LIMIT = 200_000


def _rule_link(rule: EvidenceRule, record, now) -> EvidenceLink:
    return EvidenceLink(
        campaign_id=rule.campaign_id,
        item_id=rule.item_id,
        requirement_id=rule.requirement_id,
        kind=EvidenceKind.RULE,
        source=rule.source,
        object_id=record.object_id,
        title=record.title[:255],
        occurred_on=record.occurred_on,
        jurisdiction_path=record.jurisdiction_path,
        url=record.url[:255],
        rule=rule,
        added_at=now,
    )


@transaction.atomic
def rule_run(*, rule: EvidenceRule, actor=None) -> int:
    """Run one rule; returns the number of links really added (rows that a concurrent run
    inserted first are not counted: the rows of this run are those stamped with its `added_at`).
    Pages through every record of the rule's area and period, PAGE at a time, newest first, so
    older records are linked too. A run stops after RUN_LIMIT records and says so (audit data
    `cut`, a warning in the log) rather than stopping silently: narrow the rule (area, period,
    category) when it happens. A few queries per page plus the source's own."""
    source = sources().get(rule.source)
    added, seen, cut = 0, 0, False
    if source is not None:
        existing = set(
            EvidenceLink.objects.filter(
                campaign_id=rule.campaign_id, item_id=rule.item_id, source=rule.source
            ).values_list("object_id", flat=True)
        )
        now = timezone.now()
        query = rule_query(rule)
        while True:
            page = list(source.records(replace(query, offset=seen, limit=PAGE)))
            seen += len(page)
            new = []
            for record in page:
                if record.object_id not in existing:
                    existing.add(record.object_id)
                    new.append(_rule_link(rule, record, now))
            EvidenceLink.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
            if len(page) < PAGE:
                break
            if seen >= RUN_LIMIT:
                cut = True
                logger.warning("Evidence rule %s stopped after %s records; older ones are not linked", rule.pk, seen)
                break
        added = EvidenceLink.objects.filter(rule=rule, added_at=now).count()
    rule.synced_at = timezone.now()
    rule.save(update_fields=["synced_at"])
    data = {"added": added, "cut": True} if cut else {"added": added}
    audit_record(actor=actor, obj=rule, action="campaigns.evidencerule.synced", data=data)
    return added


def evidence_sync(campaign: Campaign | None = None, *, actor=None) -> int:
    """Run the active rules of `campaign` (every active campaign's when None); one transaction
    per rule, so a long run never holds locks for long. Returns the links really added."""
    rules = EvidenceRule.objects.filter(is_active=True).select_related("campaign__jurisdiction", "jurisdiction")
    if campaign is not None:
        rules = rules.filter(campaign=campaign)
    else:
        rules = rules.filter(campaign__status=CampaignStatus.ACTIVE)
    return sum(rule_run(rule=rule, actor=actor) for rule in rules.order_by("campaign_id", "id"))


def last_synced(campaign: Campaign):
    return EvidenceRule.objects.filter(campaign=campaign).aggregate(last=Max("synced_at"))["last"]


def sync_running(campaign: Campaign) -> bool:
    """A 立即关联 was asked for and no rule has finished since."""
    requested = shared_cache().get(sync_requested_key(campaign.pk))
    if requested is None:
        return False
    if not EvidenceRule.objects.filter(campaign=campaign, is_active=True).exists():
        return False
    synced = last_synced(campaign)
    return synced is None or synced < requested


def sync_request(*, actor, campaign: Campaign) -> None:
    """Queue one campaign's run (立即关联): only whoever manages the campaign (its own subtree).
    Audited as campaigns.campaign.ledger_sync_requested; the page polls until a rule's synced_at moves."""
    from .common import ensure_manages

    ensure_manages(actor, campaign, EvidenceLink, "add")
    shared_cache().set(sync_requested_key(campaign.pk), timezone.now(), 3600)
    audit_record(actor=actor, obj=campaign, action="campaigns.campaign.ledger_sync_requested")
    transaction.on_commit(lambda: campaign_evidence_sync_one.delay(campaign.pk))


def locked_sync(campaign: Campaign | None = None) -> int:
    """`evidence_sync` under the shared-cache lock of its scope; 0 (and nothing done) when
    another run of the same scope holds it."""
    cache, key = shared_cache(), lock_key(campaign.pk if campaign is not None else None)
    if not cache.add(key, timezone.now().isoformat(), timeout=LOCK_TIMEOUT):
        return 0
    try:
        return evidence_sync(campaign)
    finally:
        cache.delete(key)


@shared_task(name="apps.campaigns.tasks.campaign_evidence_sync", soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
@beat_singleton
def campaign_evidence_sync() -> int:
    """Hourly (beat): every active rule of every active campaign (skipped while a run is going)."""
    return locked_sync()


@shared_task(
    name="apps.campaigns.tasks.campaign_evidence_sync_one", soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT
)
def campaign_evidence_sync_one(campaign_id: int) -> int:
    """One campaign's rules, queued by the 立即关联 button (skipped while its run is going)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return locked_sync(campaign) if campaign is not None else 0
