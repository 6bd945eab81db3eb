"""Writes of mock assessments (模拟考核): create with a reproducible sample of places to visit,
score item by item, submit (评分中 → 已完成, on the core workflow engine), turn the weakest
items into tasks."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope
from apps.core.services import tracked_create

from .. import scoring
from ..choices import MockStatus, TaskOrigin
from ..models import Campaign, MockAssessment, MockScore, Task
from ..selectors.ledger import campaign_items
from ..selectors.mock import mock_marks, sample_candidates
from ..workflow import ASSESSORS, MOCK_WORKFLOW
from .assessment import campaign_item
from .common import ensure_area, ensure_sees
from .tasks import task_create

MAX_SAMPLE = 50
RECENT_CASE_DAYS = 90

MOCK_FIELDS = ["campaign", "jurisdiction", "conducted_on", "seed", "note"]


def _plain(score) -> str:
    return "" if score is None else f"{score:f}"


def draw_sample(candidates: dict[str, list[dict]], size: int, seed: int) -> list[dict]:
    """Pick `size` places reproducibly: each kind's candidates (in a stable order) are shuffled
    by `random.Random(seed)`, then the kinds take turns (unit, 小区/社区, recent case, …) so a
    small sample still visits every kind."""
    rng = random.Random(seed)
    queues = []
    for kind in sorted(candidates):
        rows = sorted(candidates[kind], key=lambda row: str(row["id"]))
        rng.shuffle(rows)
        queues.append(rows)
    picked: list[dict] = []
    while len(picked) < size and any(queues):
        for queue in queues:
            if queue and len(picked) < size:
                picked.append(queue.pop(0))
    return picked


@transaction.atomic
def mock_create(
    *,
    actor,
    campaign: Campaign,
    jurisdiction,
    conducted_on: date,
    sample_size: int = 10,
    seed: int | None = None,
    note: str = "",
) -> MockAssessment:
    """A mock assessment of `campaign` over `jurisdiction` (inside the campaign's area and the
    actor's subtree), with `sample_size` places sampled from the units, the 小区/communities and
    the places of cases closed in the last 90 days that the ledger holds (seeded: the same seed
    gives the same sample). Permission: add on mockassessment (street/office assessors).
    Audited as campaigns.mockassessment.created."""
    ensure_sees(actor, campaign, MockAssessment, "add")
    ensure_area(actor, campaign, jurisdiction)
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise DomainError(_("抽查点位数应在1到{n}之间。").format(n=MAX_SAMPLE))
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31 - 1)
    candidates = sample_candidates(
        campaign=campaign, jurisdiction=jurisdiction, since=conducted_on - timedelta(days=RECENT_CASE_DAYS)
    )
    mock = MockAssessment(
        campaign=campaign,
        jurisdiction=jurisdiction,
        assessor=actor,
        conducted_on=conducted_on,
        seed=seed,
        sample=draw_sample(candidates, sample_size, seed),
        note=note,
    )
    return tracked_create(obj=mock, actor=actor, action="campaigns.mockassessment.created", fields=MOCK_FIELDS)


@transaction.atomic
def mock_score(
    *,
    actor,
    mock: MockAssessment,
    item,
    result: str,
    score: Decimal | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> MockScore:
    """Score one item of a mock still 评分中. Locks the mock row and checks its version (every
    score bumps it), the role (ASSESSORS) and the scope. Audited on the mock as
    campaigns.mockassessment.scored with the item's before/after."""
    locked = MockAssessment.objects.select_for_update().select_related("campaign").get(pk=mock.pk)
    if actor is not None and actor.role not in ASSESSORS:
        raise PermissionDeniedForRole()
    ensure_in_scope(actor, locked, "change")
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status != MockStatus.DRAFT:
        raise DomainError(_("模拟考核已完成，不能再修改评分。"))
    campaign_item(locked.campaign, item)
    score = scoring.resolve_score(scoring.Item(item.pk, item.code, item.kind, item.points), result, score)
    note = (note or "").strip()
    row = MockScore.objects.filter(mock=locked, item=item).first()
    before = {"result": row.get_result_display(), "score": _plain(row.score), "score_note": row.note} if row else None
    if row is None:
        row = MockScore(mock=locked, item=item)
    row.result, row.score, row.note = result, score, note
    row.full_clean()
    row.save()
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    after = {"item": item.code, "result": row.get_result_display(), "score": _plain(score), "score_note": note}
    data = {"after": after}
    if before is not None:
        data["before"] = {"item": item.code, **before}
    audit_record(actor=actor, obj=locked, action="campaigns.mockassessment.scored", data=data)
    return row


@transaction.atomic
def mock_submit(*, actor, mock: MockAssessment, expected_version: int | None = None) -> MockAssessment:
    """评分中 → 已完成: freezes the projected score, the maximum and whether the prerequisites are
    met (the same arithmetic as the live page, scoring.totals over every item of the standard;
    an item left unscored counts 0). Audited as campaigns.mockassessment.submitted."""

    def frozen(locked):
        totals = scoring.totals(mock_marks(locked))
        return {
            "projected_score": totals.score,
            "max_score": totals.max_score,
            "prerequisites_met": totals.prerequisites_met,
            "submitted_at": timezone.now(),
        }

    return MOCK_WORKFLOW.perform("submit", obj=mock, actor=actor, expected_version=expected_version, changes=frozen)


def mock_marker(mock: MockAssessment) -> str:
    """The origin note of the tasks a mock assessment created: "#<id>" (read as 来源 模拟考核：#12).
    Language-neutral, so it is also the key that keeps mock_tasks_create idempotent whatever
    language the person clicking reads."""
    return f"#{mock.pk}"


@transaction.atomic
def mock_tasks_create(*, actor, mock: MockAssessment, count: int = 3, deadline: date | None = None) -> list[Task]:
    """Tasks of the mock's area for its `count` weakest items (scoring.weakest), origin 模拟考核.
    An item that already has a task from this mock (origin note `mock_marker`) is skipped; the
    mock row is locked first, so two clicks at once cannot both create the same tasks.
    Permission: add on task, in the mock's area (task_create checks it). Audited per task and
    as campaigns.mockassessment.tasks_created."""
    ensure_sees(actor, mock.campaign, Task, "add")
    mock = (
        MockAssessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "jurisdiction")
        .get(pk=mock.pk)
    )
    campaign = mock.campaign
    if not 1 <= count <= 20:
        raise DomainError(_("任务数应在1到20之间。"))
    note = mock_marker(mock)
    done = set(
        Task.objects.filter(campaign=campaign, origin=TaskOrigin.MOCK, origin_note=note).values_list(
            "item_id", flat=True
        )
    )
    items = {item.pk: item for item in campaign_items(campaign)}
    scores = {s.item_id: s for s in mock.scores.all()}
    created = []
    for mark in scoring.weakest(mock_marks(mock)):
        if len(created) >= count:
            break
        if mark.item.id in done:
            continue
        item, row = items[mark.item.id], scores.get(mark.item.id)
        lost = _("失{lost}分").format(lost=mark.lost) if mark.item.scored else row.get_result_display()
        created.append(
            task_create(
                actor=actor,
                campaign=campaign,
                item=item,
                jurisdiction=mock.jurisdiction,
                title=_("整改 {code} {text}").format(code=item.code, text=item.text)[:200],
                description=_("模拟考核（{day}）{lost}：{note}").format(
                    day=mock.conducted_on, lost=lost, note=row.note if row else ""
                ),
                evidence_required=item.text,
                deadline=deadline,
                origin=TaskOrigin.MOCK,
                origin_note=note,
            )
        )
    if created:
        audit_record(
            actor=actor,
            obj=mock,
            action="campaigns.mockassessment.tasks_created",
            data={"after": {"tasks": [f"{t.item.code} {t.title}" for t in created]}},
        )
    return created
