"""Evidence for binder tests: uploaded documents and links to a fake evidence source."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.files.base import ContentFile

from apps.campaigns.models import EvidenceDocument, EvidenceLink
from apps.core.evidence import EvidenceFile, EvidenceSource
from apps.core.registry import registry

PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
FAKE_KEY = "fake.sheet"


def upload(o, campaign, item, jurisdiction, title, *, name="文件.pdf", content=PDF, requirement=None, day=None):
    """An uploaded document and its link, as the ledger's upload would file them."""
    document = EvidenceDocument(
        campaign=campaign,
        item=item,
        requirement=requirement,
        jurisdiction=jurisdiction,
        title=title,
        occurred_on=day or date(2026, 7, 1),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=o.office,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    link = EvidenceLink.objects.create(
        campaign=campaign,
        item=item,
        requirement=requirement,
        kind="upload",
        source="campaigns.upload",
        object_id=str(document.pk),
        title=title,
        occurred_on=document.occurred_on,
        jurisdiction_path=jurisdiction.path,
        document=document,
        added_by=o.office,
    )
    return document, link


def record(campaign, item, jurisdiction, object_id, title, *, requirement=None, day=None, source=FAKE_KEY):
    return EvidenceLink.objects.create(
        campaign=campaign,
        item=item,
        requirement=requirement,
        kind="rule",
        source=source,
        object_id=str(object_id),
        title=title,
        occurred_on=day or date(2026, 7, 2),
        jurisdiction_path=jurisdiction.path,
    )


class FakeSource:
    """A source whose records each give a generated .docx and a photo; remembers its calls."""

    def __init__(self, files_per_record: int = 2):
        self.calls: list[list[str]] = []
        self.files_per_record = files_per_record

    def files(self, object_ids):
        self.calls.append(list(object_ids))
        out = {}
        for object_id in object_ids:
            files = [EvidenceFile(name="检查表.docx", render=lambda i=object_id: f"sheet {i}".encode())]
            if self.files_per_record > 1:
                files.append(EvidenceFile(name="整改前.jpg", render=lambda: b"\xff\xd8\xff\xe0fakejpeg"))
            out[object_id] = files
        return out

    def source(self) -> EvidenceSource:
        return EvidenceSource(key=FAKE_KEY, label="测试检查表", records=lambda query: [], files=self.files)


def register_fake(monkeypatch, fake: FakeSource) -> None:
    """Register the fake source as if an app offered it (patches campaigns' own entries)."""
    app = registry.apps["campaigns"]
    monkeypatch.setattr(app, "evidence_providers", [*app.evidence_providers, fake.source()])
