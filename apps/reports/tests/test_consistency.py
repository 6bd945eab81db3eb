"""一致性核对 (apps/reports/consistency.py) and the checks the apps register: impossible rates, a
child above its parent, two populations for one community, more households reached than live
there; the messages in Chinese and English, what blocks an export, the warning partial."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.core.evidence import FigureSource, FigureValue
from apps.core.registry import AppEntries, registry
from apps.core.reporting import Inconsistency
from apps.organization import consistency as organization_checks
from apps.organization import services as organization_services
from apps.organization.models import Jurisdiction, JurisdictionLevel
from apps.pestcontrol import consistency as pest_checks
from apps.pestcontrol import methods
from apps.pestcontrol.models import Survey
from apps.pestcontrol.services import operations as pest_operations
from apps.pestcontrol.tests.helpers_operations import operation
from apps.reports.consistency import blocking, find_inconsistencies, is_additive, warnings

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 12, 31)

# What each fake figure answers, by jurisdiction path (set by the tests).
ANSWERS: dict[str, dict[str, FigureValue]] = {}


def _answer(key):
    def compute(path, start, end):
        return ANSWERS.get(key, {}).get(path, FigureValue(Decimal(0), url=f"/{key}/"))

    return compute


FAKES = [
    FigureSource("fake.rate", "测试率", "%", _answer("fake.rate")),
    FigureSource("fake.count", "测试次数", "次", _answer("fake.count")),
    FigureSource("fake.score", "测试得分", "分", _answer("fake.score")),
    FigureSource("fake.open", "测试开放数", "个", _answer("fake.open"), extra={"additive": False}),
]
KEYS = [figure.key for figure in FAKES]


@pytest.fixture
def fakes():
    registry.apps["fake"] = AppEntries(label="fake", figures=FAKES)
    ANSWERS.clear()
    yield ANSWERS
    del registry.apps["fake"]


def _set(node, **fields):
    Jurisdiction.objects.filter(pk=node.pk).update(**fields)


def _estate(org, parent, code, name, population):
    level = JurisdictionLevel.objects.get(code="estate")
    return organization_services.jurisdiction_create(
        actor=None, parent=parent, level=level, code=code, name=name, population=population
    )


def _messages(items):
    return [item.message for item in items]


def _fake(items):
    """The items about the fake figures (the test world's own records contradict each other too)."""
    return [item for item in items if any(key.startswith("fake.") for key in item.figure_keys)]


# (c) organization: two populations ------------------------------------------------------------


def test_a_community_whose_children_sum_to_another_population_is_listed(org):
    _set(org.street_a, population=2500 + 11000, households=0)
    _set(org.comm_a1, population=2500, households=0)
    _set(org.estate_a1, population=1200)
    _estate(org, org.comm_a1, "C-D-A-1-2", "幸福二区", 1450)
    found = list(organization_checks.find(org.street_a.path, START, END))
    assert _messages(found) == ["甲一社区：人口 2500 人（辖区档案）与下属 2 个辖区合计 2650 人不一致"]
    item = found[0]
    assert item.figure_keys == ("organization.population",)
    assert item.url == f"/org/jurisdictions/{org.comm_a1.pk}/edit/"
    assert item.jurisdiction_path == org.comm_a1.path
    with translation.override("en"):
        english = _messages(organization_checks.find(org.street_a.path, START, END))
    assert english == ["甲一社区: population of 2500 on record differs from 2650, the total of its 2 subordinate areas"]


def test_matching_sums_and_children_without_a_population_are_not_listed(org):
    # 甲街道 13650 = 2650 + 11000; 甲一社区 2650 = 1200 + 1450.
    _set(org.street_a, population=2650 + 11000, households=0)
    _set(org.comm_a1, population=2650, households=0)
    _set(org.estate_a1, population=1200)
    third = _estate(org, org.comm_a1, "C-D-A-1-2", "幸福二区", 1450)
    assert list(organization_checks.find(org.street_a.path, START, END)) == []
    # A child with no population recorded: a gap, not a contradiction.
    _set(third, population=0)
    assert list(organization_checks.find(org.street_a.path, START, END)) == []
    # Unless the children that have one already hold more than the whole.
    _set(org.estate_a1, population=2700)
    assert _messages(organization_checks.find(org.street_a.path, START, END)) == [
        "甲一社区：人口 2650 人（辖区档案）与下属 2 个辖区合计 2700 人不一致"
    ]


def test_more_households_than_people_is_listed(org):
    _set(org.comm_a2, households=12000)
    found = list(organization_checks.find(org.comm_a2.path, START, END))
    assert _messages(found) == ["甲二社区：户数 12000 户多于人口 11000 人"]
    assert found[0].figure_keys == ("organization.population", "organization.households")
    with translation.override("en"):
        assert _messages(organization_checks.find(org.comm_a2.path, START, END)) == [
            "甲二社区: 12000 households on record, more than its population of 11000 people"
        ]


def test_the_check_is_registered_and_runs_in_find_inconsistencies(org):
    _set(org.comm_a2, households=12000)
    messages = _messages(find_inconsistencies(org.street_a, START, END, []))
    assert "甲二社区：户数 12000 户多于人口 11000 人" in messages


# (a) rates ------------------------------------------------------------------------------------


def test_a_rate_above_100_percent_is_listed(org, fakes):
    values = {"fake.rate": FigureValue(Decimal("120"), Decimal(12), Decimal(10), url="/rate/")}
    found = find_inconsistencies(org.comm_a2, START, END, ["fake.rate"], values=values)
    rates = _fake(found)
    assert _messages(rates) == ["甲二社区：测试率的分子 12 多于分母 10（120%），比率不能超过 100%"]
    assert rates[0].url == "/rate/"
    with translation.override("en"):
        found = find_inconsistencies(org.comm_a2, START, END, ["fake.rate"], values=values)
    assert _messages(_fake(found)) == [
        "甲二社区: the numerator of 测试率, 12, exceeds its denominator, 10 (120%); a rate cannot exceed 100%"
    ]


def test_a_rate_computed_here_and_a_rate_of_100_percent(org, fakes):
    fakes["fake.rate"] = {org.comm_a2.path: FigureValue(Decimal("100.5"))}
    found = find_inconsistencies(org.comm_a2, START, END, ["fake.rate"])
    rates = _fake(found)
    assert _messages(rates) == ["甲二社区：测试率为 100.5%，比率不能超过 100%"]
    # Without a link of its own, the item links to the jurisdiction's edit page.
    assert rates[0].url == f"/org/jurisdictions/{org.comm_a2.pk}/edit/"
    values = {"fake.rate": FigureValue(Decimal("100"), Decimal(10), Decimal(10))}
    assert _fake(find_inconsistencies(org.comm_a2, START, END, ["fake.rate"], values)) == []


# (b) a child above its parent -----------------------------------------------------------------


def test_a_count_that_a_child_exceeds_is_listed(org, fakes):
    fakes["fake.count"] = {
        org.street_a.path: FigureValue(Decimal(5), url="/street/"),
        org.comm_a1.path: FigureValue(Decimal(7), url="/a1/"),
        org.comm_a2.path: FigureValue(Decimal(5), url="/a2/"),
    }
    # Not additive: a score, and a count the figure declares not additive.
    fakes["fake.score"] = {org.street_a.path: FigureValue(Decimal(80)), org.comm_a1.path: FigureValue(Decimal(90))}
    fakes["fake.open"] = {org.street_a.path: FigureValue(Decimal(1)), org.comm_a1.path: FigureValue(Decimal(3))}
    found = _fake(find_inconsistencies(org.street_a, START, END, KEYS))
    assert _messages(found) == [
        "甲一社区：测试次数 7 次，多于上级甲街道的 5 次（下级的记录都计入上级，下级不应多于上级）"
    ]
    assert found[0].figure_keys == ("fake.count",)
    assert found[0].url == "/a1/"
    assert found[0].jurisdiction_path == org.comm_a1.path
    with translation.override("en"):
        english = _messages(_fake(find_inconsistencies(org.street_a, START, END, KEYS)))
    assert english == [
        "甲一社区: 测试次数 is 7 times, more than the 5 times of its superior area 甲街道 "
        "(every record of a subordinate area also counts in the area above it)"
    ]


def test_the_caller_s_values_are_used_for_the_node(org, fakes):
    fakes["fake.count"] = {org.comm_a1.path: FigureValue(Decimal(7))}
    values = {"fake.count": FigureValue(Decimal(9))}
    found = find_inconsistencies(org.street_a, START, END, ["fake.count"], values)
    assert _fake(found) == []
    found = find_inconsistencies(org.street_a, START, END, ["fake.count"], {"fake.count": FigureValue(Decimal(6))})
    assert len(_fake(found)) == 1


def test_which_figures_are_additive():
    assert [is_additive(figure) for figure in FAKES] == [False, True, False, False]
    by_key = {figure.key: figure for figure in registry.figures()}
    assert is_additive(by_key["pestcontrol.households_covered"])
    assert is_additive(by_key["activities.output.garbage_t"])
    assert not is_additive(by_key["pestcontrol.grade.rat"])
    assert not is_additive(by_key["pestcontrol.index.breteau_index"])
    assert not is_additive(by_key["pestcontrol.index.rat_path_index"])
    assert not is_additive(by_key["inspections.average_percent"])
    with translation.override("en"):  # the declared unit decides, whatever the language
        assert is_additive(by_key["activities.drives"])


# (c) pestcontrol: more households reached than live there --------------------------------------


def test_pest_control_households_above_the_community_s_are_listed(org):
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    # 甲一社区 records 3000 households.
    operation(org, households_covered=3000)
    big = operation(org, households_covered=3500)
    operation(org, households_covered=3200)
    operation(org, actor=org.street, jurisdiction=org.comm_a2, households_covered=99999)  # no households recorded there
    pest_operations.followup_create(
        actor=org.community,
        operation=big,
        checked_on=today,
        households_checked=3100,
        households_bought=10,
        households_retained=10,
    )
    found = list(pest_checks.operation_households(org.street_a.path, start, end))
    assert _messages(found) == [
        "甲一社区：2 次除四害作业登记的覆盖住户多于辖区户数 3000 户（最多一次 3500 户）",
        "甲一社区：1 次回访检查登记的回访户数多于辖区户数 3000 户（最多一次 3100 户）",
    ]
    assert found[0].figure_keys == ("pestcontrol.households_covered",)
    assert found[1].figure_keys == ("pestcontrol.purchase_rate", "pestcontrol.retention_rate")
    assert found[0].url.startswith("/pestcontrol/") and f"jurisdiction={org.comm_a1.pk}" in found[0].url
    # Outside the period: nothing.
    assert list(pest_checks.operation_households(org.street_a.path, date(2000, 1, 1), date(2000, 12, 31))) == []
    with translation.override("en"):
        english = _messages(pest_checks.operation_households(org.street_a.path, start, end))
    assert english[0] == (
        "甲一社区: 2 pest-control operations recorded more households covered than the 3000 households "
        "on record (at most 3500 in one)"
    )
    # Through the report: listed whatever the document quotes.
    messages = _messages(find_inconsistencies(org.street_a, start, end, ["pestcontrol.operations"]))
    assert found[0].message in messages


def test_household_surveys_above_the_community_s_households_are_listed(org):
    today = timezone.localdate()
    Survey.objects.create(
        jurisdiction=org.comm_a1,
        place_type="residential",
        method=methods.HOUSEHOLD_METHOD,
        pest="mosquito",
        surveyed_on=today,
        counts={"households": 3100, "households_positive": 1, "containers_wet": 5, "containers_positive": 2},
        sample_size=Decimal(3100),
    )
    found = list(pest_checks.survey_households(org.street_a.path, today, today))
    assert _messages(found) == ["甲一社区：1 次入户调查登记的调查户数多于辖区户数 3000 户（最多一次 3100 户）"]
    assert "pestcontrol.index.breteau_index" in found[0].figure_keys
    with translation.override("en"):
        assert _messages(pest_checks.survey_households(org.street_a.path, today, today)) == [
            "甲一社区: 1 household surveys recorded more households than the 3000 households on record "
            "(at most 3100 in one)"
        ]


# Blocking, failures, the partial ------------------------------------------------------------------


def test_only_items_naming_a_quoted_figure_block_the_export():
    quoted = Inconsistency("a", ("fake.count",))
    other = Inconsistency("b", ("fake.rate",))
    record = Inconsistency("c")
    items = [quoted, other, record]
    assert blocking(items, ["fake.count", "fake.score"]) == [quoted]
    assert warnings(items, ["fake.count", "fake.score"]) == [other, record]
    assert blocking(items, []) == []


def test_a_failing_check_is_listed_as_not_done(org, caplog):
    def broken(path, start, end):
        raise RuntimeError("boom")

    from apps.core.reporting import ConsistencyCheck

    registry.apps["fake"] = AppEntries(label="fake", consistency_checks=[ConsistencyCheck("fake", "测试核对", broken)])
    try:
        found = find_inconsistencies(org.comm_a2, START, END, [])
    finally:
        del registry.apps["fake"]
    assert "“测试核对”核对出错，未能完成核对" in _messages(found)
    assert "boom" in caplog.text


def test_the_partial_lists_the_items_with_their_links():
    quoted = Inconsistency("甲一社区：测试次数 7 次…", ("fake.count",), "/a1/")
    record = Inconsistency("甲二社区：户数 12000 户多于人口 11000 人", (), "")
    html = render_to_string("reports/_inconsistencies.html", {"inconsistencies": [quoted, record]})
    assert "以下数字与其他记录矛盾，请先核对处理，导出前不会打印：" in html
    assert '<a href="/a1/">甲一社区：测试次数 7 次…</a>' in html
    assert "甲二社区：户数 12000 户多于人口 11000 人" in html
    assert "仅提示" not in html
    html = render_to_string(
        "reports/_inconsistencies.html", {"inconsistencies": [quoted, record], "blocking": [quoted]}
    )
    assert html.count("仅提示，不影响导出") == 1
    assert render_to_string("reports/_inconsistencies.html", {"inconsistencies": []}).strip() == ""


def test_each_registered_check_is_a_handful_of_queries_for_a_subtree(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for find, budget in (
        (organization_checks.find, 1),
        (pest_checks.operation_households, 2),
        (pest_checks.survey_households, 1),
    ):
        with CaptureQueriesContext(connection) as queries:
            list(find(org.city.path, START, END))
        assert len(queries) == budget, find.__name__
