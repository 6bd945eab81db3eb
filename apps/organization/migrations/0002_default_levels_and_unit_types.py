"""Default jurisdiction levels and unit types; both stay editable afterwards."""

from django.db import migrations

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


def create_defaults(apps, schema_editor):
    Level = apps.get_model("organization", "JurisdictionLevel")
    UnitType = apps.get_model("organization", "UnitType")
    for code, name, rank in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for sort, (code, name) in enumerate(UNIT_TYPES, start=1):
        UnitType.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
