"""Starting checklist templates shipped with the product; point values are examples an office is expected to adjust.

Pure data (no Django imports): each template lists sections of scored items whose maximums sum to 100.
``validate_starters`` checks the rules the scoring code relies on (sums, caps, codes).
"""

from decimal import Decimal, InvalidOperation

RULES = ("per_occurrence", "fixed", "pass_fail")
TARGET_KINDS = ("jurisdiction", "unit")
UNIT_TYPES = (
    "government",
    "partner",
    "property",
    "shop",
    "catering",
    "six_small",
    "school",
    "medical",
    "market",
    "stall",
    "construction",
    "rental",
    "other",
)
CATEGORIES = (
    "dead_corner",
    "exposed_garbage",
    "bin_overflow",
    "clutter",
    "sewage",
    "green_dirty",
    "toilet_dirty",
    "graffiti",
    "illegal_build",
    "hanging",
    "road_occupation",
    "mobile_vendor",
    "outside_business",
    "parking",
    "breeding_site",
    "poultry",
    "bin_broken",
    "cover_missing",
)
TEMPLATE_KEYS = {"code", "name", "target_kind", "unit_types", "level", "description", "sections"}
SECTION_KEYS = {"name", "items"}
ITEM_KEYS = {"code", "text", "max_score", "rule", "deduction", "cap", "photo_required", "veto", "category"}
EXAMPLE_NOTE = "（分值为示例，请各地按实际调整）"


def _per(code, text, max_score, deduction, cap, *, photo=True, category=None, veto=False) -> dict:
    """An item that deducts ``deduction`` per finding, up to ``cap``."""
    return {
        "code": code,
        "text": text,
        "max_score": max_score,
        "rule": "per_occurrence",
        "deduction": deduction,
        "cap": cap,
        "photo_required": photo,
        "veto": veto,
        "category": category,
    }


def _fixed(code, text, max_score, deduction, *, photo=True, category=None, veto=False) -> dict:
    """An item that deducts ``deduction`` once if there is any finding."""
    return {
        "code": code,
        "text": text,
        "max_score": max_score,
        "rule": "fixed",
        "deduction": deduction,
        "cap": None,
        "photo_required": photo,
        "veto": veto,
        "category": category,
    }


def _pass_fail(code, text, max_score, *, photo=True, category=None, veto=False) -> dict:
    """An item that loses its whole maximum when failed."""
    return {
        "code": code,
        "text": text,
        "max_score": max_score,
        "rule": "pass_fail",
        "deduction": "0",
        "cap": None,
        "photo_required": photo,
        "veto": veto,
        "category": category,
    }


