"""Surveys, minimum samples, control-level versions and grades through the real services."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.pestcontrol import builtin_levels
from apps.pestcontrol.grading import ThresholdCache
from apps.pestcontrol.models import ControlThreshold, ControlVersion, PestCampaign, Survey
from apps.pestcontrol.selectors import grades
from apps.pestcontrol.selectors.surveys import campaign_efficacy, decorate, survey_list
from apps.pestcontrol.services.levels import thresholds_update, version_used
from apps.pestcontrol.services.surveys import method_setting_save, survey_create, survey_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def levels():
    builtin_levels.ensure()


def today():
    return timezone.localdate()


def powder(org, valid, positive, *, who=None, place_type="residential", jurisdiction=None, day=None, **extra):
    return survey_create(
        actor=who or org.community,
        method="rat_powder",
        jurisdiction=jurisdiction or org.comm_a1,
        place_type=place_type,
        surveyed_on=day or today() - timedelta(days=1),
        counts={"patches_valid": valid, "patches_positive": positive},
        **extra,
    )


def test_shipped_levels_are_four_standards_with_two_fly_versions_all_examples():
    assert ControlVersion.objects.filter(standard__pest="fly").count() == 2
    assert ControlVersion.objects.values("standard__code").distinct().count() == 4
    assert not ControlVersion.objects.filter(is_example=False).exists()
    builtin_levels.ensure()  # idempotent
    assert ControlVersion.objects.count() == 5


def test_survey_stores_raw_counts_and_computes(org):
    survey = powder(org, 200, 3, place_name="幸福小区")
    assert survey.counts == {"patches_valid": 200, "patches_positive": 3}
    assert survey.sample_size == 200 and survey.pest == "rat" and survey.surveyor == org.community
    assert survey.indices() == {"rat_powder_rate": D("1.50")}
    assert AuditEvent.objects.filter(action="pestcontrol.survey.created", object_id=str(survey.pk)).exists()


@pytest.mark.parametrize(
    "counts, message",
    [
        ({"patches_valid": 10, "patches_positive": 11}, "不能大于"),
        ({"patches_valid": 0, "patches_positive": 0}, "应大于 0"),
        ({"patches_valid": "-3", "patches_positive": 0}, "整数"),
        ({"patches_valid": "1.5", "patches_positive": 0}, "整数"),
        ({"patches_valid": "１２", "patches_positive": 0}, "整数"),
        ({"patches_valid": 100}, "请填写"),
    ],
)
def test_bad_counts_are_refused_with_a_message(org, counts, message):
    with pytest.raises(DomainError) as error:
        survey_create(
            actor=org.community,
            method="rat_powder",
            jurisdiction=org.comm_a1,
            place_type="residential",
            surveyed_on=today(),
            counts=counts,
        )
    assert message in str(error.value.message)
    assert not Survey.objects.exists()


def test_lengths_are_decimals_and_household_method_is_refused(org):
    survey = survey_create(
        actor=org.inspector,
        method="rat_path",
        jurisdiction=org.comm_a1,
        place_type="outdoor",
        surveyed_on=today(),
        counts={"distance_km": "2.5", "sites_positive": 3},
    )
    assert survey.counts["distance_km"] == "2.50" and survey.indices()["rat_path_index"] == D("1.20")
    with pytest.raises(DomainError, match="两位小数"):
        survey_create(
            actor=org.inspector,
            method="rat_path",
            jurisdiction=org.comm_a1,
            place_type="outdoor",
            surveyed_on=today(),
            counts={"distance_km": "2.555", "sites_positive": 3},
        )
    with pytest.raises(DomainError, match="入户"):
        survey_create(
            actor=org.inspector,
            method="mosquito_household",
            jurisdiction=org.comm_a1,
            place_type="residential",
            surveyed_on=today(),
            counts={"households": 101, "households_positive": 5, "containers_wet": 40, "containers_positive": 7},
        )


def test_scope_role_and_date(org):
    with pytest.raises(DomainError):
        powder(org, 100, 1, jurisdiction=org.comm_b1)  # another street
    with pytest.raises(PermissionDeniedForRole):
        powder(org, 100, 1, who=org.leader)
    with pytest.raises(DomainError, match="晚于今天"):
        powder(org, 100, 1, day=today() + timedelta(days=1))


def test_min_sample_flag_from_setting_or_default(org):
    small = powder(org, 60, 1)  # default minimum 100
    big = powder(org, 150, 1)
    rows = {s.pk: s for s in decorate(Survey.objects.all())}
    assert rows[small.pk].below_minimum and not rows[big.pk].below_minimum
    assert [s.pk for s in survey_list(user=org.community, filters={"below": "1"})] == [small.pk]
    method_setting_save(actor=org.office, method="rat_powder", min_sample=50)
    assert not survey_list(user=org.community, filters={"below": "1"}).exists()
    with pytest.raises(PermissionDeniedForRole):
        method_setting_save(actor=org.street, method="rat_powder", min_sample=80)


def test_correction_is_versioned_and_audited(org):
    survey = powder(org, 100, 2)
    updated = survey_update(
        actor=org.community,
        survey=survey,
        expected_version=survey.version,
        changes={"place_name": "东门"},
        counts={"patches_valid": 100, "patches_positive": 4},
    )
    assert updated.version == survey.version + 1 and updated.indices()["rat_powder_rate"] == D("4.00")
    event = AuditEvent.objects.get(action="pestcontrol.survey.updated")
    assert "counts" in event.data["changes"] and "place_name" in event.data["changes"]
    with pytest.raises(ConcurrentEdit):
        survey_update(actor=org.community, survey=survey, expected_version=survey.version, changes={"notes": "x"})
    with pytest.raises(DomainError, match="不能大于"):
        survey_update(
            actor=org.community,
            survey=updated,
            expected_version=updated.version,
            changes={},
            counts={"patches_valid": 5, "patches_positive": 6},
        )
    assert Survey.objects.get().counts["patches_positive"] == 4


def test_editing_an_unused_version_changes_it_in_place(org):
    version = ControlVersion.objects.get(standard__pest="cockroach")
    assert not version_used(version)
    result = thresholds_update(
        actor=org.office,
        version=version,
        limits={("cockroach_trap_rate", "", "A"): D("1.5")},
        expected_version=version.version,
    )
    assert result.pk == version.pk and result.version == version.version + 1
    assert ControlThreshold.objects.get(
        version=version, index="cockroach_trap_rate", place_type="", level="A"
    ).limit == D("1.5")
    assert AuditEvent.objects.filter(action="pestcontrol.controlversion.updated").exists()


def test_limits_out_of_order_or_range_are_refused(org):
    version = ControlVersion.objects.get(standard__pest="cockroach")
    with pytest.raises(DomainError, match="顺序"):
        thresholds_update(
            actor=org.office,
            version=version,
            limits={("cockroach_trap_rate", "", "A"): D("9")},
            expected_version=None,
        )
    with pytest.raises(DomainError, match="范围"):
        thresholds_update(
            actor=org.office,
            version=version,
            limits={("cockroach_trap_rate", "", "C"): D("101")},
            expected_version=None,
        )
    with pytest.raises(PermissionDeniedForRole):
        thresholds_update(actor=org.street, version=version, limits={}, expected_version=None)


def test_new_version_regrades_without_touching_observations(org):
    """A used version is never changed: the edit makes a new version from a chosen date; the
    surveys after it are regraded when read, their counts unchanged."""
    old = ControlVersion.objects.get(standard__pest="rat")
    survey = powder(org, 100, 2)  # 2.00% → B under the example limits (A ≤ 1, B ≤ 3)
    counts_before = dict(Survey.objects.get(pk=survey.pk).counts)
    assert decorate([survey])[0].grade == "B"
    assert version_used(old)
    with pytest.raises(DomainError, match="实施日期"):
        thresholds_update(
            actor=org.office, version=old, limits={("rat_powder_rate", "", "A"): D("2")}, expected_version=None
        )
    start = today() - timedelta(days=30)
    new = thresholds_update(
        actor=org.office,
        version=old,
        limits={("rat_powder_rate", "", "A"): D("2")},
        expected_version=old.version,
        effective_from=start,
    )
    assert new.pk != old.pk and new.effective_from == start
    assert ControlThreshold.objects.get(version=old, index="rat_powder_rate", place_type="", level="A").limit == D("1")
    assert ControlThreshold.objects.filter(version=new).count() == ControlThreshold.objects.filter(version=old).count()
    regraded = decorate([Survey.objects.get(pk=survey.pk)])[0]
    assert regraded.grade == "A" and regraded.version_in_force == new
    assert Survey.objects.get(pk=survey.pk).counts == counts_before
    event = AuditEvent.objects.get(action="pestcontrol.controlversion.created")
    assert event.data["from_version"] == str(old)
    # A survey before the new date keeps the old version's grade.
    older = powder(org, 100, 2, day=start - timedelta(days=1))
    assert decorate([older])[0].grade == "B"


def test_grade_table_pools_places_and_takes_worst(org):
    day = today() - timedelta(days=1)
    powder(org, 100, 1, day=day)  # A1 residential: pooled with the next
    powder(org, 100, 3, day=day)  # → 4/200 = 2.00% → B
    powder(org, 100, 6, jurisdiction=org.comm_a2, who=org.street, day=day)  # A2: 6% → 未达C级
    powder(org, 200, 1, place_type="catering", day=day)  # A1 catering 0.5% → A (its own row: A ≤ 0.5)
    cache = ThresholdCache()
    start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    thresholds = grades.period_thresholds(cache, end)
    table = grades.grade_table(
        node=org.street_a, children=[org.comm_a1, org.comm_a2], start=start, end=end, thresholds=thresholds
    )
    rows = {row["node"].pk: row for row in table["rows"]}
    assert rows[org.comm_a1.pk]["grades"]["rat"].grade == "B"
    assert rows[org.comm_a1.pk]["surveys"] == 3
    assert rows[org.comm_a2.pk]["grades"]["rat"].grade == "fail"
    street = rows[org.street_a.pk]["grades"]["rat"]
    assert street.grade == "fail" and street.place.jurisdiction_id == org.comm_a2.pk
    assert rows[org.street_a.pk]["grades"]["fly"].grade is None
    types = {row["place_type"]: row["grades"]["rat"].grade for row in table["type_rows"]}
    assert types == {"residential": "fail", "catering": "A"}


def test_campaign_efficacy_pools_before_and_after(org):
    campaign = PestCampaign.objects.create(
        jurisdiction=org.street_a,
        kind="autumn_rat",
        title="秋季灭鼠",
        pests=["rat"],
        start_date=today() - timedelta(days=20),
        end_date=today() - timedelta(days=10),
    )
    powder(org, 100, 6, campaign=campaign, phase="before")
    powder(org, 100, 10, jurisdiction=org.comm_a2, who=org.street, campaign=campaign, phase="before")  # 16/200 = 8%
    powder(org, 200, 4, campaign=campaign, phase="after")  # 2%
    survey_create(
        actor=org.community,
        method="rat_proofing",
        jurisdiction=org.comm_a1,
        place_type="catering",
        surveyed_on=today(),
        counts={"facilities_checked": 40, "facilities_ok": 30},
        campaign=campaign,
        phase="before",
    )
    rows = {row.index.key: row for row in campaign_efficacy(user=org.street, campaign=campaign)}
    powder_row = rows["rat_powder_rate"]
    assert (powder_row.before, powder_row.after, powder_row.efficacy) == (D("8.00"), D("2.00"), D("75.00"))
    assert powder_row.before_surveys == 2 and powder_row.after_surveys == 1
    assert rows["rat_proofing_rate"].after is None and rows["rat_proofing_rate"].efficacy is None
    with pytest.raises(DomainError, match="防制前或防制后"):
        powder(org, 100, 1, campaign=campaign)
    with pytest.raises(DomainError, match="所属行动"):
        powder(org, 100, 1, phase="after")


def test_a_new_version_of_an_old_one_cannot_override_the_next_version(org):
    """Editing the used 2011 fly version with a date after 27772-2025 would copy the 2011 limits
    over the newer standard: refused; a date between the two is accepted."""
    old, newer = ControlVersion.objects.filter(standard__pest="fly").order_by("effective_from")
    # A survey graded by the 2011 version.
    Survey.objects.create(
        jurisdiction=org.comm_a1,
        place_type="residential",
        method="fly_room",
        pest="fly",
        surveyed_on=old.effective_from + timedelta(days=10),
        counts={},
        sample_size=1,
    )
    assert version_used(old)
    limits = {("fly_room_rate", "", "A"): D("2")}
    with pytest.raises(DomainError, match="下一个版本"):
        thresholds_update(
            actor=org.office,
            version=old,
            limits=limits,
            expected_version=None,
            effective_from=newer.effective_from + timedelta(days=30),
        )
    between = thresholds_update(
        actor=org.office,
        version=old,
        limits=limits,
        expected_version=None,
        effective_from=newer.effective_from - timedelta(days=1),
    )
    assert between.pk not in (old.pk, newer.pk)
