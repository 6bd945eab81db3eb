"""Case KPIs on a small dataset built through the services, then moved in time with update().

March 2026, seen by the street user of 甲街道 (children 甲一社区, 甲二社区) at "now" = 20 March 12:00:

| case | where          | unit     | category | created     | what happened                          |
|------|----------------|----------|----------|-------------|----------------------------------------|
| c1   | 幸福网格(甲一) | 幸福物业 | 暴露垃圾 | 03-02 09:00 | closed on time after 4 h               |
| c2   | 幸福网格(甲一) | 幸福物业 | 暴露垃圾 | 03-03 09:00 | rework once, closed on time after 10 h |
| c3   | 甲一社区       | 甲一面馆 | 乱堆乱放 | 03-05 09:00 | handled late, closed late after 30 h   |
| c4   | 幸福网格(甲一) | 幸福物业 | 暴露垃圾 | 03-09 10:00 | recurrence of c1, open, overdue        |
| c5   | 甲二社区       | –        | 小广告   | 03-10 09:00 | rejected                               |
| c6   | 甲二社区       | –        | 小广告   | 03-11 09:00 | registered only                        |
| c7   | 甲二社区       | 甲二超市 | 乱堆乱放 | 03-12 09:00 | dispatched, deadline 03-25 (not due)   |
| c10  | 甲街道 itself  | –        | 乱拉乱挂 | 03-15 07:00 | reported only (23:00 UTC on the 14th)  |
| c8   | 甲一社区       | 幸福物业 | 乱堆乱放 | 02-20       | outside the period                     |
| c11  | 甲一社区       | –        | 乱堆乱放 | 04-01 00:30 | outside the period (16:30 UTC, 03-31)  |
| c9   | 乙一社区       | –        | 乱堆乱放 | 03-05       | outside the street's scope             |
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.cases import rollups, services
from apps.cases.choices import CaseStatus
from apps.cases.models import Case
from apps.cases.selectors import case_list
from apps.cases.statistics import (
    COUNT_FIELDS,
    StatRow,
    _rate,
    case_filter_for,
    case_statistics,
    statistics_xlsx,
)
from apps.core.exceptions import DomainError, OutsideJurisdiction

from .conftest import jpeg

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2026, 3, 31)


def at(month, day, hour=9, minute=0):
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


NOW = at(3, 20, 12)


def report(actor, category, jurisdiction, **kwargs):
    return services.case_report(
        actor=actor, category=category, jurisdiction=jurisdiction, photos=[jpeg()], address="人民路", **kwargs
    )


def close(org, case, *, rework=False):
    case = services.case_handle(actor=org.community, case=case, note="已整改", photos=[jpeg()])
    if rework:
        case = services.case_verify(actor=org.inspector, case=case, passed=False, note="仍有残留")
        case = services.case_handle(actor=org.community, case=case, note="已彻底整改", photos=[jpeg()])
    return services.case_verify(actor=org.inspector, case=case, passed=True, note="合格")


def move(case, **fields):
    """Backdate a case as the demo does (retime_case): the rollups are told its month moved."""
    previous = Case.objects.get(pk=case.pk).created_at
    Case.objects.filter(pk=case.pk).update(**fields)
    Case.objects.get(pk=case.pk).log_rollup_change(previous_created_at=previous)


@pytest.fixture
def data(org, cats):
    garbage, clutter, graffiti, hanging = (
        cats["exposed_garbage"],
        cats["clutter"],
        cats["graffiti"],
        cats["hanging"],
    )
    reg = services.case_register

    def dispatch(case, unit):
        return services.case_dispatch(actor=org.community, case=reg(actor=org.community, case=case), unit=unit)

    c = {}
    # Every report first, so that only c4 (reported after c1 is closed) is a recurrence.
    c["c1"] = report(org.grid, garbage, org.grid_a1)
    c["c2"] = report(org.grid, garbage, org.grid_a1)
    c["c3"] = report(org.community, clutter, org.comm_a1)
    c["c5"] = report(org.community_other, graffiti, org.comm_a2)
    c["c6"] = report(org.community_other, graffiti, org.comm_a2)
    c["c7"] = report(org.community_other, clutter, org.comm_a2)
    c["c10"] = report(org.street, hanging, org.street_a)
    c["c8"] = report(org.community, clutter, org.comm_a1)
    c["c11"] = report(org.community, clutter, org.comm_a1)
    c["c9"] = report(org.community_b, clutter, org.comm_b1)

    c["c1"] = close(org, dispatch(c["c1"], org.unit_a1))
    c["c2"] = close(org, dispatch(c["c2"], org.unit_a1), rework=True)
    c3 = dispatch(c["c3"], org.unit_a1b)
    move(c3, deadline_at=timezone.now() - timedelta(hours=1))  # time travel: the deadline has passed
    c["c3"] = close(org, Case.objects.get(pk=c3.pk))
    c["c4"] = report(org.grid, garbage, org.grid_a1)
    c["c4"] = dispatch(c["c4"], org.unit_a1)
    services.case_reject(actor=org.community_other, case=c["c5"], reason="重复上报")
    reg(actor=org.community_other, case=c["c6"])
    services.case_dispatch(
        actor=org.community_other, case=reg(actor=org.community_other, case=c["c7"]), unit=org.unit_a2
    )
    c["c8"] = close(org, dispatch(c["c8"], org.unit_a1))
    reg(actor=org.community_b, case=c["c9"])

    move(c["c1"], created_at=at(3, 2), deadline_at=at(3, 2, 17, 30), closed_at=at(3, 2, 13))
    move(c["c2"], created_at=at(3, 3), deadline_at=at(3, 4, 12), closed_at=at(3, 3, 19))
    move(c["c3"], created_at=at(3, 5), deadline_at=at(3, 5, 13), closed_at=at(3, 6, 15))
    move(c["c4"], created_at=at(3, 9, 10), deadline_at=at(3, 10, 17, 30))
    move(c["c5"], created_at=at(3, 10))
    move(c["c6"], created_at=at(3, 11))
    move(c["c7"], created_at=at(3, 12), deadline_at=at(3, 25, 17, 30))
    move(c["c10"], created_at=at(3, 15, 7))
    move(c["c8"], created_at=at(2, 20), deadline_at=at(2, 21), closed_at=at(2, 20, 15))
    move(c["c11"], created_at=at(4, 1, 0, 30))
    move(c["c9"], created_at=at(3, 5))
    return {name: Case.objects.get(pk=case.pk) for name, case in c.items()}


def test_the_dataset_is_what_the_table_says(data):
    c = data
    assert [c[n].status for n in ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c10")] == [
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.DISPATCHED,
        CaseStatus.REJECTED,
        CaseStatus.REGISTERED,
        CaseStatus.DISPATCHED,
        CaseStatus.REPORTED,
    ]
    assert (c["c1"].handled_on_time, c["c1"].closed_on_time) == (True, True)
    assert (c["c2"].handled_on_time, c["c2"].closed_on_time, c["c2"].rework_count) == (True, True, 1)
    assert (c["c3"].handled_on_time, c["c3"].closed_on_time) == (False, False)
    assert [n for n in c if c[n].is_recurrence] == ["c4"]
    assert c["c5"].registered_at is None and c["c10"].registered_at is None


def stats(user, group_by, **kwargs):
    rows = case_statistics(user=user, start=START, end=END, group_by=group_by, now=NOW, **kwargs)
    return {row.key: row for row in rows}, rows


def figures(row: StatRow) -> dict:
    return {
        **{name: getattr(row, name) for name in COUNT_FIELDS},
        "registration_rate": row.registration_rate,
        "on_time_handling_rate": row.on_time_handling_rate,
        "closure_rate": row.closure_rate,
        "on_time_closure_rate": row.on_time_closure_rate,
        "rework_rate": row.rework_rate,
        "avg_close_hours": row.avg_close_hours,
    }


def expected(reported=0, registered=0, dispatched=0, due=0, hot=0, closed=0, cot=0, rework=0, recur=0, **rates):
    return {
        "reported": reported,
        "registered": registered,
        "dispatched": dispatched,
        "due": due,
        "handled_on_time": hot,
        "closed": closed,
        "closed_on_time": cot,
        "returned_for_rework": rework,
        "recurrences": recur,
        **{
            name: Decimal(rates[name]) if rates.get(name) is not None else None
            for name in (
                "registration_rate",
                "on_time_handling_rate",
                "closure_rate",
                "on_time_closure_rate",
                "rework_rate",
                "avg_close_hours",
            )
        },
    }


# Hand-computed from the table in the module docstring.
TOTAL = expected(
    reported=8,  # c1 c2 c3 c4 c5 c6 c7 c10
    registered=6,  # all but c5 (rejected) and c10 (only reported)
    dispatched=5,  # c1 c2 c3 c4 c7
    due=4,  # closed c1 c2 c3 + c4 (deadline 03-10 < now); c7's deadline 03-25 is after now
    hot=2,  # c1 c2
    closed=3,
    cot=2,
    rework=1,  # c2
    recur=1,  # c4
    registration_rate="75.0",  # 6 / 8
    on_time_handling_rate="40.0",  # 2 / 5
    closure_rate="75.0",  # 3 / 4
    on_time_closure_rate="50.0",  # 2 / 4
    rework_rate="20.0",  # 1 / 5
    avg_close_hours="14.7",  # (4 + 10 + 30) / 3
)


def test_by_jurisdiction(org, data):
    by_key, rows = stats(org.street, "jurisdiction")
    assert [r.label for r in rows] == ["甲一社区", "甲二社区", "甲街道（本级）", "合计"]
    assert figures(by_key[str(org.comm_a1.pk)]) == expected(
        reported=4,
        registered=4,
        dispatched=4,
        due=4,
        hot=2,
        closed=3,
        cot=2,
        rework=1,
        recur=1,
        registration_rate="100.0",
        on_time_handling_rate="50.0",
        closure_rate="75.0",
        on_time_closure_rate="50.0",
        rework_rate="25.0",
        avg_close_hours="14.7",
    )
    assert figures(by_key[str(org.comm_a2.pk)]) == expected(
        reported=3,  # c5 c6 c7
        registered=2,
        dispatched=1,
        registration_rate="66.7",  # 2 / 3
        on_time_handling_rate="0.0",
        rework_rate="0.0",
    )
    assert figures(by_key[f"self:{org.street_a.pk}"]) == expected(reported=1, registration_rate="0.0")
    assert rows[-1].is_total and figures(rows[-1]) == TOTAL


def test_the_district_sees_both_streets_and_children_without_cases(org, data):
    by_key, rows = stats(org.office, "jurisdiction")
    assert [r.label for r in rows] == ["甲街道", "乙街道", "合计"]
    assert by_key[str(org.street_a.pk)].reported == 8 and by_key[str(org.street_b.pk)].reported == 1
    by_key, rows = stats(org.office, "jurisdiction", jurisdiction=org.comm_a2.pk)
    assert [r.label for r in rows] == ["甲二社区（本级）", "合计"] and rows[-1].reported == 3  # a leaf
    by_key, rows = stats(org.street, "jurisdiction", jurisdiction=org.comm_a1)
    assert [r.label for r in rows] == ["幸福小区", "甲一社区（本级）", "合计"]
    assert (by_key[str(org.estate_a1.pk)].reported, by_key[f"self:{org.comm_a1.pk}"].reported) == (3, 1)


def test_by_unit(org, data):
    by_key, rows = stats(org.street, "unit")
    assert [r.label for r in rows] == ["幸福物业", "甲一面馆", "甲二超市", "未指定责任单位", "合计"]
    assert figures(by_key[str(org.unit_a1.pk)]) == expected(
        reported=3,  # c1 c2 c4
        registered=3,
        dispatched=3,
        due=3,
        hot=2,
        closed=2,
        cot=2,
        rework=1,
        recur=1,
        registration_rate="100.0",
        on_time_handling_rate="66.7",
        closure_rate="66.7",
        on_time_closure_rate="66.7",
        rework_rate="33.3",
        avg_close_hours="7.0",  # (4 + 10) / 2
    )
    assert figures(by_key[str(org.unit_a1b.pk)]) == expected(
        reported=1,
        registered=1,
        dispatched=1,
        due=1,
        closed=1,
        registration_rate="100.0",
        on_time_handling_rate="0.0",
        closure_rate="100.0",
        on_time_closure_rate="0.0",
        rework_rate="0.0",
        avg_close_hours="30.0",
    )
    assert by_key["none"].reported == 3 and by_key["none"].registered == 1  # c5 c6 c10
    assert figures(rows[-1]) == TOTAL


def test_by_category(org, cats, data):
    by_key, rows = stats(org.street, "category")
    assert [r.label for r in rows] == [
        "环境卫生/暴露垃圾",
        "环境卫生/乱堆乱放",
        "市容秩序/乱贴乱画/小广告",
        "市容秩序/乱拉乱挂",
        "合计",
    ]
    garbage = by_key[str(cats["exposed_garbage"].pk)]
    assert (garbage.reported, garbage.closed, garbage.due, garbage.recurrences) == (3, 2, 3, 1)
    clutter = by_key[str(cats["clutter"].pk)]  # c3 (closed late) and c7 (not yet due)
    assert (clutter.reported, clutter.due, clutter.closure_rate, clutter.on_time_closure_rate) == (
        2,
        1,
        Decimal("100.0"),
        Decimal("0.0"),
    )
    assert figures(rows[-1]) == TOTAL


def test_by_period(org, data):
    by_key, rows = stats(org.street, "day")
    assert len(rows) == 31 + 1 and rows[0].key == "2026-03-01" and rows[-2].key == "2026-03-31"
    assert by_key["2026-03-15"].reported == 1 and by_key["2026-03-14"].reported == 0  # local day, not UTC
    assert by_key["2026-03-02"].closed_on_time == 1 and by_key["2026-03-31"].reported == 0
    assert figures(rows[-1]) == TOTAL

    by_key, rows = stats(org.street, "week")
    assert [r.key for r in rows] == [
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
        "total",
    ]
    assert rows[1].label == "2026年第10周（03-02起）"
    assert [r.reported for r in rows] == [0, 3, 5, 0, 0, 0, 8]
    assert figures(by_key["2026-03-02"])["avg_close_hours"] == Decimal("14.7")
    assert by_key["2026-03-09"].due == 1  # c4; c7's deadline (03-25) is after now (03-20)
    later = case_statistics(user=org.street, start=START, end=END, group_by="week", now=at(3, 28))
    assert later[2].due == 2 and later[-1].due == 5  # on 03-28 c7 is due too, in the week it was reported

    by_key, rows = stats(org.street, "month")
    assert [(r.key, r.label) for r in rows] == [("2026-03-01", "2026年3月"), ("total", "合计")]
    assert figures(rows[0]) == TOTAL


def test_scope(org, data):
    with pytest.raises(OutsideJurisdiction):
        stats(org.street, "jurisdiction", jurisdiction=org.street_b.pk)
    with pytest.raises(DomainError):
        stats(org.street, "year")
    # A unit contact sees only the cases dispatched to its unit: c1 c2 c4.
    _by_key, rows = stats(org.unit_contact, "jurisdiction")
    assert rows[-1].reported == 3 and rows[-1].closed == 2
    _by_key, rows = stats(org.unit_contact, "unit")
    assert [r.label for r in rows] == ["幸福物业", "合计"]


def test_rates_are_bounded_and_none_without_denominator():
    assert _rate(0, 0) is None
    assert _rate(5, 4) == Decimal("100.0")
    assert _rate(1, 3) == Decimal("33.3")
    assert _rate(2, 3) == Decimal("66.7")
    assert _rate(1, 8) == Decimal("12.5")
    assert StatRow(key="x", label="x").avg_close_hours is None


def test_query_count_does_not_grow_with_cases(org, cats, data, django_assert_max_num_queries):
    def run():
        user = User.objects.get(pk=org.street.pk)  # a fresh user, as in a request
        with CaptureQueriesContext(connection) as ctx:
            rows = case_statistics(user=user, start=START, end=END, group_by="jurisdiction", now=NOW)
        return len(ctx.captured_queries), rows

    rollups.rollups_refresh()  # measured as read between two refreshes (nothing pending)
    before, _rows = run()
    template = data["c3"]
    places = [org.grid_a1, org.estate_a1, org.comm_a1, org.comm_a2, org.street_a]
    Case.objects.bulk_create(
        [
            Case(
                code=f"BULK{i:05d}",
                category=template.category,
                jurisdiction=places[i % len(places)],
                status=CaseStatus.CLOSED if i % 2 else CaseStatus.REPORTED,
                closed_at=at(3, 7) if i % 2 else None,
                created_at=at(3, 6),
            )
            for i in range(200)
        ]
    )
    rollups.rollups_rebuild()  # rows written past the services: the rollups are rebuilt
    after, rows = run()
    # The user's jurisdiction (for the scope), the children, the pending-log check, the rollup
    # rows of the month, its "deadline" rows and the cases due earlier on the day of NOW.
    assert after == before <= 6
    assert rows[-1].reported == 8 + 200
    user = User.objects.get(pk=org.street.pk)
    # The same and the chosen node.
    with django_assert_max_num_queries(7):
        case_statistics(
            user=user,
            start=START,
            end=END,
            group_by="jurisdiction",
            jurisdiction=org.street_a.pk,
            now=NOW,
        )


# Links from a figure to its cases --------------------------------------------------------


@pytest.mark.parametrize("group_by", ["jurisdiction", "unit", "category", "week"])
def test_every_figure_links_to_exactly_its_cases(org, data, group_by):
    """The case list, given `case_filter_for`'s filters, shows exactly the cases behind each figure."""
    rows = case_statistics(user=org.street, start=START, end=END, group_by=group_by)  # now: the real clock, as the list
    for row in rows:
        for metric in COUNT_FIELDS:
            filters = case_filter_for(row.key, group_by, metric, start=START, end=END)
            shown = case_list(user=org.street, filters=filters).count()
            assert shown == getattr(row, metric), (row.label, metric, filters)


