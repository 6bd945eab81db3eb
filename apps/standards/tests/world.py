"""The standards' part of the access-matrix world: a small standard of its own (the campaigns'
world has `o.standard`/`o.standard_version`, so these are named `stds_*`)."""

from decimal import Decimal

from apps.standards import services


def extend(o) -> None:
    standard = services.standard_create(actor=None, data={"code": "world-std", "name": "访问测试标准", "kind": "local"})
    o.stds_standard = standard
    o.stds_version = standard.current_version
    o.stds_section = services.section_save(actor=None, standard=standard, data={"code": "1", "name": "组织管理"})
    o.stds_item = services.item_save(
        actor=None,
        standard=standard,
        data={"section": o.stds_section, "code": "1.1", "text": "成立领导小组", "kind": "plain"},
    )
    o.stds_indicator = services.indicator_save(
        actor=None,
        standard=standard,
        item=o.stds_item,
        data={"name": "满意率", "measure": "rate", "comparator": "gte", "threshold": Decimal("90"), "unit": "%"},
    )
    o.stds_requirement = services.requirement_save(
        actor=None, standard=standard, item=o.stds_item, data={"name": "领导小组成立文件", "min_count": 1}
    )
    o.stds_spare_requirement = services.requirement_save(
        actor=None, standard=standard, item=o.stds_item, data={"name": "可删除的资料", "min_count": 1}
    )
