"""The ledger part of the campaigns access world: a closed case to link, a rule-made piece and an
uploaded document in 甲一社区 (the area of `o.task`). Its PDF is the demo's (one maker,
apps.campaigns.demo_ledger.pdf_bytes, which the tests import)."""

import io
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.campaigns.demo_ledger import pdf_bytes
from apps.campaigns.models import EvidenceLink
from apps.campaigns.services.evidence import evidence_upload
from apps.cases.categories import ensure_categories
from apps.cases.models import Case, Category


class _Rewinding(io.BytesIO):
    """A PDF that each request of one access row sends again from the start."""

    name = "记录.pdf"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def closed_case(o, code="LEDGER-1", day=date(2026, 7, 1), jurisdiction=None, category="exposed_garbage") -> Case:
    ensure_categories()
    at = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    return Case.objects.create(
        code=code,
        category=Category.objects.get(code=category),
        jurisdiction=jurisdiction or o.comm_a1,
        status="closed",
        created_at=at,
        registered_at=at,
        dispatched_at=at,
        deadline_at=at + timezone.timedelta(days=2),
        closed_at=at + timezone.timedelta(days=1),
        closed_on_time=True,
    )


def extend(o) -> None:
    o.ledger_case = closed_case(o)
    o.evidence_link = EvidenceLink.objects.create(
        campaign=o.campaign,
        item=o.std_item,
        kind="rule",
        source="cases.closed",
        object_id="999999",
        title="规则关联的记录",
        occurred_on=date(2026, 7, 2),
        jurisdiction_path=o.comm_a1.path,
    )
    o.evidence_document = evidence_upload(
        actor=o.community,
        campaign=o.campaign,
        item=o.std_item,
        requirement=None,
        title="领导小组成立文件",
        occurred_on=date(2026, 6, 5),
        upload=SimpleUploadedFile("成立文件.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    o.ledger_upload_data = lambda: {"title": "会议记录", "occurred_on": "2026-07-01", "file": _Rewinding(pdf_bytes())}
