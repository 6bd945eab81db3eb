"""Pages of the generated documents: the list, 生成 (a new draft), the draft page (the text with every
figure linked to its records, each part editable in place, 重新生成, 定稿, the consistency list,
versions, downloads), the .docx in three languages and the PDF built in the background.
Views parse, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.views_base import get_scoped_or_404, requires, submit_form
from apps.documents.docx import docx_response

from . import exports, generator, selectors, services
from .choices import FileStatus, Language, ReportKind
from .forms import HeaderForm, PartForm, PdfForm, ReportForm, StepForm
from .models import Report, ReportFile

REPORT = "reports.report"


def _run(request, call):
    try:
        return call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    return None


@requires(REPORT)
def report_list(request):
    try:
        rows, filters = selectors.report_list(user=request.user, params=request.GET)
    except selectors.BadFilter as error:
        messages.error(request, str(error))
        rows, filters, status = Report.objects.none(), {}, 400
    else:
        status = 200
    context = {
        "reports": rows,
        "filters": filters,
        "kinds": ReportKind.choices,
        "can_create": selectors.own_jurisdictions(request.user).exists(),
    }
    return TemplateResponse(request, "reports/report_list.html", context, status=status)


@requires(REPORT, "add")
def report_create(request):
    own = selectors.own_jurisdictions(request.user)
    if not own.exists():
        raise PermissionDenied
    today = timezone.localdate()
    kind = request.GET.get("kind") if request.GET.get("kind") in ReportKind.values else ReportKind.YEAR_SUMMARY
    start, end = generator.default_period(kind, today)
    initial = {"jurisdiction": own.first(), "kind": kind, "period_start": start, "period_end": end, "issued_on": today}
    form = ReportForm(request.POST or None, jurisdictions=own, initial=initial)
    if request.method == "POST":

        def create(data):
            first, last = data["period_start"], data["period_end"]
            if first is None or last is None:
                first, last = generator.default_period(data["kind"], today)
            return services.report_create(
                actor=request.user,
                jurisdiction=data["jurisdiction"],
                kind=data["kind"],
                period_start=first,
                period_end=last,
                addressee=data["addressee"],
                doc_number=data["doc_number"],
                office=data["office"],
                issued_on=data["issued_on"],
                number_style=data["number_style"],
            )

        report = submit_form(form, create)
        if report is not None:
            messages.success(request, _("已按记录生成草稿，可逐段修改。"))
            return redirect(report)
    status = 400 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, "reports/report_form.html", {"form": form}, status=status)


def _report(request, pk, action="view") -> Report:
    return get_scoped_or_404(
        Report, request.user, pk, action, queryset=Report.objects.select_related("jurisdiction", "finalized_by")
    )


@requires(REPORT)
def report_detail(request, pk):
    report = _report(request, pk)
    return TemplateResponse(request, "reports/report_detail.html", selectors.report_page(request.user, report))


def _owned_draft(request, pk) -> Report:
    report = _report(request, pk, "change")
    if not services.owns(request.user, report):
        raise PermissionDenied
    return report


@requires(REPORT, "change")
def part_edit(request, pk, part_pk):
    report = _owned_draft(request, pk)
    part = report.parts.filter(pk=part_pk).first()
    if part is None:
        raise Http404
    initial = {"text": generator.editable_text(part.text), "version": report.version}
    form = PartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.part_edit(
                actor=request.user,
                report=report,
                part=part,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except generator.UnknownFigures as error:
            form.add_error(
                "text", _("没有名为 {names} 的数字，请按名称选用或删除花括号。").format(names="、".join(error.names))
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("段落已保存。"))
            return redirect(f"{report.get_absolute_url()}#part-{part.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"report": report, "part": part, "form": form, "figures": selectors.figure_names(part)}
    return TemplateResponse(request, "reports/part_form.html", context, status=status)


@requires(REPORT, "change")
def header_edit(request, pk):
    report = _owned_draft(request, pk)
    fields = services.HEADER_FIELDS
    form = HeaderForm(
        request.POST or None, initial={f: getattr(report, f) for f in fields} | {"version": report.version}
    )
    if request.method == "POST":
        saved = submit_form(
            form,
            lambda d: services.header_update(
                actor=request.user,
                report=report,
                changes={f: d[f] for f in fields},
                expected_version=d["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("文头已保存。"))
            return redirect(saved)
    status = 400 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, "reports/header_form.html", {"report": report, "form": form}, status=status)


def _version(request):
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return None
    return form.cleaned_data["version"]


@require_POST
@requires(REPORT, "change")
def report_regenerate(request, pk):
    report = _owned_draft(request, pk)
    version = _version(request)
    if version is not None:
        result = _run(
            request, lambda: services.report_regenerate(actor=request.user, report=report, expected_version=version)
        )
        if result is not None:
            kept = result[1]
            message = _("已按记录更新全部数字。")
            if kept:
                message += _("修改过的段落保留原文：{parts}。").format(parts="、".join(kept))
            messages.success(request, message)
    return redirect(report)


@require_POST
@requires(REPORT, "change")
def report_finalize(request, pk):
    report = _owned_draft(request, pk)
    version = _version(request)
    if version is not None:
        blocking = selectors.blocking_inconsistencies(report)
        if _run(
            request,
            lambda: services.report_finalize(
                actor=request.user, report=report, expected_version=version, blocking=blocking
            ),
        ):
            messages.success(request, _("已定稿，文稿锁定。"))
    return redirect(report)


@requires(REPORT)
def report_docx(request, pk):
    report = _report(request, pk)
    language = request.GET.get("language", Language.SIMPLIFIED)
    if language not in Language.values:
        raise Http404
    blocking = selectors.blocking_inconsistencies(report)
    if blocking:
        messages.error(
            request, _("文稿引用的数字与其他记录矛盾（{n} 处），请先核对处理后再导出。").format(n=len(blocking))
        )
        return redirect(report)
    annex = request.GET.get("table") == "1"  # the table of figures and the chart of rates
    content = exports.report_docx(report, language, request.user, with_table=annex, with_chart=annex)
    return docx_response(content, exports.file_name(report, language, ".docx"))


@require_POST
@requires(REPORT)
def report_pdf(request, pk):
    report = _report(request, pk)
    form = PdfForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("不支持的语言。"))
        return redirect(report)
    blocking = selectors.blocking_inconsistencies(report)
    if blocking:
        messages.error(
            request, _("文稿引用的数字与其他记录矛盾（{n} 处），请先核对处理后再导出。").format(n=len(blocking))
        )
        return redirect(report)
    services.pdf_request(actor=request.user, report=report, language=form.cleaned_data["language"])
    return redirect(reverse("reports:report_detail", args=[report.pk]) + "#files")


@requires(REPORT)
def report_files(request, pk):
    """The PDF list (htmx polls it while a build runs)."""
    report = _report(request, pk)
    context = {"report": report, **selectors.report_files(report)}
    return TemplateResponse(request, "reports/_files.html", context)


@requires(REPORT)
def file_download(request, pk, file_pk):
    report = _report(request, pk)
    job = ReportFile.objects.filter(pk=file_pk, report=report, status=FileStatus.SUCCEEDED).first()
    if job is None or not job.file:
        raise Http404
    name = exports.file_name(report, job.language, ".pdf")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
