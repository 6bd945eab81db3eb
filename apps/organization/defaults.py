"""Default jurisdiction levels and unit types. Both stay editable after installation.

Used by migration 0002 (with historical models) and by builders that run after a
test flush has emptied the tables.

The names are stored in Chinese, as seeded; `gettext_noop` only marks them for the
catalogue, and pages show them through `{% translate obj.name %}`, so a seeded name
appears in English in English mode while a name an administrator typed stays as typed.
"""

from django.utils.translation import gettext_noop

LEVELS = [
    ("city", gettext_noop("市"), 10),
    ("district", gettext_noop("区/县"), 20),
    ("street", gettext_noop("街道/镇"), 30),
    ("community", gettext_noop("社区/村"), 40),
    ("estate", gettext_noop("小区/自然村"), 50),
    ("grid", gettext_noop("网格"), 60),
    ("building", gettext_noop("楼栋"), 70),
]

UNIT_TYPES = [
    ("government", gettext_noop("机关")),
    ("partner", gettext_noop("共建单位")),
    ("property", gettext_noop("物业公司")),
    ("shop", gettext_noop("商户/门店")),
    ("catering", gettext_noop("餐饮单位")),
    ("six_small", gettext_noop("六小行业")),
    ("school", gettext_noop("学校")),
    ("medical", gettext_noop("医疗机构")),
    ("market", gettext_noop("农贸市场")),
    ("stall", gettext_noop("摊位")),
    ("construction", gettext_noop("建筑工地")),
    ("rental", gettext_noop("出租屋")),
    ("other", gettext_noop("其他")),
]


def ensure_defaults(level_model=None, unit_type_model=None) -> None:
    if level_model is None or unit_type_model is None:
        from .models import JurisdictionLevel, UnitType

        level_model, unit_type_model = JurisdictionLevel, UnitType
    for code, name, rank in LEVELS:
        level_model.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for sort, (code, name) in enumerate(UNIT_TYPES, start=1):
        unit_type_model.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})
