"""The sections the apps offer the work summaries (apps/core/reporting.py): their placeholders name
registered figures, they read in English, and the figures they quote (and the problems they
seed) agree with the records."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from apps.campaigns.choices import CampaignStatus, TaskStatus
from apps.campaigns.models import Campaign, Task
from apps.campaigns.tests.factories import build_campaigns
from apps.cases.categories import ensure_categories
from apps.cases.choices import OPEN_STATUSES, CaseStatus
from apps.cases.models import Case, Category
from apps.cases.selectors import case_list
from apps.core.evidence import figures
from apps.core.reporting import PLACEHOLDER, sections
from apps.organization import services as org_services

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
START, END = date(2026, 7, 1), date(2026, 9, 30)
SECTION_KEYS = {
    "organization",
    "publicity",
    "environment",
    "pestcontrol",
    "inspections",
    "agreements",
    "meetings",
    "campaigns",
    "surveys",
}


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def test_every_app_offers_its_section_in_the_seeds_order():
    found = sections()
    assert {section.key for section in found} == SECTION_KEYS
    orders = [section.order for section in found]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert [s.key for s in found][:3] == ["organization", "publicity", "environment"]


def test_every_placeholder_names_a_registered_figure():
    known = figures()
    for section in sections():
        assert section.sentences, section.key
        for sentence in section.sentences:
            keys = sentence.keys
            assert keys, (section.key, str(sentence.text))
            assert [key for key in keys if key not in known] == [], (section.key, str(sentence.text))
            # every brace is a placeholder: a stray one would break the generator's substitution
            assert str(sentence.text).count("{") == len(keys), str(sentence.text)


def test_headings_and_sentences_read_in_english():
    for section in sections():
        chinese = [str(sentence.text) for sentence in section.sentences]
        with translation.override("en"):
            texts = [str(section.heading)] + [str(sentence.text) for sentence in section.sentences]
        for text in texts:
            assert not HAN.search(text), (section.key, text)
        # the English keeps every placeholder of the Chinese template
        for zh, en in zip(chinese, texts[1:], strict=True):
            assert sorted(PLACEHOLDER.findall(zh)) == sorted(PLACEHOLDER.findall(en)), en


def _case(org, n, *, day, where=None, status=CaseStatus.CLOSED, deadline_days=2, **extra):
    ensure_categories()
    created = _at(day)
    return Case.objects.create(
        code=f"S-{n}",
        category=Category.objects.get(code="exposed_garbage"),
        jurisdiction=where or org.comm_a1,
        status=status,
        created_at=created,
        registered_at=created,
        dispatched_at=created,
        deadline_at=created + timedelta(days=deadline_days),
        closed_at=created + timedelta(days=1) if status == CaseStatus.CLOSED else None,
        closed_on_time=True if status == CaseStatus.CLOSED else None,
        **extra,
    )


@pytest.fixture
def cases(org):
    """Cases of 甲街道 inside and outside the period, one in 乙街道, in several states."""
    made = [
        _case(org, 1, day=date(2026, 7, 3)),
        _case(org, 2, day=date(2026, 7, 20), rework_count=1),
        _case(org, 3, day=date(2026, 8, 5), status=CaseStatus.DISPATCHED),  # overdue since 8 Aug
        _case(org, 4, day=date(2026, 9, 29), status=CaseStatus.DISPATCHED, deadline_days=5),  # due after END
        _case(org, 5, day=date(2026, 8, 10), status=CaseStatus.HANDLED, where=org.comm_a2, is_recurrence=True),
        _case(org, 6, day=date(2026, 6, 20), status=CaseStatus.DISPATCHED),  # reported before, still open
        _case(org, 7, day=date(2026, 7, 8), where=org.comm_b1, status=CaseStatus.DISPATCHED),  # other street
        _case(org, 8, day=date(2026, 10, 5)),  # after the period
        _case(org, 9, day=date(2026, 8, 12), status=CaseStatus.VOIDED),
    ]
    return made


def _figure(key, path, start=START, end=END):
    return figures()[key].compute(path, start, end)


def test_case_figures_equal_the_records(org, cases):
    path = org.street_a.path
    subtree = Case.objects.filter(jurisdiction__path__within=path)
    reported = subtree.filter(created_at__gte=_at(START, 0), created_at__lt=_at(END + timedelta(days=1), 0))
    cut = _at(END + timedelta(days=1), 0)
    expected = {
        "cases.received": reported.count(),
        "cases.closed": reported.filter(status=CaseStatus.CLOSED).count(),
        "cases.overdue": subtree.filter(status__in=OPEN_STATUSES, deadline_at__lt=cut).count(),
        "cases.recurrence": reported.filter(is_recurrence=True).count(),
    }
    assert expected == {"cases.received": 6, "cases.closed": 2, "cases.overdue": 3, "cases.recurrence": 1}
    for key, value in expected.items():
        assert _figure(key, path).value == Decimal(value), key
    rework = _figure("cases.rework_rate", path)
    assert (rework.numerator, rework.denominator) == (Decimal(1), Decimal(6))
    assert rework.value == Decimal("16.7")
    # the batch gives what each figure computes alone
    batch = figures()["cases.received"].extra["batch"](path, START, END)
    assert set(batch) == {key for key in figures() if key.startswith("cases.")}
    assert batch == {key: _figure(key, path) for key in batch}


def test_case_figure_links_list_the_same_cases(client, org, cases):
    """Each count's link is the case list's filters selecting exactly the cases it counted, and
    the page opens."""
    client.force_login(org.street)
    path = org.street_a.path
    for key in ("cases.received", "cases.closed", "cases.overdue", "cases.recurrence"):
        figure = _figure(key, path)
        page, _sep, query = figure.url.partition("?")
        assert page == reverse("cases:case_list")
        listed = case_list(user=org.street, filters=QueryDict(query))
        assert listed.count() == int(figure.value), (key, figure.url)
        assert client.get(figure.url).status_code == 200, figure.url


def test_overdue_while_the_period_runs_counts_until_now(org, cases):
    """A current period: overdue is measured now (case 4's deadline, 4 Oct, has passed by now)."""
    today = timezone.localdate()
    open_now = Case.objects.filter(
        jurisdiction__path__within=org.street_a.path, status__in=OPEN_STATUSES, deadline_at__lt=timezone.now()
    ).count()
    assert _figure("cases.overdue", org.street_a.path, START, today + timedelta(days=30)).value == open_now


def test_environment_problems_name_the_overdue_cases(org, cases):
    section = next(s for s in sections() if s.key == "environment")
    found = section.problems(org.street_a.path, START, END)
    assert "尚有3件问题超期未整改。" in found
    assert any("重复发生1件" in text for text in found)
    with translation.override("en"):
        english = section.problems(org.street_a.path, START, END)
        plans = section.plans(org.street_a.path, START, END)
    assert english and plans and not any(HAN.search(text) for text in english + plans), english
    assert any("3" in text and "overdue" in text for text in english), english
    # 乙街道 has one open case past its deadline, nothing recurring
    assert section.problems(org.street_b.path, START, END)[0] == "尚有1件问题超期未整改。"


def test_organisation_figures_are_the_nodes_own_records(org):
    assert _figure("organization.population", org.street_a.path).value == Decimal(20000)
    assert _figure("organization.households", org.street_a.path).value == Decimal(7000)
    assert _figure("organization.households", org.comm_a2.path).value == Decimal(0)
    org_services.group_create(actor=None, name="甲街道创卫领导小组", kind="leadership", jurisdiction=org.street_a)
    groups = _figure("organization.groups", org.street_a.path)
    assert groups.value == Decimal(2)  # 甲一's working group and the street's leadership group
    section = next(s for s in sections() if s.key == "organization")
    assert section.problems(org.street_a.path, START, END) == []
    # 甲二 records no households and has no leadership group
    assert len(section.problems(org.comm_a2.path, START, END)) == 2


def test_campaign_figures_and_problems(org):
    build_campaigns(org)
    Campaign.objects.filter(pk=org.campaign.pk).update(status=CampaignStatus.ACTIVE)
    Task.objects.create(
        campaign=org.campaign,
        jurisdiction=org.comm_a2,
        title="完成的任务",
        deadline=date(2026, 7, 10),
        status=TaskStatus.DONE,
        completed_at=_at(date(2026, 7, 9)),
    )
    path = org.street_a.path
    overdue = Task.objects.filter(
        jurisdiction__path__within=path,
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
        deadline__lte=END,
    ).count()
    assert overdue == 1
    assert _figure("campaigns.tasks_overdue", path).value == Decimal(overdue)
    assert _figure("campaigns.tasks_done", path).value == Decimal(1)
    readiness = _figure("campaigns.ledger_readiness", path)
    assert readiness.url.startswith(f"/campaigns/{org.campaign.pk}/ledger/")
    assert readiness.denominator and readiness.value is not None
    section = next(s for s in sections() if s.key == "campaigns")
    assert "尚有1项创建任务逾期未完成。" in section.problems(path, START, END)
    # a community of the street reads the street's campaign for its own part
    assert _figure("campaigns.ledger_readiness", org.comm_a1.path).url.endswith(f"?area={org.comm_a1.pk}")


def test_every_section_seeds_problems_and_plans_in_either_language(org, cases):
    """On a small world every section's problems and plans run, give plain sentences, and read in
    English under translation (numbers already in)."""
    build_campaigns(org)
    for section in sections():
        for language in ("zh-hans", "en"):
            with translation.override(language):
                problems = section.problems(org.street_a.path, START, END)
                plans = section.plans(org.street_a.path, START, END)
            assert plans and all(isinstance(text, str) and text for text in problems + plans), section.key
            if language == "en":
                assert not any(HAN.search(text) for text in problems + plans), (section.key, problems, plans)


def test_pest_problems_name_a_grade_worse_than_c(org, monkeypatch):
    from apps.core.evidence import FigureSource, FigureValue
    from apps.pestcontrol import reporting

    grades = {"pestcontrol.grade.rat": Decimal(4), "pestcontrol.grade.mosquito": Decimal(3)}

    def batch(path, start, end):
        return {key: FigureValue(value) for key, value in grades.items()}

    fakes = {
        key: FigureSource(key, key, "级", lambda p, s, e: FigureValue(None), extra={"batch": batch}) for key in grades
    }
    monkeypatch.setattr(reporting, "figures", lambda: fakes)
    assert reporting.problems(org.street_a.path, START, END) == ["鼠密度未达到国家标准C级控制水平。"]
    with translation.override("en"):
        assert not HAN.search(reporting.problems(org.street_a.path, START, END)[0])
