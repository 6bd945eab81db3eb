"""The Aedes household survey's services: sums kept with each visit, BI (7 positive in 101
households → 6.93), replays saved once, positive > wet refused, a submitted survey refuses
visits, the week's alert once (also when another writer raised it first), the case of a
positive site with its photo, scope."""

import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.cases.categories import ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.core.exceptions import DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.notifications.models import Notification
from apps.pestcontrol.choices import RiskLevel, SurveyStatus
from apps.pestcontrol.models import AedesSetting, ContainerRecord, HouseholdVisit, MethodSetting, VectorAlert
from apps.pestcontrol.selectors import aedes as selectors
from apps.pestcontrol.services import aedes as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return services.household_survey_open(actor=org.community, jurisdiction=org.comm_a1, surveyed_on=date.today())


def visit(actor, survey, address="1号", photos=(), client_id=None, **containers):
    return services.visit_record(
        actor=actor,
        survey=survey,
        client_id=client_id or uuid.uuid4(),
        address=address,
        containers=containers or {"jar": {"wet": 1, "positive": 0}},
        photos=list(photos),
    )


def test_breteau_of_the_seed_101_households_7_positive(org, survey):
    for i in range(101):
        positive = 1 if i < 7 else 0
        visit(org.community, survey, address=f"{i}号", jar={"wet": 2, "positive": positive})
    survey.refresh_from_db()
    assert survey.counts == {
        "households": 101,
        "households_positive": 7,
        "containers_wet": 202,
        "containers_positive": 7,
    }
    assert survey.sample_size == 101
    indices = survey.indices()
    assert indices["breteau_index"] == Decimal("6.93")
    assert indices["container_index"] == Decimal("3.47")
    assert indices["house_index"] == Decimal("6.93")
    [row] = [r for r in selectors.week_rows(org.community, date.today()) if r.community == org.comm_a1]
    assert (row.households, row.containers_positive, row.bi) == (101, 7, Decimal("6.93"))


def test_sums_are_the_visits_sums_with_several_types(org, survey):
    v, created = visit(
        org.community,
        survey,
        jar={"wet": 3, "positive": 2, "larvae": 10, "treated": 3},
        tyre={"wet": 1, "positive": 1, "larvae": 4},
        plant={"wet": 0, "positive": 0},
    )
    assert created
    assert (v.containers_wet, v.containers_positive, v.larvae, v.treated) == (4, 3, 14, 3)
    assert ContainerRecord.objects.filter(visit=v).count() == 2  # the empty row is not kept
    visit(org.community, survey, address="2号", jar={"wet": 2, "positive": 0})
    survey.refresh_from_db()
    assert survey.counts == {"households": 2, "households_positive": 1, "containers_wet": 6, "containers_positive": 3}


def test_a_replay_is_saved_once(org, survey):
    key = uuid.uuid4()
    first, created = visit(org.community, survey, client_id=key)
    again, created_again = visit(org.community, survey, client_id=key)
    assert created and not created_again and first.pk == again.pk
    assert HouseholdVisit.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.counts["households"] == 1


def test_replay_after_submission_answers_the_saved_visit(org, survey):
    key = uuid.uuid4()
    visit(org.community, survey, client_id=key)
    services.household_survey_submit(actor=org.community, survey=survey)
    again, created = visit(org.community, survey, client_id=key)
    assert not created and again.client_id == key


def test_positive_more_than_wet_is_refused_with_a_message(org, survey):
    with pytest.raises(DomainError, match="阳性容器数（3）不能大于积水容器数（2）"):
        visit(org.community, survey, jar={"wet": 2, "positive": 3})
    assert not HouseholdVisit.objects.exists()
    survey.refresh_from_db()
    assert survey.counts["households"] == 0


