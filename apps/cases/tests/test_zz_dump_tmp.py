import pytest
from datetime import date, datetime
from io import BytesIO
from django.utils import timezone
from docx import Document
from apps.cases.models import Case
from apps.cases import services
from apps.cases.documents import rectification_notice_docx, supervision_notice_docx
from apps.cases.tests.test_documents import dispatched_case, text_of

pytestmark = pytest.mark.django_db

def test_dump(org, cats):
    case = dispatched_case(org, cats, photos=3)
    data = rectification_notice_docx(case, office_name="甲街道创卫办")
    open("/tmp/notice.docx", "wb").write(data)
    print(text_of(Document(BytesIO(data))))
    Case.objects.filter(pk=case.pk).update(deadline_at=timezone.make_aware(datetime(2026, 11, 24, 17, 30)))
    services.cases_escalate(now=timezone.make_aware(datetime(2026, 11, 30, 9, 0)))
    data = supervision_notice_docx(case, office_name="甲街道创卫办", now=timezone.make_aware(datetime(2026, 11, 30, 10, 0)))
    open("/tmp/supervision.docx", "wb").write(data)
    print(text_of(Document(BytesIO(data))))
