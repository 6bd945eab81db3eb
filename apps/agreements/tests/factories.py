"""Test data for agreements, built through the real services on the test organisation
(tests/builders.py): shops in 甲一社区 and a finished 门前三包 generation issued by it."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.agreements.builtin import ensure_builtin
from apps.agreements.models import Agreement, AgreementType
from apps.agreements.services.generation import generation_run, generation_start
from apps.organization import services as org
from apps.organization.models import UnitType


def jpeg(name="page.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 200, 190)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def atype(code: str) -> AgreementType:
    ensure_builtin()
    return AgreementType.objects.get(code=code)


def add_shops(o, jurisdiction, count: int, prefix="店", unit_type="shop") -> list:
    kind = UnitType.objects.get(code=unit_type)
    return [
        org.unit_create(actor=None, unit_type=kind, name=f"{jurisdiction.name}{prefix}{n}", jurisdiction=jurisdiction)
        for n in range(1, count + 1)
    ]


def generate(actor, code: str, jurisdiction, starts_on=None, ends_on=None):
    """Start and run a generation at once (the on-commit enqueue never fires inside a test)."""
    job = generation_start(
        actor=actor,
        agreement_type=atype(code),
        jurisdiction=jurisdiction,
        starts_on=starts_on or timezone.localdate() - timedelta(days=10),
        ends_on=ends_on,
    )
    generation_run(job.pk)
    job.refresh_from_db()
    return job


def agreements_of(job) -> list[Agreement]:
    return list(Agreement.objects.filter(job=job).order_by("party_path", "party_name", "pk"))