@pytest.mark.parametrize(
    "containers, message",
    [
        ({"jar": {"wet": -1}}, "应为 0 至"),
        ({"jar": {"wet": "x"}}, "应为整数"),
        ({"boat": {"wet": 1}}, "未知的容器类型"),
        ({"jar": {"wet": 1, "treated": 2}}, "现场处理数"),
        ({"jar": {"wet": 1, "larvae": 3}}, "阳性容器数至少为 1"),
    ],
)
def test_bad_counts_are_refused(org, survey, containers, message):
    with pytest.raises(DomainError, match=message):
        services.visit_record(
            actor=org.community, survey=survey, client_id=uuid.uuid4(), address="1号", containers=containers
        )


def test_address_and_point_are_checked(org, survey):
    with pytest.raises(DomainError, match="门牌"):
        services.visit_record(actor=org.community, survey=survey, client_id=uuid.uuid4(), address=" ")
    with pytest.raises(DomainError, match="同时"):
        services.visit_record(actor=org.community, survey=survey, client_id=uuid.uuid4(), address="1", lat="31")
    with pytest.raises(DomainError, match="编号无效"):
        services.visit_record(actor=org.community, survey=survey, client_id="nope", address="1")


def test_a_submitted_survey_refuses_visits(org, survey):
    visit(org.community, survey)
    submitted = services.household_survey_submit(actor=org.community, survey=survey)
    assert submitted.status == SurveyStatus.SUBMITTED
    with pytest.raises(DomainError, match="已提交"):
        visit(org.community, survey, address="2号")
    with pytest.raises(DomainError, match="已提交"):
        services.household_survey_submit(actor=org.community, survey=survey)


def test_an_empty_survey_cannot_be_submitted(org, survey):
    with pytest.raises(DomainError, match="还没有入户记录"):
        services.household_survey_submit(actor=org.community, survey=survey)


def test_scope_and_roles(org, survey):
    with pytest.raises(OutsideJurisdiction):
        visit(org.community_other, survey)
    with pytest.raises(PermissionDeniedForRole):
        visit(org.leader, survey)
    with pytest.raises(OutsideJurisdiction):
        services.household_survey_open(actor=org.community_other, jurisdiction=org.comm_a1, surveyed_on=date.today())
    with pytest.raises(DomainError, match="社区或社区以下"):
        services.household_survey_open(actor=org.street, jurisdiction=org.street_a, surveyed_on=date.today())
    with pytest.raises(DomainError, match="晚于今天"):
        services.household_survey_open(
            actor=org.community, jurisdiction=org.comm_a1, surveyed_on=date.today() + timedelta(days=1)
        )
    # The grid worker records at the grid; the community sees it in its week.
    grid_survey = services.household_survey_open(actor=org.grid, jurisdiction=org.grid_a1, surveyed_on=date.today())
    visit(org.grid, grid_survey, jar={"wet": 1, "positive": 1})
    [row] = [r for r in selectors.week_rows(org.community, date.today()) if r.community == org.comm_a1]
    assert row.households == 1 and row.bi == Decimal("100.00")
    assert not [r for r in selectors.week_rows(org.community_other, date.today()) if r.households]


def test_risk_levels_from_the_setting():
    setting = AedesSetting(medium_from=Decimal("5"), high_from=Decimal("10"), severe_from=Decimal("20"))
    assert services.risk_of(None, setting) is None
    assert services.risk_of(Decimal("4.99"), setting) == RiskLevel.LOW
    assert services.risk_of(Decimal("5"), setting) == RiskLevel.MEDIUM
    assert services.risk_of(Decimal("9.99"), setting) == RiskLevel.MEDIUM
    assert services.risk_of(Decimal("10"), setting) == RiskLevel.HIGH
    assert services.risk_of(Decimal("20"), setting) == RiskLevel.SEVERE


