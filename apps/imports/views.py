from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.core.exceptions import DomainError
from apps.core.registry import registry
from apps.core.views_base import get_scoped_or_404, requires
from apps.documents.xlsx import write_xlsx

from . import services
from .jobs import row_count
from .models import DataJob
from .template_book import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SYNC_EXPORT_LIMIT = 2000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


def _importable(user) -> list:
    return [spec for spec in registry.imports().values() if user.can(spec.model._meta.label_lower, "add")]


@requires("imports.datajob")
def job_list(request):
    jobs = DataJob.objects.restrict(request.user).select_related("created_by")[:50]
    return TemplateResponse(request, "imports/job_list.html", {"jobs": jobs, "sources": _importable(request.user)})


@login_required
def import_start(request, source):
    spec = registry.imports().get(source)
    if spec is None:
        raise Http404
    if not request.user.can(spec.model._meta.label_lower, "add"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_start(actor=request.user, source=source, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("imports:job_detail", pk=job.pk)
    return TemplateResponse(
        request,
        "imports/import_start.html",
        {"form": form, "spec": spec, "columns": spec().columns()},
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request, source):
    spec = registry.imports().get(source)
    if spec is None:
        raise Http404
    if not request.user.can(spec.model._meta.label_lower, "add"):
        raise PermissionDenied
    response = HttpResponse(template_workbook(spec, request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="template-{source}.xlsx"'
    return response


@login_required
def job_detail(request, pk):
    job = get_scoped_or_404(DataJob, request.user, pk)
    template = "imports/_job_progress.html" if request.htmx else "imports/job_detail.html"
    return TemplateResponse(request, template, {"job": job})


@login_required
def job_download(request, pk):
    job = get_scoped_or_404(DataJob, request.user, pk)
    if not job.output_file:
        raise Http404
    return FileResponse(
        job.output_file.open("rb"), as_attachment=True, filename=job.output_file.name.rsplit("/", 1)[-1]
    )


def export_start(request, *, source: str, filters: dict, rows):
    """Small exports download at once; large ones run in the background with progress."""
    if row_count(rows) <= SYNC_EXPORT_LIMIT:
        content = write_xlsx(rows, registry.exports()[source].columns())
        response = HttpResponse(content, content_type=XLSX)
        name = f"{source}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    job = services.export_job_start(actor=request.user, source=source, filters=filters)
    return redirect("imports:job_detail", pk=job.pk)