def test_case_filter_for(org):
    comm = str(org.comm_a1.pk)
    assert case_filter_for(comm, "jurisdiction", "on_time_closure_rate", start=START, end=END) == {
        "jurisdiction": comm,
        "created_from": "2026-03-01",
        "created_to": "2026-03-31",
        "status": "closed",
        "closed_on_time": "1",
    }
    assert case_filter_for(f"self:{org.street_a.pk}", "jurisdiction", "reported", jurisdiction=org.street_a) == {
        "jurisdiction_only": str(org.street_a.pk)
    }
    assert case_filter_for("2026-02-23", "week", "due", start=START, end=END) == {
        "created_from": "2026-03-01",
        "created_to": "2026-03-01",
        "due": "1",
        "due_by": "2026-03-31",  # due by the end of the whole period, as in the statistics
    }
    assert case_filter_for("2026-03-01", "month", "recurrences") == {
        "created_from": "2026-03-01",
        "created_to": "2026-03-31",
        "recurrence": "1",
    }
    assert case_filter_for("none", "unit", "rework_rate", start=START, end=END, jurisdiction=org.comm_a1.pk) == {
        "jurisdiction": comm,
        "unit": "none",
        "created_from": "2026-03-01",
        "created_to": "2026-03-31",
        "reworked": "1",
    }
    assert case_filter_for("total", "category", "registered", start=START, end=END) == {
        "created_from": "2026-03-01",
        "created_to": "2026-03-31",
        "registered": "1",
    }
    with pytest.raises(DomainError):
        case_filter_for("total", "category", "nonsense")


def test_statistics_xlsx(org, data):
    _by_key, rows = stats(org.street, "jurisdiction")
    rows.insert(0, StatRow(key="1", label='=HYPERLINK("http://x")', reported=1))
    book = load_workbook(BytesIO(statistics_xlsx(rows, group_by="jurisdiction")))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("辖区", "上报数", "立案数", "立案率(%)")
    assert values[1][0] == '\'=HYPERLINK("http://x")'  # neutralised
    assert values[2][:4] == ("甲一社区", 4, 4, 100)
    total = values[-1]
    assert total[0] == "合计" and total[1] == 8 and total[3] == 75
    header = list(values[0])
    assert total[header.index("平均结案时长（小时）")] == pytest.approx(14.7)
    assert total[header.index("按期结案率(%)")] == 50
    assert values[3][header.index("结案率(%)")] is None  # 甲二社区: nothing due