def test_the_setting_row_is_installed_a_read_never_writes_and_its_levels_must_rise(org):
    from apps.pestcontrol import builtin_levels

    AedesSetting.objects.all().delete()
    assert services.aedes_setting().is_example
    assert AedesSetting.objects.count() == 0  # a read answers the example values, unsaved
    builtin_levels.ensure()
    builtin_levels.ensure()
    assert AedesSetting.objects.count() == 1
    with pytest.raises(DomainError, match="中风险 < 高风险"):
        services.aedes_setting_update(actor=org.admin, changes={"high_from": Decimal("3")})
    with pytest.raises(PermissionDeniedForRole):
        services.aedes_setting_update(actor=org.street, changes={"high_from": Decimal("12")})
    updated = services.aedes_setting_update(actor=org.office, changes={"high_from": Decimal("12"), "is_example": False})
    assert updated.high_from == Decimal("12") and not updated.is_example


@pytest.fixture
def small_sample(db):
    MethodSetting.objects.update_or_create(method="mosquito_household", defaults={"min_sample": 2})


def test_the_alert_goes_once_a_week_to_the_community_and_the_street(org, survey, small_sample):
    visit(org.community, survey, address="1号", jar={"wet": 1, "positive": 1})
    assert not VectorAlert.objects.exists()  # one household: below the minimum sample, not judged yet
    visit(org.community, survey, address="2号", jar={"wet": 2, "positive": 0})  # 2 households, BI 50
    alert = VectorAlert.objects.get()
    assert alert.jurisdiction == org.comm_a1 and alert.breteau_index == Decimal("50.00")
    assert alert.risk == RiskLevel.SEVERE
    recipients = set(Notification.objects.filter(kind="pestcontrol_aedes_alert").values_list("recipient", flat=True))
    assert recipients == {org.community.pk, org.street.pk}
    visit(org.community, survey, address="3号", jar={"wet": 2, "positive": 2})
    services.household_survey_submit(actor=org.community, survey=survey)
    assert VectorAlert.objects.count() == 1
    assert Notification.objects.filter(kind="pestcontrol_aedes_alert").count() == 2


def test_a_submitted_survey_is_judged_whatever_its_size(org, survey):
    visit(org.community, survey, jar={"wet": 1, "positive": 1})
    assert not VectorAlert.objects.exists()
    services.household_survey_submit(actor=org.community, survey=survey)
    assert VectorAlert.objects.get().breteau_index == Decimal("100.00")


def test_below_the_alert_level_nothing_is_sent(org, survey, small_sample):
    for i in range(30):
        visit(org.community, survey, address=f"{i}号", jar={"wet": 1, "positive": 1 if i == 29 else 0})
    assert not VectorAlert.objects.exists()  # BI 3.33 < 5


def test_the_alert_level_is_respected(org, survey, small_sample):
    services.aedes_setting_update(actor=org.admin, changes={"alert_level": RiskLevel.SEVERE})
    for i in range(10):
        visit(org.community, survey, address=f"{i}号", jar={"wet": 1, "positive": 1 if i == 9 else 0})
    assert not VectorAlert.objects.exists()


