"""Standards services: header, content edits, versioning (in place vs. a new version), validation, audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.campaigns.tests.factories import make_campaign
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.standards import services
from apps.standards.models import EvidenceRequirement, Standard, StandardIndicator, StandardItem, StandardVersion

pytestmark = pytest.mark.django_db


def build(o, code="svc-std"):
    standard = services.standard_create(actor=o.office, data={"code": code, "name": "测试标准", "kind": "local"})
    section = services.section_save(actor=o.office, standard=standard, data={"code": "1", "name": "组织管理"})
    item = services.item_save(
        actor=o.office,
        standard=standard,
        data={"section": section, "code": "1.1", "text": "成立领导小组", "kind": "scored", "points": Decimal("5")},
    )
    indicator = services.indicator_save(
        actor=o.office,
        standard=standard,
        item=item,
        data={"name": "满意率", "measure": "rate", "comparator": "gte", "threshold": Decimal("90"), "unit": "%"},
    )
    requirement = services.requirement_save(
        actor=o.office, standard=standard, item=item, data={"name": "成立文件", "min_count": 2}
    )
    standard.refresh_from_db()
    return standard, section, item, indicator, requirement


def actions(standard):
    return list(
        AuditEvent.objects.filter(object_id=str(standard.pk), action__startswith="standards.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_makes_version_one_and_audits(org):
    standard = services.standard_create(actor=org.office, data={"code": "a-1", "name": "甲", "kind": "local"})
    assert standard.current_version.number == 1
    assert list(standard.versions.values_list("number", flat=True)) == [1]
    assert actions(standard) == ["standards.standard.created"]


def test_only_office_and_admin_edit(org):
    with pytest.raises(PermissionDeniedForRole):
        services.standard_create(actor=org.street, data={"code": "a-2", "name": "乙", "kind": "local"})
    standard, _section, *_ = build(org)
    with pytest.raises(PermissionDeniedForRole):
        services.section_save(actor=org.community, standard=standard, data={"code": "2", "name": "x"})


def test_edit_of_an_unused_version_is_in_place(org):
    standard, _section, item, _indicator, _requirement = build(org)
    version = standard.current_version
    lock = standard.version
    services.item_save(
        actor=org.office,
        standard=standard,
        item=item,
        data={"text": "成立创卫领导小组，明确分工", "points": Decimal("6")},
        expected_version=lock,
    )
    standard.refresh_from_db()
    item.refresh_from_db()
    assert standard.current_version_id == version.pk
    assert StandardVersion.objects.filter(standard=standard).count() == 1
    assert (item.text, item.points) == ("成立创卫领导小组，明确分工", Decimal("6.0"))
    assert standard.version == lock + 1
    event = AuditEvent.objects.filter(action="standards.standard.item_changed").latest("id")
    assert event.data["changes"]["item.text"] == ["成立领导小组", "成立创卫领导小组，明确分工"]
    assert event.data["version_number"] == 1


def test_edit_of_a_used_version_makes_a_new_version_and_the_campaign_keeps_the_old(org):
    standard, _section, item, _indicator, _requirement = build(org)
    old = standard.current_version
    campaign = make_campaign(org, old, org.street_a)
    services.item_save(
        actor=org.office, standard=standard, item=item, data={"text": "新条文"}, expected_version=standard.version
    )
    standard.refresh_from_db()
    new = standard.current_version
    assert new.number == 2 and new.pk != old.pk
    # The old tree is untouched, the campaign still runs against it.
    item.refresh_from_db()
    assert item.text == "成立领导小组" and item.version_id == old.pk
    campaign.refresh_from_db()
    assert campaign.standard_version_id == old.pk
    # The new version holds a full copy with the edit applied.
    copied = StandardItem.objects.get(version=new, code="1.1")
    assert copied.text == "新条文" and copied.points == Decimal("5.0")
    assert list(copied.indicators.values_list("name", "threshold")) == [("满意率", Decimal("90.00"))]
    assert list(copied.requirements.values_list("name", "min_count")) == [("成立文件", 2)]
    assert new.sections.get().code == "1"
    assert old.items.count() == 1 and StandardIndicator.objects.filter(item__version=old).count() == 1
    assert actions(standard)[-2:] == ["standards.standard.version_created", "standards.standard.item_changed"]
    event = AuditEvent.objects.get(action="standards.standard.version_created")
    assert event.data == {"changes": {"current_version": [1, 2]}}


def test_second_edit_after_the_copy_goes_to_the_new_unused_version(org):
    standard, _section, _item, indicator, requirement = build(org)
    make_campaign(org, standard.current_version, org.street_a)
    services.indicator_save(actor=org.office, standard=standard, indicator=indicator, data={"threshold": Decimal("95")})
    standard.refresh_from_db()
    new_indicator = StandardIndicator.objects.get(item__version=standard.current_version)
    services.requirement_delete(
        actor=org.office,
        standard=standard,
        requirement=EvidenceRequirement.objects.get(item__version=standard.current_version),
    )
    standard.refresh_from_db()
    assert standard.versions.count() == 2
    new_indicator.refresh_from_db()
    assert new_indicator.threshold == Decimal("95.00")
    indicator.refresh_from_db()
    assert indicator.threshold == Decimal("90.00")
    assert not EvidenceRequirement.objects.filter(item__version=standard.current_version).exists()
    assert EvidenceRequirement.objects.filter(pk=requirement.pk).exists()


def test_deleting_from_a_used_version_removes_only_from_the_copy(org):
    standard, section, _item, *_ = build(org)
    old = standard.current_version
    make_campaign(org, old, org.street_a)
    services.section_delete(actor=org.office, standard=standard, section=section)
    standard.refresh_from_db()
    assert standard.current_version.number == 2
    assert not standard.current_version.sections.exists()
    assert old.sections.count() == 1 and old.items.count() == 1


def test_history_versions_are_read_only(org):
    standard, _section, item, *_ = build(org)
    make_campaign(org, standard.current_version, org.street_a)
    services.item_save(actor=org.office, standard=standard, item=item, data={"text": "v2"})
    standard.refresh_from_db()
    with pytest.raises(DomainError):
        services.item_save(actor=org.office, standard=standard, item=item, data={"text": "改旧版"})


def test_a_stale_page_is_refused(org):
    standard, _section, item, *_ = build(org)
    stale = standard.version - 1
    with pytest.raises(ConcurrentEdit):
        services.item_save(actor=org.office, standard=standard, item=item, data={"text": "x"}, expected_version=stale)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "scored", "points": None}, "points"),
        ({"kind": "plain", "points": Decimal("3")}, "points"),
        ({"code": "1.1"}, "code"),
        ({"text": " "}, "text"),
    ],
)
def test_item_validation(org, data, field):
    standard, section, *_ = build(org)
    base = {"section": section, "code": "1.2", "text": "条文", "kind": "plain"}
    with pytest.raises(ValidationError) as error:
        services.item_save(actor=org.office, standard=standard, data={**base, **data})
    assert field in error.value.message_dict
    assert StandardItem.objects.filter(version=standard.current_version).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"threshold": Decimal("101"), "unit": "%", "measure": "value"}, "threshold"),
        ({"threshold": Decimal("120"), "unit": "", "measure": "rate"}, "threshold"),
        ({"threshold": Decimal("-1"), "unit": "个", "measure": "count"}, "threshold"),
        ({"threshold": Decimal("50"), "unit": "个", "measure": "rate"}, "unit"),
        ({"name": ""}, "name"),
        ({"figure_key": "nobody.registers.this"}, "figure_key"),
    ],
)
def test_indicator_validation(org, data, field):
    standard, _section, item, *_ = build(org)
    base = {"name": "指标", "measure": "value", "comparator": "gte", "threshold": Decimal("5"), "unit": "次"}
    with pytest.raises(ValidationError) as error:
        services.indicator_save(actor=org.office, standard=standard, item=item, data={**base, **data})
    assert field in error.value.message_dict


def test_an_index_above_100_is_fine_and_a_rate_gets_percent(org):
    standard, _section, item, *_ = build(org)
    index = services.indicator_save(
        actor=org.office,
        standard=standard,
        item=item,
        data={"name": "路径指数", "measure": "index", "comparator": "lte", "threshold": Decimal("150"), "unit": ""},
    )
    rate = services.indicator_save(
        actor=org.office, standard=standard, item=item, data={"name": "知晓率", "measure": "rate", "unit": ""}
    )
    assert index.threshold == Decimal("150") and rate.unit == "%" and rate.threshold is None


def test_requirement_validation(org):
    standard, _section, item, *_ = build(org)
    with pytest.raises(ValidationError) as error:
        services.requirement_save(actor=org.office, standard=standard, item=item, data={"name": "x", "min_count": 0})
    assert "min_count" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.requirement_save(
            actor=org.office, standard=standard, item=item, data={"name": "x", "min_count": 1, "source": "nope"}
        )
    assert "source" in error.value.message_dict


def test_section_codes_are_unique_in_a_version(org):
    standard, *_ = build(org)
    with pytest.raises(ValidationError):
        services.section_save(actor=org.office, standard=standard, data={"code": "1", "name": "重复"})


def test_header_update_is_tracked(org):
    standard, *_ = build(org)
    updated = services.standard_update(
        actor=org.office,
        standard=standard,
        data={"name": "新名称", "code": "changed"},
        expected_version=standard.version,
    )
    assert updated.name == "新名称" and updated.code == "svc-std"
    event = AuditEvent.objects.filter(action="standards.standard.updated").latest("id")
    assert event.data["changes"] == {"name": ["测试标准", "新名称"]}


def test_every_content_edit_is_audited(org):
    standard, _section, item, indicator, _requirement = build(org)
    assert actions(standard) == [
        "standards.standard.created",
        "standards.standard.section_added",
        "standards.standard.item_added",
        "standards.standard.indicator_added",
        "standards.standard.requirement_added",
    ]
    services.indicator_delete(actor=org.office, standard=standard, indicator=indicator)
    services.item_delete(actor=org.office, standard=standard, item=item)
    assert actions(standard)[-2:] == ["standards.standard.indicator_removed", "standards.standard.item_removed"]
    assert Standard.objects.get(pk=standard.pk).current_version.items.count() == 0
