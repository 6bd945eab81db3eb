"""Default jurisdiction levels and unit types. Both stay editable after installation.

Used by migration 0002 (with historical models) and by builders that run after a
test flush has emptied the tables.
"""

LEVELS = [
    ("city", "市", 10),
    ("district", "区/县", 20),
    ("street", "街道/镇", 30),
    ("community", "社区/村", 40),
    ("estate", "小区/自然村", 50),
    ("grid", "网格", 60),
    ("building", "楼栋", 70),
]

UNIT_TYPES = [
    ("government", "机关"),
    ("partner", "共建单位"),
    ("property", "物业公司"),
    ("shop", "商户/门店"),
    ("catering", "餐饮单位"),
    ("six_small", "六小行业"),
    ("school", "学校"),
    ("medical", "医疗机构"),
    ("market", "农贸市场"),
    ("stall", "摊位"),
    ("construction", "建筑工地"),
    ("rental", "出租屋"),
    ("other", "其他"),
]


def ensure_defaults(level_model=None, unit_type_model=None) -> None:
    if level_model is None or unit_type_model is None:
        from .models import JurisdictionLevel, UnitType

        level_model, unit_type_model = JurisdictionLevel, UnitType
    for code, name, rank in LEVELS:
        level_model.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for sort, (code, name) in enumerate(UNIT_TYPES, start=1):
        unit_type_model.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})
