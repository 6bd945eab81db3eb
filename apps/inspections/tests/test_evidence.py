"""What inspections offer the ledger: submitted sheets, published rankings, the average score."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest

from apps.core.evidence import EvidenceQuery, figures, sources
from apps.inspections.evidence import RANKINGS, SHEETS, average_percent
from apps.inspections.models import Inspection, PublishedRanking

pytestmark = pytest.mark.django_db


def sheet(checklist, where, day=date(2026, 7, 1), percent="80.0", status="submitted"):
    return Inspection.objects.create(
        checklist=checklist.current_version,
        target_jurisdiction=where,
        status=status,
        inspected_on=day,
        max_total=Decimal("20"),
        total=Decimal(percent) / 5,
        percent=Decimal(percent),
    )


def test_registered():
    assert {"inspections.sheet", "inspections.ranking"} <= set(sources())
    assert "inspections.average_percent" in figures()


def test_sheet_records_in_path_period_and_template(org, checklist):
    inside = sheet(checklist, org.comm_a1)
    sheet(checklist, org.comm_a1, day=date(2026, 1, 5))  # before the period
    sheet(checklist, org.comm_b1)  # other street
    sheet(checklist, org.comm_a1, status="in_progress")  # not submitted
    query = EvidenceQuery(org.street_a.path, date(2026, 6, 1), date(2026, 12, 31), category=checklist.code)
    records = list(SHEETS.records(query))
    assert [r.object_id for r in records] == [str(inside.pk)]
    assert records[0].url == f"/inspections/{inside.pk}/" and records[0].occurred_on == date(2026, 7, 1)
    assert list(SHEETS.records(EvidenceQuery(org.street_a.path, category="other-template"))) == []
    assert (checklist.code, checklist.name) in SHEETS.categories()


def test_sheet_records_query_count_does_not_grow(org, checklist, django_assert_max_num_queries):
    for _n in range(50):
        sheet(checklist, org.comm_a1)
    with django_assert_max_num_queries(2):
        assert len(list(SHEETS.records(EvidenceQuery(org.street_a.path)))) == 50


def test_sheet_docx(org, checklist):
    s = sheet(checklist, org.comm_a1)
    file = SHEETS.files([str(s.pk)])[str(s.pk)][0]
    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(file.read())).paragraphs)
    assert "检查记录" in text and "80.0" in text


def test_ranking_records(org):
    ranking = PublishedRanking.objects.create(
        jurisdiction=org.street_a,
        period_kind="month",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 7, 31),
        level_key="level:community",
        level_label="社区",
        title="7月创卫检查通报",
        issuer="甲街道创卫办",
        published_by=org.office,
    )
    records = list(RANKINGS.records(EvidenceQuery(org.street_a.path, date(2026, 6, 1), date(2026, 12, 31))))
    assert [(r.object_id, r.title, r.occurred_on) for r in records] == [
        (str(ranking.pk), "7月创卫检查通报", date(2026, 7, 31))
    ]
    assert list(RANKINGS.records(EvidenceQuery(org.street_b.path))) == []


def test_average_percent_hand_computed(org, checklist):
    sheet(checklist, org.comm_a1, percent="80.0")
    sheet(checklist, org.comm_a2, percent="91.0")
    sheet(checklist, org.comm_a2, percent="70.5")
    sheet(checklist, org.comm_b1, percent="10.0")  # other street
    value = average_percent(org.street_a.path, date(2026, 6, 1), date(2026, 7, 31))
    # (80.0 + 91.0 + 70.5) / 3 = 80.5
    assert value.value == Decimal("80.5") and value.denominator == 3
    assert value.url == (
        f"/inspections/?status=submitted&jurisdiction={org.street_a.pk}&start=2026-06-01&end=2026-07-31"
    )
    assert average_percent(org.street_a.path, date(2025, 1, 1), date(2025, 1, 2)).value is None


def test_average_percent_source_page_lists_the_same_sheets(client, org, checklist):
    counted = {
        sheet(checklist, org.comm_a1, percent="80.0").pk,
        sheet(checklist, org.comm_a2, percent="91.0").pk,
    }
    sheet(checklist, org.comm_b1, percent="10.0")  # other street
    sheet(checklist, org.comm_a1, day=date(2026, 8, 2))  # after the period
    sheet(checklist, org.comm_a1, status="planned")  # not submitted
    value = average_percent(org.street_a.path, date(2026, 6, 1), date(2026, 7, 31))
    client.force_login(org.office)
    page = client.get(value.url)
    assert page.status_code == 200
    assert {s.pk for s in page.context["rows"]} == counted
    assert value.denominator == len(counted)
    assert client.get("/inspections/?start=2026-08-01&end=2026-07-01").status_code == 400


def test_sheet_records_page_look_up_and_search(org, checklist):
    made = [sheet(checklist, org.comm_a1, day=date(2026, 7, n)) for n in range(1, 4)]
    ids = [str(s.pk) for s in reversed(made)]
    query = EvidenceQuery(org.street_a.path)
    assert [r.object_id for r in SHEETS.records(replace(query, offset=1, limit=1))] == [ids[1]]
    assert [r.object_id for r in SHEETS.records(replace(query, object_ids=(ids[2],), limit=1))] == [ids[2]]
    assert list(SHEETS.records(replace(query, search="没有这个单位"))) == []
    assert len(list(SHEETS.records(replace(query, search=org.comm_a1.name)))) == 3


def test_sheet_docx_in_an_english_deployment(org, checklist, settings):
    from docx import Document

    settings.LANGUAGE_CODE = "en"
    s = sheet(checklist, org.comm_a1)
    file = SHEETS.files([str(s.pk)])[str(s.pk)][0]
    text = "\n".join(p.text for p in Document(BytesIO(file.read())).paragraphs)
    assert file.name == f"Inspection record-{s.pk}.docx"
    assert "inspection record" in text and "Inspection date: 2026-07-01" in text and "(out of 100: 80.0)" in text


def test_sheet_count_is_the_average_s_population(org, checklist):
    sheet(checklist, org.comm_a1)
    sheet(checklist, org.comm_a2)
    sheet(checklist, org.comm_b1)  # other street
    sheet(checklist, org.comm_a1, status="planned")  # not submitted
    sheet(checklist, org.comm_a1, day=date(2026, 8, 2))  # after the period
    start, end = date(2026, 6, 1), date(2026, 7, 31)
    count = figures()["inspections.sheets"].compute(org.street_a.path, start, end)
    assert count.value == Decimal(2) == average_percent(org.street_a.path, start, end).denominator
    assert count.url == average_percent(org.street_a.path, start, end).url


def test_flags_count_the_places_of_the_subtree(org):
    """Flags of rankings ending in the period, to jurisdictions or units inside the subtree,
    whoever ranked them; a revoked flag does not count."""
    from django.utils import timezone

    from apps.inspections.models import FlagAward

    def ranking(where, level_key, end):
        return PublishedRanking.objects.create(
            jurisdiction=where,
            period_kind="month",
            period_start=end.replace(day=1),
            period_end=end,
            level_key=level_key,
            level_label="x",
            title=f"{where.name}{level_key}{end}",
            issuer="创卫办",
            published_by=org.office,
        )

    july = date(2026, 7, 31)
    communities = ranking(org.street_a, "level:community", july)
    streets = ranking(org.district, "level:street", july)
    units = ranking(org.district, "unit:shop", july)
    august = ranking(org.street_a, "level:community", date(2026, 8, 31))
    for r, kind, key in [
        (communities, "red", org.comm_a1.pk),
        (communities, "yellow", org.comm_a2.pk),
        (streets, "red", org.street_a.pk),
        (streets, "yellow", org.street_b.pk),
        (units, "red", org.unit_a2.pk),
        (units, "yellow", org.unit_b1.pk),
        (august, "red", org.comm_a2.pk),  # after the period
    ]:
        FlagAward.objects.create(ranking=r, kind=kind, target_key=str(key), target_label="x", rank=1)
    FlagAward.objects.create(
        ranking=communities, kind="red", target_key=str(org.comm_a2.pk), target_label="x", rank=1,
        revoked_at=timezone.now(),
    )  # fmt: skip
    start, end = date(2026, 7, 1), july
    red, yellow = figures()["inspections.red_flags"], figures()["inspections.yellow_flags"]
    assert red.compute(org.street_a.path, start, end).value == 3  # 甲一, 甲街道, 甲二超市
    assert yellow.compute(org.street_a.path, start, end).value == 1  # 甲二
    assert red.compute(org.comm_a2.path, start, end).value == 1  # its shop
    assert yellow.compute(org.street_b.path, start, end).value == 2  # 乙街道, 乙一超市
    assert red.compute(org.street_b.path, start, end).value == 0
    assert red.extra["batch"](org.street_a.path, start, end)["inspections.red_flags"].value == 3