STARTER_TEMPLATES: list[dict] = [
    {
        "code": "residential",
        "name": "小区环境卫生",
        "target_kind": "jurisdiction",
        "unit_types": [],
        "level": "estate",
        "description": "用于检查住宅小区的环境卫生、市容秩序、病媒生物防制和日常管理" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、环境卫生",
                "items": [
                    _per("1.1", "道路、楼道、楼顶无暴露垃圾、无卫生死角", "10", "2", "10", category="dead_corner"),
                    _per(
                        "1.2",
                        "垃圾桶（箱）数量充足、加盖密闭、定时清运，无满溢",
                        "8",
                        "2",
                        "8",
                        category="bin_overflow",
                    ),
                    _per("1.3", "楼道、地下室、公共区域无乱堆乱放杂物", "8", "2", "8", category="clutter"),
                    _per("1.4", "绿化带内无垃圾杂物，无毁绿种菜", "5", "1", "5", category="green_dirty"),
                    _per("1.5", "无污水横流，下水道、化粪池无堵塞外溢", "4", "2", "4", category="sewage"),
                ],
            },
            {
                "name": "二、市容秩序",
                "items": [
                    _per("2.1", "墙面、楼道无乱贴乱画、小广告", "6", "1", "6", category="graffiti"),
                    _per("2.2", "无乱搭乱建、违章建筑", "6", "3", "6", category="illegal_build"),
                    _per("2.3", "无乱拉乱挂、乱晾晒", "5", "1", "5", category="hanging"),
                    _per("2.4", "车辆停放有序，无占用消防通道乱停乱放", "5", "1", "5", category="parking"),
                    _fixed("2.5", "无散养家禽家畜", "3", "3", category="poultry"),
                ],
            },
            {
                "name": "三、病媒生物防制",
                "items": [
                    _per(
                        "3.1", "无鼠迹、鼠洞，公共区域按规定设置毒鼠屋（站）", "6", "2", "6", category="breeding_site"
                    ),
                    _per("3.2", "无积水容器、废旧轮胎等蚊蝇孳生地", "8", "2", "8", category="breeding_site"),
                    _per("3.3", "窨井盖、化粪池盖完好，无缺失破损", "6", "2", "6", category="cover_missing"),
                ],
            },
            {
                "name": "四、管理与宣传",
                "items": [
                    _fixed("4.1", "有物业或专职保洁人员，卫生保洁制度和责任人明确", "6", "4", photo=False),
                    _fixed("4.2", "设有健康教育宣传栏，内容定期更新", "5", "3"),
                    _fixed("4.3", "垃圾分类投放点设置规范，分类标识清晰", "4", "2"),
                    _per("4.4", "垃圾桶（箱）、果皮箱完好无破损", "5", "1", "5", category="bin_broken"),
                ],
            },
        ],
    },
    {
        "code": "frontage",
        "name": "门前三包/五包（商户）",
        "target_kind": "unit",
        "unit_types": ["shop", "catering", "six_small"],
        "level": "",
        "description": "用于检查沿街商户落实门前五包（卫生、秩序、绿化、美化、市政公用设施）责任的情况" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、包卫生",
                "items": [
                    _per(
                        "1.1", "门前责任区地面干净，无果皮纸屑、烟头、痰迹", "8", "1", "8", category="exposed_garbage"
                    ),
                    _per("1.2", "无乱倒垃圾、污水，门前地面无油污", "7", "2", "7", category="sewage"),
                    _per("1.3", "配备加盖垃圾容器，垃圾袋装、无满溢", "6", "2", "6", category="bin_overflow"),
                    _per("1.4", "门前及店铺周边无卫生死角", "5", "1", "5", category="dead_corner"),
                    _fixed("1.5", "门窗、招牌、橱窗玻璃洁净", "4", "2"),
                ],
            },
            {
                "name": "二、包秩序",
                "items": [
                    _per("2.1", "无店外经营、占道经营", "12", "3", "12", category="outside_business"),
                    _per("2.2", "门前无乱设摊点，无流动摊贩聚集", "6", "2", "6", category="mobile_vendor"),
                    _per("2.3", "无占用人行道、盲道堆放货物杂物", "6", "2", "6", category="road_occupation"),
                    _per("2.4", "门前车辆停放整齐，无乱停乱放", "6", "1", "6", category="parking"),
                    _per("2.5", "无乱拉乱挂、乱晾晒", "5", "1", "5", category="hanging"),
                ],
            },
            {
                "name": "三、包绿化美化",
                "items": [
                    _per("3.1", "门前绿化带、树穴干净，无垃圾杂物", "6", "1", "6", category="green_dirty"),
                    _per("3.2", "无践踏损毁花草树木，无在树上晾挂物品", "4", "2", "4", category="green_dirty"),
                    _per("3.3", "门面、墙体无乱贴乱画、小广告", "5", "1", "5", category="graffiti"),
                    _fixed("3.4", "户外广告、店招设置规范，无破损、无缺字", "5", "3"),
                ],
            },
            {
                "name": "四、包市政公用设施",
                "items": [
                    _per("4.1", "门前窨井盖、雨水篦子完好无缺失", "5", "2", "5", category="cover_missing"),
                    _per("4.2", "无私搭乱建、违规搭建雨棚", "6", "3", "6", category="illegal_build"),
                    _fixed("4.3", "签订门前五包责任书并上墙公示", "4", "4", photo=False),
                ],
            },
        ],
    },
    {
        "code": "catering",
        "name": "餐饮单位",
        "target_kind": "unit",
        "unit_types": ["catering"],
        "level": "",
        "description": "用于检查餐饮单位的证照、三防设施、后厨与餐具卫生及餐厨垃圾处理，无证经营一票否决"
        + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、证照管理",
                "items": [
                    _pass_fail("1.1", "持有效《食品经营许可证》经营（无证经营一票否决）", "10", photo=False, veto=True),
                    _fixed("1.2", "证照悬挂于醒目位置亮证经营，公示食品安全量化分级等级", "4", "4"),
                    _per("1.3", "从业人员持有效健康证明上岗", "6", "2", "6", photo=False),
                ],
            },
            {
                "name": "二、三防设施（防鼠、防蝇、防尘）",
                "items": [
                    _per("2.1", "门口设挡鼠板（高度不低于60厘米），排水口设防鼠网篦", "6", "2", "6"),
                    _per("2.2", "配备纱门纱窗、风幕机或灭蝇灯等防蝇设施并正常使用", "6", "2", "6"),
                    _per("2.3", "直接入口食品防尘遮盖，食品原料离地离墙存放", "4", "2", "4"),
                    _per("2.4", "无鼠迹、蟑螂，无蝇类孳生", "4", "2", "4", category="breeding_site"),
                ],
            },
            {
                "name": "三、后厨与餐具卫生",
                "items": [
                    _per("3.1", "餐具饮具清洗消毒设施齐全，消毒后存放于密闭保洁柜", "10", "2", "10"),
                    _per("3.2", "后厨地面、墙面、灶台清洁，无油垢、无积水", "8", "2", "8"),
                    _per("3.3", "生熟分开，原料、半成品、成品分区存放，标识清楚", "6", "2", "6"),
                    _per("3.4", "从业人员穿戴清洁工作衣帽，操作规范", "5", "1", "5"),
                    _fixed("3.5", "油烟净化设施正常运行，排烟管道定期清洗", "6", "3"),
                ],
            },
            {
                "name": "四、垃圾泔水与门前环境",
                "items": [
                    _per(
                        "4.1",
                        "餐厨垃圾、泔水使用加盖专用容器存放，日产日清、无满溢",
                        "7",
                        "2",
                        "7",
                        category="bin_overflow",
                    ),
                    _fixed("4.2", "餐厨垃圾（泔水）交有资质单位收运处置，收运台账完整", "5", "5", photo=False),
                    _per("4.3", "隔油池设置规范，无污水、油污外溢", "5", "2", "5", category="sewage"),
                    _per("4.4", "无店外经营、占道经营", "5", "2", "5", category="outside_business"),
                    _per("4.5", "门前卫生整洁，落实门前三包", "3", "1", "3", category="exposed_garbage"),
                ],
            },
        ],
    },
    {
        "code": "market",
        "name": "农贸市场",
        "target_kind": "unit",
        "unit_types": ["market"],
        "level": "",
        "description": "用于检查农贸市场的环境卫生、布局与经营秩序、病媒生物防制和卫生管理，活禽宰杀区未隔离一票否决"
        + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、环境卫生",
                "items": [
                    _per("1.1", "市场内地面干净，无暴露垃圾、无卫生死角", "8", "2", "8", category="dead_corner"),
                    _per("1.2", "垃圾收集容器加盖密闭、数量充足，垃圾日产日清", "6", "2", "6", category="bin_overflow"),
                    _per("1.3", "排水沟渠通畅，无污水横流、无积水", "6", "2", "6", category="sewage"),
                    _per("1.4", "摊位及周边无堆放杂物、包装废弃物", "5", "1", "5", category="clutter"),
                    _per("1.5", "市场公厕达到二类以上标准，保洁及时、无异味", "5", "1", "5", category="toilet_dirty"),
                ],
            },
            {
                "name": "二、布局与经营秩序",
                "items": [
                    _pass_fail(
                        "2.1",
                        "活禽经营区与其他区域有效隔离，宰杀区独立设置（未隔离一票否决）",
                        "10",
                        category="poultry",
                        veto=True,
                    ),
                    _fixed("2.2", "按商品种类划行归市、分区经营", "5", "3"),
                    _per("2.3", "无超线经营，市场周边无占道经营、马路市场", "8", "2", "8", category="road_occupation"),
                    _per("2.4", "市场出入口及周边无流动摊贩", "4", "1", "4", category="mobile_vendor"),
                    _per("2.5", "车辆停放有序，设非机动车停放区", "3", "1", "3", category="parking"),
                ],
            },
            {
                "name": "三、病媒生物防制",
                "items": [
                    _per("3.1", "肉类、熟食、水产等摊位配备防蝇罩、纱罩等防蝇设施", "6", "1", "6"),
                    _per("3.2", "无鼠迹、鼠洞，防鼠设施完好", "5", "1", "5", category="breeding_site"),
                    _per("3.3", "无蟑螂活体及卵鞘", "4", "1", "4", category="breeding_site"),
                    _per("3.4", "无积水、腐烂废弃物等蚊蝇孳生地", "5", "1", "5", category="breeding_site"),
                ],
            },
            {
                "name": "四、卫生管理",
                "items": [
                    _fixed("4.1", "设立卫生管理机构，配备专职保洁人员，管理制度上墙", "5", "3", photo=False),
                    _fixed("4.2", "活禽区每日清洗消毒、定期休市消毒，消毒记录完整", "6", "4", photo=False),
                    _per("4.3", "经营户亮证亮照，从业人员持有效健康证明", "5", "1", "5", photo=False),
                    _fixed("4.4", "设置健康教育宣传栏，内容定期更新", "4", "2"),
                ],
            },
        ],
    },
    {
        "code": "institution",
        "name": "机关/企事业单位卫生",
        "target_kind": "unit",
        "unit_types": ["government", "partner", "school", "medical", "other"],
        "level": "",
        "description": "用于检查机关、企事业单位内部环境卫生、市容秩序、病媒生物防制和健康教育控烟工作" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、环境卫生",
                "items": [
                    _per("1.1", "院内道路、绿地干净，无暴露垃圾、无卫生死角", "10", "2", "10", category="dead_corner"),
                    _per("1.2", "垃圾分类收集容器配置到位、加盖，无满溢", "6", "2", "6", category="bin_overflow"),
                    _per("1.3", "楼道、楼顶、车棚无乱堆乱放", "6", "2", "6", category="clutter"),
                    _per("1.4", "办公室、会议室整洁，物品摆放有序", "5", "1", "5"),
                    _per("1.5", "单位内部厕所清洁无异味，设施完好", "8", "2", "8", category="toilet_dirty"),
                ],
            },
            {
                "name": "二、市容秩序",
                "items": [
                    _per("2.1", "无乱贴乱画、乱拉乱挂", "6", "1", "6", category="graffiti"),
                    _per("2.2", "无违章搭建", "6", "3", "6", category="illegal_build"),
                    _per("2.3", "车辆停放整齐有序", "4", "1", "4", category="parking"),
                    _per("2.4", "门前责任区落实门前三包，地面整洁", "4", "1", "4", category="exposed_garbage"),
                ],
            },
            {
                "name": "三、病媒生物防制",
                "items": [
                    _per("3.1", "食堂、库房等重点部位防鼠、防蝇设施齐全", "8", "2", "8"),
                    _per("3.2", "无鼠迹、蟑螂等病媒生物侵害", "6", "2", "6", category="breeding_site"),
                    _per("3.3", "无积水容器等蚊蝇孳生地", "6", "2", "6", category="breeding_site"),
                ],
            },
            {
                "name": "四、健康教育与控烟",
                "items": [
                    _fixed("4.1", "爱国卫生组织健全，有分管领导和专（兼）职人员，制度完善", "6", "4", photo=False),
                    _fixed("4.2", "设有健康教育宣传栏，内容定期更新", "5", "3"),
                    _per("4.3", "室内公共场所全面禁烟，设置禁烟标识，无烟头、无吸烟行为", "8", "2", "8"),
                    _fixed("4.4", "爱国卫生月等活动有记录、有台账", "6", "4", photo=False),
                ],
            },
        ],
    },
    {
        "code": "toilet",
        "name": "公共厕所",
        "target_kind": "unit",
        "unit_types": ["other"],
        "level": "",
        "description": "用于检查公共厕所的保洁卫生、设施设备、标识管理和病媒生物防制" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、保洁卫生",
                "items": [
                    _per("1.1", "地面、墙面、门窗干净，无积水、无垃圾", "10", "2", "10", category="toilet_dirty"),
                    _per("1.2", "便器（槽）清洁，无积粪、无尿垢", "10", "2", "10", category="toilet_dirty"),
                    _fixed("1.3", "通风良好，无明显臭味", "8", "4", photo=False, category="toilet_dirty"),
                    _per("1.4", "纸篓及时清理，无满溢", "6", "2", "6", category="bin_overflow"),
                    _per("1.5", "洗手池清洁，配备洗手液", "6", "2", "6", category="toilet_dirty"),
                ],
            },
            {
                "name": "二、设施设备",
                "items": [
                    _per("2.1", "冲水、照明、通风设施完好，正常使用", "8", "2", "8", category="toilet_dirty"),
                    _per("2.2", "门窗、隔断、挂钩完好无破损", "6", "2", "6", category="toilet_dirty"),
                    _per("2.3", "化粪池定期清掏，无粪便污水外溢", "6", "3", "6", category="sewage"),
                    _fixed("2.4", "无障碍设施、第三卫生间设施完好", "5", "3"),
                ],
            },
            {
                "name": "三、标识与管理",
                "items": [
                    _fixed("3.1", "指路牌、男女标识清晰醒目", "5", "3"),
                    _fixed("3.2", "公示开放时间、保洁责任人及监督电话", "5", "3"),
                    _fixed("3.3", "有专人保洁，保洁记录完整", "6", "4", photo=False),
                    _per("3.4", "墙面、隔断无乱涂乱画、小广告", "4", "1", "4", category="graffiti"),
                ],
            },
            {
                "name": "四、病媒生物防制",
                "items": [
                    _per("4.1", "设纱窗、灭蝇灯等防蝇设施并正常使用", "5", "1", "5"),
                    _per("4.2", "无蝇蛆孳生，无成蝇聚集", "6", "2", "6", category="breeding_site"),
                    _per("4.3", "无鼠迹、蟑螂", "4", "2", "4", category="breeding_site"),
                ],
            },
        ],
    },
    {
        "code": "health_board",
        "name": "健康教育宣传栏",
        "target_kind": "unit",
        "unit_types": ["other"],
        "level": "",
        "description": "用于检查健康教育宣传栏的设置、健康知识内容更新和日常维护管理" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、设置规范",
                "items": [
                    _fixed("1.1", "宣传栏设置在人群易于观看的醒目位置", "8", "4"),
                    _pass_fail("1.2", "宣传栏面积符合要求（不少于2平方米）", "6"),
                    _per("1.3", "栏体结构牢固，无破损、锈蚀", "8", "2", "8"),
                    _per("1.4", "栏面整洁，无积尘，无乱贴小广告", "8", "2", "8", category="graffiti"),
                ],
            },
            {
                "name": "二、内容质量",
                "items": [
                    _fixed("2.1", "内容定期更新（每两个月不少于1次）", "12", "8"),
                    _per("2.2", "以健康知识为主，内容科学准确，无商业广告", "10", "2", "10"),
                    _fixed("2.3", "结合季节性传染病防控、爱国卫生月等主题", "8", "4"),
                    _per("2.4", "包含控烟、合理膳食、病媒生物防制等健康知识", "8", "2", "8"),
                    _per("2.5", "图文并茂、字迹清楚，无褪色、脱落", "7", "2", "7"),
                ],
            },
            {
                "name": "三、管理维护",
                "items": [
                    _fixed("3.1", "有专人负责宣传栏管理维护", "8", "4", photo=False),
                    _fixed("3.2", "留存每期宣传内容照片等资料台账", "9", "5", photo=False),
                    _fixed("3.3", "标注主办单位和更新日期", "8", "4"),
                ],
            },
        ],
    },
    {
        "code": "construction",
        "name": "建筑工地",
        "target_kind": "unit",
        "unit_types": ["construction"],
        "level": "",
        "description": "用于检查建筑工地的围挡、车辆冲洗、扬尘防治和场容秩序，黄土裸露未覆盖一票否决" + EXAMPLE_NOTE,
        "sections": [
            {
                "name": "一、围挡与出入口",
                "items": [
                    _per("1.1", "施工现场连续封闭围挡，高度符合要求，无破损、倒塌", "8", "2", "8"),
                    _per("1.2", "出入口设置车辆冲洗设施，驶出车辆冲洗干净，不带泥上路", "10", "2", "10"),
                    _per("1.3", "出入口及周边道路整洁，无泥浆、渣土撒漏", "7", "2", "7", category="exposed_garbage"),
                ],
            },
            {
                "name": "二、扬尘防治",
                "items": [
                    _pass_fail("2.1", "裸露黄土、渣土堆全部覆盖（黄土裸露未覆盖一票否决）", "12", veto=True),
                    _per("2.2", "渣土运输车辆密闭运输，无抛洒滴漏", "8", "2", "8", category="exposed_garbage"),
                    _fixed("2.3", "施工道路硬化，定时洒水降尘", "7", "4"),
                    _per("2.4", "建筑垃圾集中堆放、及时清运", "8", "2", "8", category="exposed_garbage"),
                ],
            },
            {
                "name": "三、场容秩序",
                "items": [
                    _per("3.1", "建筑材料分类堆放整齐，不在围挡外占道堆放", "7", "2", "7", category="road_occupation"),
                    _per("3.2", "泥浆、施工污水经沉淀后排放，无外溢", "6", "2", "6", category="sewage"),
                    _per("3.3", "围挡外立面整洁，无乱贴乱画，公益广告完好", "5", "1", "5", category="graffiti"),
                    _per("3.4", "施工现场厕所清洁，定期清掏，无异味", "7", "2", "7", category="toilet_dirty"),
                ],
            },
            {
                "name": "四、病媒防制与管理",
                "items": [
                    _per("4.1", "无积水坑洼、废弃容器等蚊蝇孳生地", "6", "2", "6", category="breeding_site"),
                    _fixed("4.2", "工地食堂持证经营，防鼠防蝇设施齐全", "5", "3"),
                    _fixed("4.3", "公示扬尘防治责任人和监督电话", "4", "2"),
                ],
            },
        ],
    },
]


