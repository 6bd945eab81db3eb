"""Views: bulk generation — the jobs with the form that starts one, a job's progress (polled with
HTMX) and the batch .docx of what it generated (one agreement per page)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.views_base import get_scoped_or_404, requires
from apps.documents.docx import docx_response

from ..documents import BATCH_LIMIT, batch_docx
from ..forms import GenerateForm
from ..models import Agreement, GenerationJob
from ..selectors import job_list as select_jobs
from ..services.generation import generation_start

JOB = "agreements.generationjob"


def _list_page(request, form, status=200):
    context = {"jobs": select_jobs(user=request.user)[:50], "form": form}
    return TemplateResponse(request, "agreements/job_list.html", context, status=status)


@requires(JOB)
def job_list(request):
    form = GenerateForm(user=request.user) if request.user.can(JOB, "add") else None
    return _list_page(request, form)


@require_POST
@requires(JOB, "add")
def job_start(request):
    form = GenerateForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = generation_start(
                actor=request.user,
                agreement_type=data["agreement_type"],
                jurisdiction=data["jurisdiction"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
            )
        except PermissionDeniedForRole:
            form.add_error(None, _("您没有生成责任书的权限。"))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect(job)
    return _list_page(request, form, status=400)


def _job(request, pk):
    queryset = GenerationJob.objects.select_related("agreement_type", "jurisdiction", "created_by", "template_version")
    return get_scoped_or_404(GenerationJob, request.user, pk, queryset=queryset)


@requires(JOB)
def job_detail(request, pk):
    job = _job(request, pk)
    template = "agreements/_job_progress.html" if request.htmx else "agreements/job_detail.html"
    return TemplateResponse(request, template, {"job": job, "batch_limit": BATCH_LIMIT})


@requires(JOB)
def job_docx(request, pk):
    job = _job(request, pk)
    rows = (
        Agreement.objects.restrict(request.user)
        .filter(job=job)
        .select_related("template_version", "jurisdiction", "zone")
        .order_by("party_path", "party_name", "pk")
    )
    if rows.count() > BATCH_LIMIT:
        messages.error(request, _("本批超过 {n} 份，请按社区分别生成后再打印。").format(n=BATCH_LIMIT))
        return redirect(job)
    return docx_response(batch_docx(rows.iterator(chunk_size=500)), _("批量责任书-{n}.docx").format(n=job.pk))
