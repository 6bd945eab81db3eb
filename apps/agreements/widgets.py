"""Home panels: agreements awaiting signature and expiring (desks of the issuing areas), and the
generation jobs I started that are running or just finished. A couple of queries each."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .choices import AgreementStatus, JobStatus
from .models import Agreement, GenerationJob


def agreements_due(request) -> dict | None:
    user = request.user
    if not user.can("agreements.agreement", "change"):
        return None
    today = timezone.localdate()
    horizon = today + timedelta(days=settings.AGREEMENT_REMIND_DAYS)
    counts = (
        Agreement.objects.restrict(user)
        .filter(is_latest=True)
        .aggregate(
            pending=Count("pk", filter=Q(status=AgreementStatus.GENERATED)),
            expiring=Count("pk", filter=Q(status=AgreementStatus.SIGNED, ends_on__gte=today, ends_on__lte=horizon)),
            expired=Count("pk", filter=Q(status=AgreementStatus.EXPIRED)),
        )
    )
    if not any(counts.values()):
        return None
    base = reverse("agreements:agreement_list") + "?"
    return {
        **counts,
        "pending_url": base + urlencode({"status": AgreementStatus.GENERATED, "standing": "pending"}),
        "expiring_url": base + urlencode({"expiring": "1"}),
        "expired_url": base + urlencode({"standing": "expired"}),
        "coverage_url": reverse("agreements:coverage"),
    }


def my_jobs(request) -> dict | None:
    user = request.user
    if not user.can("agreements.generationjob", "add"):
        return None
    since = timezone.now() - timedelta(days=2)
    rows = list(
        GenerationJob.objects.restrict(user)
        .filter(Q(status__in=[JobStatus.PENDING, JobStatus.RUNNING]) | Q(finished_at__gte=since), created_by=user)
        .select_related("agreement_type", "jurisdiction")
        .order_by("-created_at")[:5]
    )
    return {"rows": rows} if rows else None
