"""Reference data shipped with the product for the drug ledger: the substances China prohibits
(the banned-substance list). Installed by migration 0002; `ensure()` puts back what a test flush
removed (the demo calls it).

Basis:
- 剧毒急性杀鼠剂 banned from production, sale and use (国务院办公厅《关于深入开展毒鼠强专项整治
  工作的通知》(国办发〔2003〕78号) and 农业部公告第199号): 毒鼠强 (四二四, TETS), 毒鼠硅
  (毒硅), 氟乙酰胺 (1081, 敌蚜胺), 氟乙酸钠 (1080), 甘氟 (1068);
- 农业部公告第199号 (2002) 国家明令禁止使用的农药: 六六六, 滴滴涕, 毒杀芬, 二溴氯丙烷, 杀虫脒,
  二溴乙烷, 除草醚, 艾氏剂, 狄氏剂, 汞制剂, 砷类, 铅类, 敌枯双 (and 氟乙酰胺, 甘氟, 毒鼠强,
  氟乙酸钠, 毒鼠硅 above).
The list is data: the administrator and the office may add, correct or deactivate entries."""

BASIS_RODENTICIDE = "国办发〔2003〕78号；农业部公告第199号（禁用剧毒杀鼠剂）"
BASIS_199 = "农业部公告第199号（国家明令禁止使用的农药）"

SUBSTANCES = [
    ("毒鼠强", "四二四、424、TETS、四亚甲基二砜四胺、没鼠命", BASIS_RODENTICIDE),
    ("毒鼠硅", "毒硅、硅灭鼠、氯硅宁、RS-150", BASIS_RODENTICIDE),
    ("氟乙酰胺", "1081、敌蚜胺、氟素儿", BASIS_RODENTICIDE),
    ("氟乙酸钠", "1080、一氟乙酸钠", BASIS_RODENTICIDE),
    ("甘氟", "1068、鼠甘伏", BASIS_RODENTICIDE),
    ("六六六", "666、HCH、BHC、六氯环己烷", BASIS_199),
    ("滴滴涕", "DDT", BASIS_199),
    ("毒杀芬", "氯化莰烯、toxaphene", BASIS_199),
    ("二溴氯丙烷", "DBCP", BASIS_199),
    ("杀虫脒", "chlordimeform", BASIS_199),
    ("二溴乙烷", "EDB", BASIS_199),
    ("除草醚", "nitrofen", BASIS_199),
    ("艾氏剂", "aldrin", BASIS_199),
    ("狄氏剂", "dieldrin", BASIS_199),
    ("汞制剂", "汞、升汞、甘汞、西力生、赛力散", BASIS_199),
    ("砷类", "砷酸钙、砷酸铅、亚砷酸、砒霜、三氧化二砷", BASIS_199),
    ("铅类", "铅制剂、醋酸铅", BASIS_199),
    ("敌枯双", "", BASIS_199),
]


def install(get_model=None) -> int:
    """Create the entries that are missing (by name); never overwrite the office's edits."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    model = get_model("pestcontrol", "BannedSubstance")
    existing = set(model.objects.values_list("name", flat=True))
    created = [
        model(name=name, aliases=aliases, basis=basis) for name, aliases, basis in SUBSTANCES if name not in existing
    ]
    model.objects.bulk_create(created)
    return len(created)


def ensure() -> None:
    install()
