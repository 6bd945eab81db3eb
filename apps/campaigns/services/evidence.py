"""Writes of the evidence ledger (台账): rules, manual links and unlinks, uploads and superseding.

Who may do what (apps/campaigns/entries.py POLICY):
- rules: whoever manages the campaign (its own subtree: the office for a district campaign);
- linking a record, unlinking: managers (office, street, community) for pieces inside their area;
- uploading: managers of the area, and grid workers / unit contacts for tasks assigned to them.
Every write is atomic and audited; nothing is deleted (an unlink keeps the row inactive, a
superseded file stays in the document's history).
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.evidence import EvidenceQuery, sources
from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.permissions import ensure_role_allows
from apps.core.roles import Role
from apps.documents.uploads import EXTENSIONS, check_document
from apps.standards.models import EvidenceRequirement, StandardItem

from ..areas import area_path, user_area
from ..choices import EvidenceKind
from ..models import Campaign, EvidenceDocument, EvidenceLink, EvidenceRule, Task
from ..workflow import given_to
from .common import ensure_manages, ensure_sees

UPLOAD_SOURCE = "campaigns.upload"
MANAGER_ROLES = {Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY}
RULE_FIELDS = ["item", "requirement", "source", "category", "tag", "starts_on", "ends_on", "jurisdiction", "is_active"]


class EvidenceError(DomainError):
    """A ledger write refused for a reason the person can fix."""


# Areas ---------------------------------------------------------------------------------------


def actor_area_path(actor, campaign: Campaign) -> str:
    """The path of the part of the campaign the actor works in (apps/campaigns/areas.py): their
    own subtree inside the campaign's, or the whole campaign for people above it.
    OutsideJurisdiction when they have no territory in it (other areas, unit contacts)."""
    path = area_path(actor, campaign)
    if path is None:
        raise OutsideJurisdiction()
    return path


def _check_item(campaign: Campaign, item: StandardItem, requirement: EvidenceRequirement | None) -> None:
    if item.version_id != campaign.standard_version_id:
        raise EvidenceError(_("该标准小项不属于本项目的对照标准。"))
    if requirement is not None and requirement.item_id != item.pk:
        raise EvidenceError(_("资料要求不属于该标准小项。"))


def _source(key: str):
    source = sources().get(key)
    if source is None:
        raise EvidenceError(_("未知的数据来源。"))
    return source


def _check_choice(value: str, choices, label: str) -> None:
    if value and value not in {str(key) for key, _label in choices}:
        raise EvidenceError(_("「{label}」的值无效。").format(label=label))


# Rules ---------------------------------------------------------------------------------------


def _validate_rule(rule: EvidenceRule) -> None:
    _check_item(rule.campaign, rule.item, rule.requirement)
    source = _source(rule.source)
    _check_choice(rule.category, source.categories(), _("类别"))
    _check_choice(rule.tag, source.tags(), _("标签"))
    if rule.jurisdiction_id and not rule.jurisdiction.path.startswith(rule.campaign.jurisdiction.path):
        raise EvidenceError(_("规则的辖区必须在创建项目的辖区之内。"))
    if rule.starts_on and rule.ends_on and rule.ends_on < rule.starts_on:
        raise EvidenceError(_("截止日期不能早于起始日期。"))


@transaction.atomic
def rule_create(
    *,
    actor,
    campaign: Campaign,
    item: StandardItem,
    source: str,
    requirement: EvidenceRequirement | None = None,
    category: str = "",
    tag: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    jurisdiction=None,
) -> EvidenceRule:
    """A rule linking `source` records to `item`; the period and area default to the campaign's
    (kept empty, so a later change of the campaign's dates applies). Audited."""
    ensure_manages(actor, campaign)
    rule = EvidenceRule(
        campaign=campaign,
        item=item,
        requirement=requirement,
        source=source,
        category=category,
        tag=tag,
        starts_on=starts_on,
        ends_on=ends_on,
        jurisdiction=jurisdiction,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate_rule(rule)
    rule.save()
    audit_record(actor=actor, obj=rule, action="campaigns.evidencerule.created", data={"source": source})
    return rule


@transaction.atomic
def rule_update(*, actor, rule: EvidenceRule, **changes) -> EvidenceRule:
    """Change a rule's fields (those of RULE_FIELDS); links it already made stay. Audited."""
    ensure_manages(actor, rule.campaign)
    locked = EvidenceRule.objects.select_for_update().get(pk=rule.pk)
    before = {name: str(getattr(locked, name)) for name in changes if name in RULE_FIELDS}
    for name, value in changes.items():
        if name not in RULE_FIELDS:
            raise TypeError(name)
        setattr(locked, name, value)
    _validate_rule(locked)
    locked.save()
    after = {name: str(getattr(locked, name)) for name in before}
    changed = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changed:
        audit_record(actor=actor, obj=locked, action="campaigns.evidencerule.updated", data={"changes": changed})
    return locked


@transaction.atomic
def evidence_rules_from_standard(*, campaign: Campaign, actor=None) -> int:
    """One rule per evidence requirement of the campaign's standard that names a registered
    source (EvidenceRequirement.source/category/tag), unless the campaign already has a rule for
    that requirement. Returns the number created."""
    ensure_manages(actor, campaign)
    registered = sources()
    existing = set(
        EvidenceRule.objects.filter(campaign=campaign, requirement__isnull=False).values_list(
            "requirement_id", "source"
        )
    )
    created = 0
    requirements = EvidenceRequirement.objects.filter(item__version_id=campaign.standard_version_id).exclude(source="")
    for requirement in requirements.select_related("item").order_by("item__sort", "sort", "id"):
        source = registered.get(requirement.source)
        if source is None or (requirement.pk, requirement.source) in existing:
            continue
        categories = {str(key) for key, _label in source.categories()}
        category = requirement.category if requirement.category in categories else ""
        tags = {str(key) for key, _label in source.tags()}
        tag = requirement.tag if requirement.tag in tags else ""
        rule = EvidenceRule.objects.create(
            campaign=campaign,
            item=requirement.item,
            requirement=requirement,
            source=requirement.source,
            category=category,
            tag=tag,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            obj=rule,
            action="campaigns.evidencerule.created",
            data={"source": rule.source, "from": "standard"},
        )
        created += 1
    return created


# Manual links --------------------------------------------------------------------------------


PICK_WINDOW = 500


def _record_query(actor, campaign: Campaign, **narrowing) -> EvidenceQuery:
    return EvidenceQuery(
        jurisdiction_path=actor_area_path(actor, campaign),
        start=campaign.starts_on,
        end=campaign.ends_on,
        **narrowing,
    )


def record_choices(
    *,
    actor,
    campaign: Campaign,
    source_key: str,
    category: str = "",
    limit: int = 200,
    search: str = "",
    exclude_ids=(),
    offset: int = 0,
) -> tuple[list, int | None]:
    """The records of a source the actor may link to this campaign: inside their area of the
    campaign and the campaign's period, newest first, narrowed by `search` (code or title).

    Records whose id is in `exclude_ids` (those already in the item's ledger) are skipped
    before the limit: the source is read window by window (PICK_WINDOW records) from `offset`
    until `limit` choices are found, so a long run of linked records never hides older ones.
    Returns the choices and the offset to read on from (None when the source has no more)."""
    source = _source(source_key)
    query = _record_query(actor, campaign, category=category, search=(search or "").strip()[:100])
    skip = {str(pk) for pk in exclude_ids}
    choices: list = []
    position = max(offset, 0)
    while True:
        window = list(source.records(replace(query, offset=position, limit=PICK_WINDOW)))
        for record in window:
            position += 1
            if record.object_id in skip:
                continue
            choices.append(record)
            if len(choices) == limit:
                return choices, position
        if len(window) < PICK_WINDOW:
            return choices, None


def record_lookup(*, actor, campaign: Campaign, source_key: str, object_id: str):
    """The one record `object_id` of a source, if the actor may link it (their area of the
    campaign, the campaign's period), else None. Looked up directly, however old it is."""
    source = _source(source_key)
    query = _record_query(actor, campaign, object_ids=(str(object_id),), limit=1)
    return next((r for r in source.records(query) if r.object_id == str(object_id)), None)


def _ensure_may_link(actor, campaign: Campaign) -> None:
    ensure_sees(actor, campaign, EvidenceLink, "add")
    if actor is not None and actor.role not in MANAGER_ROLES:
        ensure_role_allows(actor, EvidenceLink, "change")


@transaction.atomic
def evidence_link(
    *,
    actor,
    campaign: Campaign,
    item: StandardItem,
    source: str,
    object_id: str,
    requirement: EvidenceRequirement | None = None,
) -> EvidenceLink:
    """File one record under an item by hand. The record must be one the actor could pick
    (their area of the campaign, the campaign's period); a record unlinked before is linked
    again (the same row, active again). Audited as campaigns.evidencelink.linked."""
    _ensure_may_link(actor, campaign)
    _check_item(campaign, item, requirement)
    record = record_lookup(actor=actor, campaign=campaign, source_key=source, object_id=object_id)
    if record is None:
        raise EvidenceError(_("找不到该记录，或它不在您的辖区和项目期间之内。"))
    link = (
        EvidenceLink.objects.select_for_update()
        .filter(campaign=campaign, item=item, source=source, object_id=record.object_id)
        .first()
    )
    if link is not None and link.is_active:
        raise EvidenceError(_("该记录已在本小项的台账中。"))
    if link is None:
        link = EvidenceLink(campaign=campaign, item=item, source=source, object_id=record.object_id)
    link.requirement = requirement
    link.kind = EvidenceKind.LINKED
    link.title = record.title[:255]
    link.occurred_on = record.occurred_on
    link.jurisdiction_path = record.jurisdiction_path
    link.url = record.url[:255]
    link.added_at = timezone.now()
    link.added_by = actor if getattr(actor, "pk", None) else None
    link.is_active = True
    link.save()
    audit_record(actor=actor, obj=link, action="campaigns.evidencelink.linked", data={"source": source})
    return link


@transaction.atomic
def evidence_unlink(*, actor, link: EvidenceLink) -> EvidenceLink:
    """Take a piece out of the ledger: the row stays (inactive) and the timeline shows it struck
    through; a rule never brings it back. Only managers of the piece's area. Audited."""
    if actor is not None:
        ensure_role_allows(actor, EvidenceLink, "change")
        if not EvidenceLink.objects.restrict(actor, "change").filter(pk=link.pk).exists():
            raise OutsideJurisdiction()
    locked = EvidenceLink.objects.select_for_update().get(pk=link.pk)
    if not locked.is_active:
        raise EvidenceError(_("该资料已移出台账。"))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    audit_record(actor=actor, obj=locked, action="campaigns.evidencelink.unlinked", data={"title": locked.title})
    return locked


# Uploads -------------------------------------------------------------------------------------


def _upload_area(actor, campaign: Campaign, task: Task | None):
    """Where an upload belongs: the task's area, else the actor's own area within the campaign."""
    if task is not None:
        return task.jurisdiction
    return user_area(actor, campaign) or campaign.jurisdiction


def _ensure_may_upload(actor, campaign: Campaign, task: Task | None, area) -> None:
    ensure_sees(actor, campaign, EvidenceDocument, "add")
    if actor is None or actor.role == Role.ADMIN:
        return
    if task is not None and given_to(task, actor):
        return
    if actor.role not in MANAGER_ROLES or not actor.jurisdiction_id:
        raise OutsideJurisdiction()
    if not area.path.startswith(actor.jurisdiction.path):
        raise OutsideJurisdiction()


def _stored_name(content_type: str, original: str) -> str:
    extension = EXTENSIONS.get(content_type, "")
    if content_type == "application/x-ole-storage" and original.lower().endswith(".xls"):
        extension = ".xls"
    return f"evidence{extension}"


def _digest(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _document(*, actor, campaign, item, requirement, task, title, occurred_on, upload, area, supersedes=None):
    content_type = check_document(upload)
    original = (getattr(upload, "name", "") or "")[-255:]
    document = EvidenceDocument(
        campaign=campaign,
        item=item,
        requirement=requirement,
        task=task,
        jurisdiction=area,
        title=title,
        occurred_on=occurred_on,
        original_name=original.rsplit("/", 1)[-1],
        content_type=content_type,
        size=upload.size,
        sha256=_digest(upload),
        uploaded_by=actor,
        supersedes=supersedes,
    )
    document.file.save(_stored_name(content_type, original), upload, save=False)
    with _discard_on_error(document):
        document.full_clean(exclude=["file"])
        document.save()
    return document


@contextmanager
def _discard_on_error(document: EvidenceDocument):
    """The file is in storage before its row commits: when a step of the write fails (and the
    service's transaction rolls back) the stored file is deleted, so no orphan stays behind."""
    try:
        yield
    except BaseException:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise


def _check_title(title: str, occurred_on) -> None:
    if not (title or "").strip():
        raise EvidenceError(_("请填写资料名称。"))
    if occurred_on is None:
        raise EvidenceError(_("请填写资料日期。"))
    if occurred_on > timezone.localdate():
        raise EvidenceError(_("资料日期不能晚于今天。"))


@transaction.atomic
def evidence_upload(
    *,
    actor,
    campaign: Campaign,
    item: StandardItem,
    requirement: EvidenceRequirement | None,
    title: str,
    occurred_on: date,
    upload,
    task: Task | None = None,
) -> EvidenceDocument:
    """Store an uploaded file (checked by content and size) as an EvidenceDocument and file it
    under the item (an EvidenceLink of source campaigns.upload). The area is the task's, else
    the actor's own inside the campaign. Audited as campaigns.evidencedocument.uploaded."""
    _check_item(campaign, item, requirement)
    if task is not None and (task.campaign_id != campaign.pk):
        raise EvidenceError(_("任务不属于本项目。"))
    area = _upload_area(actor, campaign, task)
    _ensure_may_upload(actor, campaign, task, area)
    _check_title(title, occurred_on)
    document = _document(
        actor=actor,
        campaign=campaign,
        item=item,
        requirement=requirement,
        task=task,
        title=title.strip(),
        occurred_on=occurred_on,
        upload=upload,
        area=area,
    )
    with _discard_on_error(document):
        _upload_link(actor, campaign, item, requirement, document, occurred_on, area)
    return document


def _upload_link(actor, campaign, item, requirement, document, occurred_on, area) -> None:
    EvidenceLink.objects.create(
        campaign=campaign,
        item=item,
        requirement=requirement,
        kind=EvidenceKind.UPLOAD,
        source=UPLOAD_SOURCE,
        object_id=str(document.pk),
        title=document.title,
        occurred_on=occurred_on,
        jurisdiction_path=area.path,
        url=document.get_absolute_url(),
        document=document,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        obj=document,
        action="campaigns.evidencedocument.uploaded",
        data={"title": document.title, "size": document.size, "sha256": document.sha256},
    )


@transaction.atomic
def document_supersede(
    *, actor, document: EvidenceDocument, upload, title: str = "", occurred_on: date | None = None
) -> EvidenceDocument:
    """A new file replaces `document`: the old one stays (is_current false, still downloadable
    from the history) and the ledger's link moves to the new one. Audited on both."""
    locked = EvidenceDocument.objects.select_for_update().get(pk=document.pk)
    if not locked.is_current:
        raise EvidenceError(_("只能替换现行版本。"))
    campaign, task = locked.campaign, locked.task
    _ensure_may_upload(actor, campaign, task, locked.jurisdiction)
    title = (title or locked.title).strip()
    occurred_on = occurred_on or locked.occurred_on
    _check_title(title, occurred_on)
    new = _document(
        actor=actor,
        campaign=campaign,
        item=locked.item,
        requirement=locked.requirement,
        task=task,
        title=title,
        occurred_on=occurred_on,
        upload=upload,
        area=locked.jurisdiction,
        supersedes=locked,
    )
    with _discard_on_error(new):
        _supersede_rest(actor, locked, new, occurred_on)
    return new


def _supersede_rest(actor, locked: EvidenceDocument, new: EvidenceDocument, occurred_on) -> None:
    locked.is_current = False
    locked.version += 1
    locked.save(update_fields=["is_current", "version", "updated_at"])
    EvidenceLink.objects.filter(document=locked).update(
        document=new, object_id=str(new.pk), title=new.title, occurred_on=occurred_on, url=new.get_absolute_url()
    )
    audit_record(
        actor=actor,
        obj=new,
        action="campaigns.evidencedocument.superseded",
        data={"supersedes": locked.pk, "size": new.size, "sha256": new.sha256},
    )
