"""The demo's evidence ledger: for every campaign the demo holds, the rules its standard suggests,
a few uploaded documents (small real PDFs and PNGs) from the people who own the tasks, then one
run of the rules, so the ledger shows linked cases and inspection sheets next to the uploads."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import User
from apps.core.roles import Role
from apps.standards.models import EvidenceRequirement

from .models import Campaign, EvidenceLink, Task
from .services.evidence import evidence_rules_from_standard, evidence_upload
from .services.evidence_sync import evidence_sync

UPLOADS_PER_CAMPAIGN = 4


def pdf_bytes(lines: list[str] | str = "ledger") -> bytes:
    """A small, real one-page PDF (ASCII text: the built-in Helvetica has no Chinese glyphs).
    The tests use it too (apps/campaigns/tests/world_ledger.py)."""
    lines = [lines] if isinstance(lines, str) else lines
    text = " ".join(f"({line}) Tj T*" for line in lines)
    body = f"BT /F1 11 Tf 14 TL 40 760 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def png_bytes(label: str = "", size: tuple[int, int] = (480, 320)) -> bytes:
    """A PNG with `label` written on it (the tests use it too)."""
    image = Image.new("RGB", size, (236, 240, 244))
    ImageDraw.Draw(image).text((20, 20), label, fill=(30, 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _uploader(campaign: Campaign, task: Task | None):
    if task is not None and task.assignee_id and task.assignee.role in (Role.COMMUNITY, Role.STREET, Role.OFFICE):
        return task.assignee
    managers = User.objects.filter(is_active=True, role__in=[Role.OFFICE, Role.STREET]).select_related("jurisdiction")
    for user in managers:
        if user.jurisdiction_id and campaign.jurisdiction.path.startswith(user.jurisdiction.path):
            return user
    return User.objects.filter(is_active=True, role=Role.ADMIN).first()


def build(demo) -> None:
    for campaign in Campaign.objects.select_related("jurisdiction").order_by("id"):
        evidence_rules_from_standard(campaign=campaign, actor=None)
        if not EvidenceLink.objects.filter(campaign=campaign, source="campaigns.upload").exists():
            _uploads(demo, campaign)
        evidence_sync(campaign)


def _uploads(demo, campaign: Campaign) -> None:
    requirements = list(
        EvidenceRequirement.objects.filter(item__version_id=campaign.standard_version_id, source="")
        .select_related("item")
        .order_by("item__sort", "sort", "id")[:UPLOADS_PER_CAMPAIGN]
    )
    day = min(demo.today, campaign.ends_on)
    for number, requirement in enumerate(requirements):
        task = (
            Task.objects.filter(campaign=campaign, item=requirement.item, assignee__isnull=False)
            .select_related("assignee__jurisdiction", "jurisdiction")
            .order_by("id")
            .first()
        )
        actor = _uploader(campaign, task)
        if actor is None:
            return
        if task is not None and actor != task.assignee:
            task = None
        if number % 2:
            upload = SimpleUploadedFile(f"{requirement.name}.png", png_bytes(f"Evidence {number + 1}"), "image/png")
        else:
            lines = [f"Ledger evidence {number + 1}", f"Item {requirement.item.code}", str(day)]
            upload = SimpleUploadedFile(f"{requirement.name}.pdf", pdf_bytes(lines), "application/pdf")
        evidence_upload(
            actor=actor,
            campaign=campaign,
            item=requirement.item,
            requirement=requirement,
            task=task,
            title=requirement.name,
            occurred_on=day - timedelta(days=number * 7),
            upload=upload,
        )


def sync(demo) -> None:
    """The demo's last builder: one run of every campaign's rules (the sync behind 立即关联 and
    the hourly job), once every app has built its records, so the ledger also shows the minutes,
    agreements and activities built after `build` ran. Draws nothing from `demo.rng`."""
    for campaign in Campaign.objects.order_by("id"):
        evidence_sync(campaign)