def test_an_alert_raised_meanwhile_by_another_writer_is_not_repeated(org, survey, monkeypatch, small_sample):
    """The race: another transaction inserts the week's row between our check and our insert;
    the unique row refuses ours, our visit is kept, nobody is notified twice."""
    real_filter = VectorAlert.objects.filter

    def racing_filter(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if "week_start" in kwargs and not real_filter(**kwargs).exists():
            VectorAlert.objects.create(
                jurisdiction=org.comm_a1, week_start=kwargs["week_start"], breteau_index=Decimal("1"), risk="severe"
            )
            return real_filter(pk__in=[])  # the check saw nothing
        return qs

    monkeypatch.setattr(VectorAlert.objects, "filter", racing_filter)
    visit(org.community, survey, address="0号", jar={"wet": 1, "positive": 1})
    v, created = visit(org.community, survey, jar={"wet": 1, "positive": 1})
    assert created and HouseholdVisit.objects.filter(pk=v.pk).exists()
    assert VectorAlert.objects.count() == 1
    assert not Notification.objects.filter(kind="pestcontrol_aedes_alert").exists()


@pytest.mark.django_db(transaction=True)
def test_alert_race_between_two_threads(org, small_sample):
    """Two surveyors of the same community save at the same moment: one alert, one notice each."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the unique row is exercised by the test above")
    surveys = [
        services.household_survey_open(actor=org.community, jurisdiction=org.comm_a1, surveyed_on=date.today())
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    errors = []

    def run(s):
        try:
            barrier.wait()
            visit(org.community, s, jar={"wet": 1, "positive": 1})
            visit(org.community, s, address="2号", jar={"wet": 1, "positive": 1})
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in surveys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert VectorAlert.objects.count() == 1
    assert Notification.objects.filter(kind="pestcontrol_aedes_alert", recipient=org.community).count() == 1


def test_a_positive_site_with_a_photo_becomes_a_case(org, survey):
    ensure_categories()
    v, _created = services.visit_record(
        actor=org.community,
        survey=survey,
        client_id=uuid.uuid4(),
        address="甲一社区3栋",
        lat="31.467100",
        lng="104.683100",
        containers={"tyre": {"wet": 2, "positive": 1, "larvae": 6}},
        photos=[jpeg()],
    )
    assert v.case is not None
    assert v.case.category.code == "breeding_site"
    assert v.case.photos.count() == 1
    assert "阳性容器 1 个" in v.case.description
    assert v.photos.count() == 1
    # A replay does not open a second case.
    again, _ = services.visit_record(
        actor=org.community, survey=survey, client_id=v.client_id, address="x", photos=[jpeg()]
    )
    assert again.case_id == v.case_id


def test_a_grid_worker_reports_the_case_as_patrol(org):
    ensure_categories()
    survey = services.household_survey_open(actor=org.grid, jurisdiction=org.grid_a1, surveyed_on=date.today())
    v, _ = services.visit_record(
        actor=org.grid,
        survey=survey,
        client_id=uuid.uuid4(),
        address="网格1号",
        containers={"jar": {"wet": 1, "positive": 1}},
        photos=[jpeg()],
    )
    assert v.case.source == "patrol"


def test_a_positive_site_without_a_photo_keeps_no_case_and_a_case_failure_keeps_the_visit(org, survey, monkeypatch):
    ensure_categories()
    v, _ = visit(org.community, survey, jar={"wet": 1, "positive": 1})
    assert v.case is None
    with pytest.raises(DomainError, match="拍照"):
        services.visit_open_case(actor=org.community, visit=v)

    from apps.pestcontrol.services import case_link

    def refuse(**kwargs):
        raise DomainError("refused")

    monkeypatch.setattr(case_link, "case_report", refuse)
    kept, created = visit(org.community, survey, address="2号", photos=[jpeg()], jar={"wet": 1, "positive": 1})
    assert created and kept.case is None and HouseholdVisit.objects.filter(pk=kept.pk).exists()
    monkeypatch.undo()
    case = services.visit_open_case(actor=org.community, visit=kept)
    kept.refresh_from_db()
    assert kept.case == case


def test_pooled_figure_and_evidence(org, survey):
    from apps.core.evidence import EvidenceQuery, figures
    from apps.pestcontrol.evidence.aedes import survey_records

    for i in range(4):
        visit(org.community, survey, address=f"{i}号", jar={"wet": 2, "positive": 1 if i == 0 else 0})
    # The area's Breteau index is the surveys part's pooled figure: the survey's counts are the
    # sums of its visits, kept with every visit.
    compute = figures()["pestcontrol.index.breteau_index"].compute
    figure = compute(org.street_a.path, date.today() - timedelta(days=7), date.today())
    assert figure.value == Decimal("25.00") and figure.numerator == 1 and figure.denominator == 4
    assert f"jurisdiction={org.street_a.pk}" in figure.url
    assert not list(survey_records(EvidenceQuery(org.street_a.path)))
    services.household_survey_submit(actor=org.community, survey=survey)
    [record] = list(survey_records(EvidenceQuery(org.street_a.path)))
    assert "25.00" in record.summary


@pytest.mark.parametrize("case_count, weeks", [(12, 2), (150, 8)])
def test_the_demo_builder(org, case_count, weeks):
    from types import SimpleNamespace

    from apps.pestcontrol.demo.aedes import build

    ensure_categories()
    demo = SimpleNamespace(
        seed=1,
        case_count=case_count,
        communities=[org.comm_a1, org.comm_a2],
        street=org.street_a,
        now=timezone.now(),
        today=date.today(),
    )
    build(demo)
    from apps.pestcontrol.models import Survey

    assert Survey.objects.filter(jurisdiction=org.comm_a1).count() == weeks
    assert VectorAlert.objects.filter(jurisdiction=org.comm_a1).exists()
    assert HouseholdVisit.objects.filter(jurisdiction=org.comm_a1, case__isnull=False).count() == 1


def test_a_bad_risk_setting_is_refused_with_a_message(org):
    with pytest.raises(DomainError, match="风险起点"):
        services.aedes_setting_update(actor=org.office, changes={"medium_from": "abc"})
    with pytest.raises(DomainError, match="风险起点"):
        services.aedes_setting_update(actor=org.office, changes={"medium_from": "NaN"})


@pytest.mark.parametrize("failure", [OSError("photo gone"), ValueError("bad"), RuntimeError("boom")])
def test_any_failure_of_the_case_step_keeps_the_visit_and_answers(org, survey, monkeypatch, failure, caplog):
    """A visit is committed before its case: an exception of the case step (not only a DomainError)
    is logged and the visit answered with no case, so the phone's outbox never stalls on a 5xx."""
    ensure_categories()
    from apps.pestcontrol.services import case_link

    def fail(**kwargs):
        raise failure

    monkeypatch.setattr(case_link, "case_report", fail)
    kept, created = visit(org.community, survey, address="3号", photos=[jpeg()], jar={"wet": 1, "positive": 1})
    assert created and kept.case is None and HouseholdVisit.objects.filter(pk=kept.pk).exists()
    assert "failed" in caplog.text
    monkeypatch.undo()
    assert services.visit_open_case(actor=org.community, visit=kept).code.startswith("AJ")


def test_submission_is_audited_with_the_status_before_and_after(org, survey):
    from apps.core.models import AuditEvent

    visit(org.community, survey)
    services.household_survey_submit(actor=org.community, survey=survey, expected_version=None)
    event = AuditEvent.objects.get(action="pestcontrol.survey.household_submitted")
    assert event.data["before"]["status"] == "open" and event.data["after"]["status"] == "submitted"


def test_an_alert_sent_at_medium_risk_is_escalated_once_when_the_risk_rises(org, survey, small_sample):
    # 20 households, 1 positive container: BI 5 → 中风险, alerted.
    for i in range(20):
        visit(org.community, survey, address=f"{i}号", jar={"wet": 1, "positive": 1 if i == 19 else 0})
    alert = VectorAlert.objects.get()
    assert alert.risk == RiskLevel.MEDIUM
    sent = Notification.objects.filter(kind="pestcontrol_aedes_alert").count()
    assert sent == 2  # community and street
    visit(org.community, survey, address="20号", jar={"wet": 1, "positive": 0})  # still medium: silent
    assert Notification.objects.filter(kind="pestcontrol_aedes_alert").count() == sent
    visit(org.community, survey, address="21号", jar={"wet": 3, "positive": 3})  # 4/22 → BI 18.18: high
    alert.refresh_from_db()
    assert VectorAlert.objects.count() == 1 and alert.risk == RiskLevel.HIGH
    assert alert.breteau_index == Decimal("18.18")
    assert Notification.objects.filter(kind="pestcontrol_aedes_alert").count() == 2 * sent
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="pestcontrol.vectoralert.escalated").count() == 1
    visit(org.community, survey, address="22号", jar={"wet": 1, "positive": 0})  # high again: silent
    assert Notification.objects.filter(kind="pestcontrol_aedes_alert").count() == 2 * sent
