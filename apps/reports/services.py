"""Writes on generated documents: create (generate), edit a part, regenerate, edit the header, sign
off (定稿), and ask for a PDF. Each locks the report, refuses a stale version, keeps a revision
and writes an audit event.

Who may write: the desk staff of the report's own jurisdiction (a community's summary is its
community's, a street's the street's; the admin may act anywhere). The level above reads its
senders' drafts but does not write them; it returns a submitted report instead (submissions.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.roles import DESK_ROLES, Role

from . import generator
from .choices import FileStatus, Language, ReportKind, ReportStatus
from .models import Report, ReportFile, ReportPart, ReportRevision

HEADER_FIELDS = ["title", "addressee", "doc_number", "office", "issued_on", "number_style"]


def owns(user, report_or_node) -> bool:
    """Desk staff of the document's own jurisdiction (or the admin)."""
    node = getattr(report_or_node, "jurisdiction", report_or_node)
    if user is None or not user.is_authenticated or user.role not in DESK_ROLES:
        return False
    return user.role == Role.ADMIN or user.jurisdiction_id == node.pk


def may_edit(user, report: Report) -> bool:
    return owns(user, report) and report.status == ReportStatus.DRAFT


def _ensure_owner(user, node) -> None:
    if user.role not in DESK_ROLES:
        raise PermissionDeniedForRole()
    if not owns(user, node):
        raise OutsideJurisdiction(_("只有本辖区的工作人员可以起草和修改本辖区的文稿。"))


def _locked(report: Report, user, expected_version) -> Report:
    locked = Report.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=report.pk)
    _ensure_owner(user, locked.jurisdiction)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.status != ReportStatus.DRAFT:
        raise DomainError(_("文稿已定稿，不能修改。"))
    return locked


def _snapshot(report: Report) -> dict:
    return {
        "header": {field: str(getattr(report, field) or "") for field in HEADER_FIELDS},
        "parts": [
            {"key": p.key, "kind": p.kind, "heading": p.heading, "text": p.text, "figures": p.figures}
            for p in report.parts.all()
        ],
    }


def _revise(report: Report, user, reason: str) -> ReportRevision:
    last = report.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ReportRevision.objects.create(
        report=report, number=last + 1, reason=reason, content=_snapshot(report), created_by=user
    )


def _check_period(start, end) -> None:
    if start is None or end is None or start > end:
        raise DomainError(_("统计起始日不能晚于截止日。"))
    if (end - start).days > 366:
        raise DomainError(_("统计期不能超过一年。"))


def _part_figures(text: str, values: dict) -> dict:
    return {key: values[key] for key in generator.keys_in(text) if key in values}


