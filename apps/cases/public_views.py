"""Public pages (no login): a resident's report form and the tracking page, which shows a
case's public status only (no names, phones, notes or photos of the handling)."""

import re

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core import ratelimit
from apps.core.exceptions import DomainError
from apps.core.filters import invalid
from apps.photos import pending

from . import services, workflow
from .choices import CaseSource
from .forms import PublicReportForm
from .models import Case, CaseEvent
from .views import add_kept_photos, kept_photo_tokens, photos_to_show_again, picker_data, report_kwargs

# Public pages (no login) ------------------------------------------------------------------

TRACKING_CODE_MAX = Case._meta.get_field("tracking_code").max_length
TRACKING_CODE_FORMAT = re.compile(rf"[A-Z0-9]{{1,{TRACKING_CODE_MAX}}}")


def _over_public_limit(request, cost: int = 1) -> bool:
    """At most PUBLIC_REPORTS_PER_HOUR anonymous reports per address and hour, counted in the
    cache all web processes share."""
    return not ratelimit.hit(
        f"public-report:{ratelimit.client_address(request)}",
        limit=settings.PUBLIC_REPORTS_PER_HOUR,
        window_seconds=3600,
        cost=cost,
    )


def _report_cost(request) -> int:
    """Issue 9: photos cost work (each is checked and decoded), so each photo sent counts like
    one more report against PUBLIC_REPORTS_PER_HOUR: a report with 3 photos costs 4."""
    return 1 + len(request.FILES.getlist("photos"))


def public_report(request):
    """A resident reports a problem: photo, place, description, optional phone; gets a tracking code."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    kept = kept_photo_tokens(request)
    limited = request.method == "POST" and _over_public_limit(request, cost=_report_cost(request))
    if limited:
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
    elif request.method == "POST" and form.is_valid():
        add_kept_photos(request, form, kept)
        try:
            case = services.case_report(
                actor=None,
                source=CaseSource.RESIDENT,
                reporter_phone=form.cleaned_data["reporter_phone"],
                **report_kwargs(form),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            pending.discard(kept, owner=pending.owner_of(request))
            return redirect("public:public_track_code", code=case.tracking_code)
    return TemplateResponse(
        request,
        "cases/public_report.html",
        {
            "form": form,
            "picker_data": picker_data(None),
            # Over the hourly limit, or when the bots' honeypot field is filled, nothing is
            # stored or shown again, not even photos.
            "kept_photos": []
            if limited or request.POST.get("website")
            else photos_to_show_again(request, kept, keep_new=True),
        },
        status=400 if form.errors else 200,
    )


def public_track(request, code=None):
    """Public status only: no names, phones, notes or photos of the handling."""
    code = (code or request.GET.get("code", "")).strip().upper()
    filter_errors = []
    if code and not TRACKING_CODE_FORMAT.fullmatch(code):
        # Letters and digits of at most the code's length: anything else never reaches the database.
        reason = _("应为不超过 {n} 位的字母和数字").format(n=TRACKING_CODE_MAX)
        filter_errors = [str(invalid(_("查询码"), reason).message)]
    case = (
        Case.objects.filter(tracking_code=code).select_related("category").first()
        if code and not filter_errors
        else None
    )
    public_steps = []
    if case is not None:
        labels = workflow.public_steps_labels()
        public_steps = [
            (e.created_at, labels[e.action])
            for e in CaseEvent.objects.filter(case=case).order_by("created_at")
            if e.action in labels
        ]
    return TemplateResponse(
        request,
        "cases/public_track.html",
        {
            "case": case,
            "code": code,
            "steps": public_steps,
            "outcome": workflow.CASE_WORKFLOW.outcome(case.status) if case is not None else None,
            "filter_errors": filter_errors,
        },
        status=400 if filter_errors else 404 if code and case is None else 200,
    )