def _decimal(value, where: str) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f"{where}: scores must be decimal strings, got {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{where}: {value!r} is not a decimal") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{where}: {value!r} must be a finite, non-negative decimal")
    return number


def _validate_item(item, where: str) -> Decimal:
    if not isinstance(item, dict) or set(item) != ITEM_KEYS:
        raise ValueError(f"{where}: item keys must be exactly {sorted(ITEM_KEYS)}")
    if not isinstance(item["code"], str) or not item["code"]:
        raise ValueError(f"{where}: item code must be a non-empty string")
    where = f"{where} item {item['code']}"
    if not isinstance(item["text"], str) or not item["text"].strip():
        raise ValueError(f"{where}: text must be a non-empty string")
    max_score = _decimal(item["max_score"], f"{where} max_score")
    if max_score <= 0:
        raise ValueError(f"{where}: max_score must be positive")
    deduction = _decimal(item["deduction"], f"{where} deduction")
    rule, cap = item["rule"], item["cap"]
    if rule == "per_occurrence":
        if cap is None:
            raise ValueError(f"{where}: per_occurrence needs a cap")
        cap = _decimal(cap, f"{where} cap")
        if not 0 < deduction <= cap <= max_score:
            raise ValueError(f"{where}: per_occurrence needs 0 < deduction <= cap <= max_score")
    elif rule == "fixed":
        if cap is not None:
            raise ValueError(f"{where}: fixed items have no cap")
        if not 0 < deduction <= max_score:
            raise ValueError(f"{where}: fixed needs 0 < deduction <= max_score")
    elif rule == "pass_fail":
        if cap is not None or deduction != 0:
            raise ValueError(f"{where}: pass_fail items have deduction '0' and no cap")
    else:
        raise ValueError(f"{where}: unknown rule {rule!r}")
    for flag in ("photo_required", "veto"):
        if not isinstance(item[flag], bool):
            raise ValueError(f"{where}: {flag} must be True or False")
    if item["category"] is not None and item["category"] not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {item['category']!r}")
    return max_score


