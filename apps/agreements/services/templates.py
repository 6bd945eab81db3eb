"""Editing agreement templates: a version that agreements or jobs already use is never changed;
the edit becomes the template's next version (the old one stays readable)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_role_allows

from ..models import AgreementTemplate, GenerationJob, TemplateVersion
from ..text import check_body

FIELDS = ("title", "body", "duties", "term_months")


def version_in_use(version: TemplateVersion) -> bool:
    return version.agreements.exists() or GenerationJob.objects.filter(template_version=version).exists()


def _clean_duties(duties) -> str:
    """Duties given as a list or as text (one per line), stored one per line."""
    lines = duties.splitlines() if isinstance(duties, str) else (duties or [])
    cleaned = [str(d).strip() for d in lines if str(d).strip()]
    if not cleaned:
        raise DomainError(_("请至少填写一项责任内容。"))
    if len(cleaned) > 30 or any(len(d) > 200 for d in cleaned):
        raise DomainError(_("责任内容最多 30 项，每项最多 200 字。"))
    return "\n".join(cleaned)


@transaction.atomic
def template_save(*, actor, template: AgreementTemplate, data: dict, expected_version: int | None) -> TemplateVersion:
    """Save `data` (title, body, duties, term_months) as the template's text.

    Locks the template row and checks its version (stale → ConcurrentEdit). When the current
    version is used by an agreement or a job, a new version is made and becomes current;
    otherwise the current version is edited in place. Audited with the version number."""
    ensure_role_allows(actor, AgreementTemplate, "change")
    locked = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    unknown = check_body(data["body"])
    if unknown:
        raise DomainError(_("正文中有不认识的占位符：{names}").format(names="、".join(unknown)))
    values = {
        "title": data["title"].strip(),
        "body": data["body"],
        "duties": _clean_duties(data["duties"]),
        "term_months": int(data["term_months"]),
    }
    if not values["title"]:
        raise DomainError(_("请填写标题。"))
    if not 1 <= values["term_months"] <= 120:
        raise DomainError(_("期限应为 1 至 120 个月。"))
    current = locked.current_version
    if current is not None and all(getattr(current, f) == values[f] for f in FIELDS):
        return current
    if current is None or version_in_use(current):
        number = (current.number + 1) if current else 1
        version = TemplateVersion(template=locked, number=number, created_by=actor, **values)
        version.full_clean()
        version.save()
        action = "agreements.template.versioned"
    else:
        version = current
        for name, value in values.items():
            setattr(version, name, value)
        version.full_clean()
        version.save(update_fields=list(FIELDS))
        action = "agreements.template.updated"
    locked.current_version = version
    locked.version += 1
    locked.save(update_fields=["current_version", "version", "updated_at"])
    audit_record(actor=actor, obj=locked, action=action, data={"number": version.number, "title": version.title})
    return version