@transaction.atomic
def report_create(
    *,
    actor,
    jurisdiction,
    kind: str,
    period_start,
    period_end,
    title: str = "",
    addressee: str = "",
    doc_number: str = "",
    office: str = "",
    issued_on=None,
    number_style: bool = False,
) -> Report:
    """Generate a new draft from the records of `jurisdiction`'s subtree for the period."""
    _ensure_owner(actor, jurisdiction)
    _check_period(period_start, period_end)
    if kind == ReportKind.REPORT and not addressee.strip():
        raise DomainError(_("工作汇报须填写主送机关。"))
    office = office.strip() or jurisdiction.name
    report = Report(
        jurisdiction=jurisdiction,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        title=title.strip() or generator.default_title(kind, office, period_start, period_end),
        addressee=addressee.strip(),
        doc_number=doc_number.strip(),
        office=office,
        issued_on=issued_on,
        number_style=number_style,
        created_by=actor,
        generated_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    drafts, values = _drafts(report, actor)
    ReportPart.objects.bulk_create(
        [
            ReportPart(
                report=report,
                kind=d.kind,
                key=d.key,
                heading=d.heading,
                order=d.order,
                text=d.text,
                generated=d.text,
                figures=_part_figures(d.text, values),
            )
            for d in drafts
        ]
    )
    _revise(report, actor, _("生成"))
    audit_record(
        actor=actor,
        obj=report,
        action="reports.report.created",
        data={
            "kind": str(report.get_kind_display()),
            "period": [str(period_start), str(period_end)],
            "parts": len(drafts),
        },
    )
    return report


def _drafts(report: Report, user):
    with translation.override(settings.LANGUAGE_CODE):
        return generator.draft_parts(
            report.kind, report.jurisdiction, report.period_start, report.period_end, report.office, user
        )


@transaction.atomic
def report_regenerate(*, actor, report: Report, expected_version) -> tuple[Report, list[str]]:
    """Recompute every figure from the records. Parts nobody edited are rewritten; edited parts keep
    their text and get fresh values for the figures they quote; a new section is added; a section
    that has nothing to state any more is dropped unless it was edited. Returns the headings of
    the edited parts kept."""
    locked = _locked(report, actor, expected_version)
    drafts, values = _drafts(locked, actor)
    existing = {part.key: part for part in locked.parts.all()}
    quoted = {key for part in existing.values() if part.edited for key in generator.keys_in(part.text)}
    missing = quoted - set(values)
    if missing:
        node = locked.jurisdiction
        values.update(generator.compute_figures(missing, node.path, locked.period_start, locked.period_end))
    kept = []
    wanted = {d.key for d in drafts}
    for draft in drafts:
        part = existing.get(draft.key)
        if part is None:
            ReportPart.objects.create(
                report=locked,
                kind=draft.kind,
                key=draft.key,
                heading=draft.heading,
                order=draft.order,
                text=draft.text,
                generated=draft.text,
                figures=_part_figures(draft.text, values),
            )
            continue
        if part.edited:
            kept.append(part.heading or part.get_kind_display())
        else:
            part.text = draft.text
        part.generated = draft.text
        part.heading, part.order = draft.heading, draft.order
        part.figures = _part_figures(part.text, values)
        part.save(update_fields=["text", "generated", "heading", "order", "figures"])
    for key, part in existing.items():
        if key in wanted:
            continue
        if part.edited:
            part.figures = _part_figures(part.text, values)
            part.save(update_fields=["figures"])
            kept.append(part.heading or part.get_kind_display())
        else:
            part.delete()
    locked.version += 1
    locked.generated_at = timezone.now()
    locked.save(update_fields=["version", "generated_at", "updated_at"])
    _revise(locked, actor, _("重新生成"))
    audit_record(actor=actor, obj=locked, action="reports.report.regenerated", data={"kept": kept})
    return locked, kept


@transaction.atomic
def part_edit(*, actor, report: Report, part: ReportPart, text: str, expected_version) -> ReportPart:
    """A person's text for one part ({label} or {app.key} for figures; UnknownFigures otherwise)."""
    locked = _locked(report, actor, expected_version)
    part = ReportPart.objects.select_for_update().get(pk=part.pk, report=locked)
    stored = generator.stored_text(text)
    if len(stored) > 20000:
        raise DomainError(_("段落过长（不超过 20000 字）。"))
    if stored == part.text:
        return part
    values = dict(part.figures)
    new_keys = [key for key in generator.keys_in(stored) if key not in values]
    if new_keys:
        node = locked.jurisdiction
        values.update(generator.compute_figures(new_keys, node.path, locked.period_start, locked.period_end))
    before = part.text
    part.text = stored
    part.figures = _part_figures(stored, values)
    part.save(update_fields=["text", "figures"])
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    _revise(locked, actor, _("编辑"))
    audit_record(
        actor=actor,
        obj=locked,
        action="reports.report.part_edited",
        data={"part": part.heading or part.get_kind_display(), "changes": {"text": [before, stored]}},
    )
    return part


@transaction.atomic
def header_update(*, actor, report: Report, changes: dict, expected_version) -> Report:
    locked = _locked(report, actor, expected_version)
    if locked.kind == ReportKind.REPORT and not str(changes.get("addressee", locked.addressee)).strip():
        raise DomainError(_("工作汇报须填写主送机关。"))
    before = {field: str(getattr(locked, field) or "") for field in changes}
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    after = {field: str(getattr(locked, field) or "") for field in changes}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changed:
        return locked
    locked.version += 1
    locked.save(update_fields=[*changes, "version", "updated_at"])
    _revise(locked, actor, _("修改文头"))
    audit_record(actor=actor, obj=locked, action="reports.report.updated", data={"changes": changed})
    return locked


@transaction.atomic
def report_finalize(*, actor, report: Report, expected_version, blocking: list) -> Report:
    """定稿: lock the report, signed off by its own level's desk staff. `blocking` are the
    inconsistencies of the figures it quotes (consistency.py); a report with any is refused."""
    locked = _locked(report, actor, expected_version)
    if blocking:
        raise DomainError(_("文稿引用的数字与其他记录矛盾（{n} 处），请先核对处理后再定稿。").format(n=len(blocking)))
    locked.status = ReportStatus.FINAL
    locked.finalized_by = actor
    locked.finalized_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "finalized_by", "finalized_at", "version", "updated_at"])
    revision = _revise(locked, actor, _("定稿"))
    audit_record(
        actor=actor,
        obj=locked,
        action="reports.report.finalized",
        data={"changes": {"status": [ReportStatus.DRAFT, ReportStatus.FINAL]}, "revision": revision.number},
    )
    return locked


def pdf_request(*, actor, report: Report, language: str) -> ReportFile:
    """Queue a PDF of the report's current revision (one per revision and language is kept)."""
    if language not in Language.values:
        raise DomainError(_("不支持的语言。"))
    revision = report.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    existing = (
        report.files.filter(revision=revision, language=language)
        .exclude(status=FileStatus.FAILED)
        .order_by("-id")
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        file = ReportFile.objects.create(report=report, revision=revision, language=language, created_by=actor)
        audit_record(actor=actor, obj=file, action="reports.report.pdf_requested", data={"language": language})
        transaction.on_commit(lambda: _enqueue(file.pk))
    return file


def _enqueue(file_id: int) -> None:
    from .pdf_jobs import reports_pdf_build

    reports_pdf_build.delay(file_id)