def _validate_template(template) -> None:
    if not isinstance(template, dict) or set(template) != TEMPLATE_KEYS:
        raise ValueError(f"template keys must be exactly {sorted(TEMPLATE_KEYS)}")
    where = f"template {template['code']!r}"
    for key in ("code", "name", "description"):
        if not isinstance(template[key], str) or not template[key].strip():
            raise ValueError(f"{where}: {key} must be a non-empty string")
    kind, unit_types, level = template["target_kind"], template["unit_types"], template["level"]
    if kind not in TARGET_KINDS:
        raise ValueError(f"{where}: unknown target_kind {kind!r}")
    if not isinstance(unit_types, list) or len(set(unit_types)) != len(unit_types):
        raise ValueError(f"{where}: unit_types must be a list without repeats")
    unknown = [code for code in unit_types if code not in UNIT_TYPES]
    if unknown:
        raise ValueError(f"{where}: unknown unit types {unknown}")
    if kind == "jurisdiction" and (unit_types or level != "estate"):
        raise ValueError(f"{where}: jurisdiction templates have no unit_types and level 'estate'")
    if kind == "unit" and (not unit_types or level != ""):
        raise ValueError(f"{where}: unit templates need unit_types and an empty level")
    sections = template["sections"]
    if not isinstance(sections, list) or not 3 <= len(sections) <= 5:
        raise ValueError(f"{where}: needs 3-5 sections")
    codes: set[str] = set()
    total = Decimal(0)
    for section in sections:
        if not isinstance(section, dict) or set(section) != SECTION_KEYS:
            raise ValueError(f"{where}: section keys must be exactly {sorted(SECTION_KEYS)}")
        if not isinstance(section["name"], str) or not section["name"].strip():
            raise ValueError(f"{where}: section name must be a non-empty string")
        if not isinstance(section["items"], list) or not section["items"]:
            raise ValueError(f"{where} section {section['name']!r}: needs at least one item")
        for item in section["items"]:
            total += _validate_item(item, where)
            if item["code"] in codes:
                raise ValueError(f"{where}: duplicate item code {item['code']!r}")
            codes.add(item["code"])
    if not 10 <= len(codes) <= 18:
        raise ValueError(f"{where}: needs 10-18 items, has {len(codes)}")
    if total != 100:
        raise ValueError(f"{where}: max scores sum to {total}, not 100")


def validate_starters(templates=STARTER_TEMPLATES) -> None:
    """Raise ValueError if a template breaks the rules above (sums, caps, codes)."""
    seen: set[str] = set()
    for template in templates:
        _validate_template(template)
        if template["code"] in seen:
            raise ValueError(f"duplicate template code {template['code']!r}")
        seen.add(template["code"])
