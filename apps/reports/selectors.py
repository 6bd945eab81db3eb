"""Reads of the generated documents: the list, the draft page's context, the figures a part may
quote, the inconsistencies that block export, the PDFs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.evidence import figures as registered_figures
from apps.core.filters import parse_strict_int
from apps.core.selectors import audit_events_for
from apps.documents.docx import chinese_date
from apps.organization.models import Jurisdiction

from . import generator, services
from .choices import FileStatus, Language, ReportKind, ReportStatus
from .models import Report


class BadFilter(ValueError):
    pass


def own_jurisdictions(user) -> QuerySet[Jurisdiction]:
    """Where `user` may draft documents: their own jurisdiction (any for the admin)."""
    if not user.can("reports.report", "add"):
        return Jurisdiction.objects.none()
    qs = Jurisdiction.objects.restrict(user, "view").select_related("level").order_by("depth", "path")
    return qs if user.role == "admin" else qs.filter(pk=user.jurisdiction_id)


def report_list(*, user, params) -> tuple[QuerySet[Report], dict]:
    qs = Report.objects.restrict(user).select_related("jurisdiction", "created_by").order_by("-period_end", "-id")
    filters = {}
    kind = params.get("kind", "")
    if kind:
        if kind not in ReportKind.values:
            raise BadFilter(_("未知的文种。"))
        qs, filters["kind"] = qs.filter(kind=kind), kind
    status = params.get("status", "")
    if status:
        if status not in ReportStatus.values:
            raise BadFilter(_("未知的状态。"))
        qs, filters["status"] = qs.filter(status=status), status
    if params.get("jurisdiction"):
        try:
            node_id = parse_strict_int(params["jurisdiction"], label=_("辖区"), min_value=1)
        except ValidationError:
            raise BadFilter(_("辖区编号无效。")) from None
        node = Jurisdiction.objects.restrict(user, "view").filter(pk=node_id).first()
        if node is None:
            raise BadFilter(_("辖区不存在或不在您的管辖范围内。"))
        qs, filters["jurisdiction"] = qs.filter(jurisdiction__path__startswith=node.path), node
    return qs[:200], filters


def _quoted(parts) -> list[str]:
    """The figure keys the parts' text quotes (in order, once each)."""
    return list(dict.fromkeys(key for part in parts for key in generator.keys_in(part.text)))


def _inconsistencies(report: Report, parts) -> list:
    """The contradictions of a draft quoting the figures of `parts` (a final report was checked
    when it was signed off and is not checked again), from the values stored beside the text."""
    from .consistency import find_inconsistencies

    if report.status == ReportStatus.FINAL:
        return []
    values = {key: generator.figure_value(entry) for part in parts for key, entry in part.figures.items()}
    return find_inconsistencies(
        report.jurisdiction, report.period_start, report.period_end, _quoted(parts), values=values
    )


def blocking_inconsistencies(report: Report) -> list:
    """The contradictions among the figures the report quotes: they stop sign-off and export."""
    from .consistency import blocking

    parts = list(report.parts.all())
    return blocking(_inconsistencies(report, parts), _quoted(parts))


def report_files(report: Report) -> dict:
    """The report's PDFs, newest first, and whether the page must keep polling (one is building)."""
    files = list(report.files.select_related("created_by")[:10])
    return {"files": files, "polling": any(f.status in (FileStatus.PENDING, FileStatus.RUNNING) for f in files)}


def figure_names(part) -> list[tuple[str, str]]:
    """(label, key) of the figures a person may quote, the part's own first."""
    known = registered_figures()
    own = [key for key in generator.keys_in(part.text) if key in known]
    rest = [key for key in known if key not in own]
    return [(str(known[key].label), key) for key in own + rest]


def report_page(user, report: Report) -> dict:
    parts = list(report.parts.all())
    # The page shows the document as written, in the working language, whatever the reader's; a
    # reader of Traditional Chinese sees it converted as its Traditional .docx is.
    reader = translation.get_language()
    with translation.override(settings.LANGUAGE_CODE):
        printed = generator.document_for(report, parts)
        if reader == Language.TRADITIONAL:
            from .layout import to_traditional

            printed = to_traditional(printed)
    from .consistency import blocking

    inconsistencies = _inconsistencies(report, parts)

    context = {
        "report": report,
        "document": printed,
        "blocks": printed.numbered(),
        "signed_on": chinese_date(printed.issued_on),
        "can_edit": services.may_edit(user, report),
        "inconsistencies": inconsistencies,
        "blocking": blocking(inconsistencies, _quoted(parts)),
        "revisions": list(report.revisions.select_related("created_by")[:20]),
        **report_files(report),
        "languages": Language.choices,
        "history": audit_events_for(user=user, obj=report)[:30],
    }
    from .submissions import submission_panel

    context["submission"] = submission_panel(user, report)
    return context
