"""What cases offer the ledger: closed cases as evidence records, and the two case figures."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone

from apps.cases.categories import ensure_categories
from apps.cases.evidence import CLOSED_CASES, closure_rate, on_time_rate
from apps.cases.models import Case, Category
from apps.core.evidence import EvidenceQuery, figures, sources

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def make(
    org,
    n,
    *,
    day=date(2026, 7, 1),
    where=None,
    status="closed",
    on_time=True,
    category="exposed_garbage",
    deadline_days=2,
):
    ensure_categories()
    cat = Category.objects.get(code=category)
    return Case.objects.create(
        code=f"T-{n}",
        category=cat,
        jurisdiction=where or org.comm_a1,
        status=status,
        created_at=_at(day),
        registered_at=_at(day),
        dispatched_at=_at(day),
        deadline_at=_at(day) + timedelta(days=deadline_days),
        closed_at=_at(day) + timedelta(days=1) if status == "closed" else None,
        closed_on_time=on_time if status == "closed" else None,
    )


def test_registered():
    assert "cases.closed" in sources()
    assert {"cases.on_time_rate", "cases.closure_rate"} <= set(figures())


def test_records_in_path_period_and_category(org):
    inside = make(org, 1)
    make(org, 2, day=date(2026, 5, 1))  # closed before the period
    make(org, 3, where=org.comm_b1)  # other street
    make(org, 4, status="dispatched")  # not closed
    other_code = Category.objects.filter(parent__isnull=False).exclude(code="exposed_garbage").first().code
    make(org, 5, category=other_code)
    query = EvidenceQuery(jurisdiction_path=org.street_a.path, start=date(2026, 6, 1), end=date(2026, 12, 31))
    records = list(CLOSED_CASES.records(query))
    ids = {r.object_id for r in records}
    assert str(inside.pk) in ids and len(ids) == 2
    record = next(r for r in records if r.object_id == str(inside.pk))
    assert record.occurred_on == date(2026, 7, 2) and record.url == f"/cases/{inside.pk}/"
    assert record.jurisdiction_path == org.comm_a1.path
    narrowed = list(
        CLOSED_CASES.records(EvidenceQuery(org.street_a.path, date(2026, 6, 1), None, category="exposed_garbage"))
    )
    assert [r.object_id for r in narrowed] == [str(inside.pk)]
    # a 大类 code takes its 小类
    parent = Category.objects.get(code="exposed_garbage").parent
    if parent is not None:
        assert str(inside.pk) in {
            r.object_id for r in CLOSED_CASES.records(EvidenceQuery(org.street_a.path, category=parent.code))
        }
    assert "exposed_garbage" in dict(CLOSED_CASES.categories())


def test_records_query_count_does_not_grow(org, django_assert_max_num_queries):
    for n in range(60):
        make(org, n)
    with django_assert_max_num_queries(2):
        assert len(list(CLOSED_CASES.records(EvidenceQuery(org.street_a.path)))) == 60


def test_files_are_a_docx_per_case(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make(org, 1)
    files = CLOSED_CASES.files([str(case.pk)])
    docx = files[str(case.pk)][0]
    assert docx.name.endswith("整改记录.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(docx.read())).paragraphs)
    assert "T-1" in text and "整改前照片" in text


def test_on_time_and_closure_rate_hand_computed(org):
    # due: 4 closed + 1 overdue open = 5; closed on time 3 -> 60.0 %; closed 4 -> 80.0 %
    make(org, 1)
    make(org, 2)
    make(org, 3)
    make(org, 4, on_time=False)
    make(org, 5, status="dispatched", deadline_days=1)  # deadline passed long ago: due, not closed
    make(org, 6, where=org.comm_b1, on_time=False)  # another street: not counted
    start, end = date(2026, 6, 1), date(2026, 7, 31)
    value = on_time_rate(org.street_a.path, start, end)
    assert (value.value, value.numerator, value.denominator) == (Decimal("60.0"), 3, 5)
    assert value.url.startswith("/cases/statistics/?") and f"jurisdiction={org.street_a.pk}" in value.url
    assert closure_rate(org.street_a.path, start, end).value == Decimal("80.0")
    assert on_time_rate(org.street_a.path, date(2025, 1, 1), date(2025, 1, 31)).value is None


def test_records_page_look_up_and_search(org):
    made = [make(org, n, day=date(2026, 7, n)) for n in range(1, 6)]  # T-5 the newest
    ids = [str(case.pk) for case in reversed(made)]
    query = EvidenceQuery(org.street_a.path)
    pages = [
        [r.object_id for r in CLOSED_CASES.records(replace(query, offset=offset, limit=2))] for offset in (0, 2, 4)
    ]
    assert pages == [ids[:2], ids[2:4], ids[4:]]  # stable, newest first, nothing skipped
    # one record looked up directly, however many newer ones there are; still inside the area
    assert [r.object_id for r in CLOSED_CASES.records(replace(query, object_ids=(ids[-1],), limit=1))] == [ids[-1]]
    assert list(CLOSED_CASES.records(EvidenceQuery(org.street_b.path, object_ids=(ids[-1],)))) == []
    assert [r.object_id for r in CLOSED_CASES.records(replace(query, search="T-3"))] == [str(made[2].pk)]


def test_record_docx_in_the_working_language(org, settings, tmp_path):
    from django.utils import translation
    from docx import Document

    settings.MEDIA_ROOT = tmp_path
    case = make(org, 1)
    with translation.override("en"):  # an English session on a Chinese deployment: Chinese binder
        docx = CLOSED_CASES.files([str(case.pk)])[str(case.pk)][0]
        text = "\n".join(p.text for p in Document(BytesIO(docx.read())).paragraphs)
    assert docx.name.endswith("整改记录.docx") and "案件编号：T-1" in text
    settings.LANGUAGE_CODE = "en"
    docx = CLOSED_CASES.files([str(case.pk)])[str(case.pk)][0]
    text = "\n".join(p.text for p in Document(BytesIO(docx.read())).paragraphs)
    assert docx.name == "T-1-Rectification record.docx"
    assert "Case number: T-1" in text and "Photos before rectification" in text and "：" not in text
