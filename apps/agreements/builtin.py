"""The built-in agreement types and their starter templates (data, editable after installation).

Used by migration 0002 (with historical models) and by builders that run after a test flush has
emptied the tables. Names are stored in Chinese and marked with `gettext_noop` for the catalogue;
template texts are documents in the working language and stay as written.
"""

from django.utils.translation import gettext_noop

# code, name, prefix, party kind, required rule, unit types, party levels, zone kind
TYPES = [
    (
        "frontage3",
        gettext_noop("门前三包责任书"),
        "MQ3",
        "unit",
        "units",
        ["shop", "catering", "six_small"],
        [],
        "frontage3",
    ),
    (
        "frontage5",
        gettext_noop("门前五包责任书"),
        "MQ5",
        "unit",
        "on_request",  # counted where given: a deployment that uses 五包 instead of 三包 sets "units"
        ["shop", "catering", "six_small"],
        [],
        "frontage5",
    ),
    ("partner", gettext_noop("共驻共建责任书"), "GJ", "unit", "units", ["partner"], [], ""),
    (
        "target",
        gettext_noop("创卫目标责任书"),
        "MB",
        "jurisdiction",
        "children",
        ["market", "stall"],
        ["district", "street", "community"],
        "",
    ),
    ("pledge", gettext_noop("承诺书"), "CN", "unit", "on_request", ["catering"], [], ""),
]

OPENING = "为巩固创建国家卫生城市成果，明确责任，经{issuer}与{party}协商，签订本责任书。\n"
CLOSING = (
    "\n责任期限：{term}。\n本责任书一式两份，双方各执一份，自签订之日起生效。\n\n"
    "发放单位：{issuer}（盖章）\n责任单位：{party}（签字/盖章）\n编号：{number}"
)

TEMPLATES = {
    "frontage3": (
        "门前三包责任书",
        OPENING
        + "一、责任区域：{zone}。\n二、责任内容：\n{duties}\n"
        + "三、责任单位应自觉接受社区和街道的检查监督，对检查发现的问题按期整改。"
        + CLOSING,
        [
            "包卫生：门前无垃圾、无污水、无痰迹、无烟头纸屑，垃圾入桶、袋装化。",
            "包绿化：爱护门前树木花草，无攀折、无乱挂乱晒。",
            "包秩序：无乱摆摊点、无占道经营、无乱堆乱放、无乱贴乱画。",
        ],
        12,
    ),
    "frontage5": (
        "门前五包责任书",
        OPENING + "一、责任区域：{zone}。\n二、责任内容：\n{duties}\n三、对违反本责任书的，按有关规定处理。" + CLOSING,
        [
            "卫生：门前及责任区域保持整洁，无垃圾杂物。",
            "绿化：爱护责任区内的绿化设施。",
            "美化：门头牌匾整洁美观，无破损。",
            "无乱设摊点：不出店经营、不占道摆卖。",
            "无乱停车辆：门前车辆停放有序。",
            "市政公用设施：爱护并及时报告损坏的市政公用设施。",
        ],
        12,
    ),
    "partner": (
        "共驻共建责任书",
        OPENING + "双方本着“资源共享、共驻共建”的原则，共同做好辖区创卫工作。\n责任内容：\n{duties}" + CLOSING,
        [
            "落实单位内部及包干区域的环境卫生，做到每日两扫、全天保洁。",
            "参加社区组织的爱国卫生义务劳动和宣传活动。",
            "支持社区创卫工作，提供必要的人力物力。",
        ],
        12,
    ),
    "target": (
        "创建国家卫生城市目标责任书",
        "为确保创建国家卫生城市工作目标如期实现，{issuer}与{party}签订本目标责任书。\n目标任务：\n{duties}\n考核奖惩：责任书完成情况纳入年度目标考核。"
        + CLOSING,
        [
            "成立创卫工作领导小组，明确分管领导和工作人员。",
            "辖区内门前三包责任书签订率达到100%。",
            "按期完成上级下达的创卫任务，台账资料齐全。",
            "责任落实到具体市场、档口和责任人，制作责任公示牌。",
        ],
        12,
    ),
    "pledge": (
        "复工承诺书",
        "本单位{party}郑重承诺，在复工复产期间严格遵守以下要求：\n{duties}\n如有违反，愿承担相应责任。" + CLOSING,
        [
            "落实操作间消毒制度，完善防蝇、防鼠、防尘三防设施。",
            "室内外卫生达标，亮证经营。",
            "从业人员持有效健康证明上岗。",
        ],
        6,
    ),
}


def ensure_builtin(type_model=None, template_model=None, version_model=None) -> None:
    """Create the built-in types and a starter template of each when missing."""
    if type_model is None:
        from .models import AgreementTemplate, AgreementType, TemplateVersion

        type_model, template_model, version_model = AgreementType, AgreementTemplate, TemplateVersion
    for sort, (code, name, prefix, party_kind, rule, unit_types, levels, zone_kind) in enumerate(TYPES, start=1):
        agreement_type, _created = type_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "prefix": prefix,
                "party_kind": party_kind,
                "required_rule": rule,
                "unit_types": unit_types,
                "party_levels": levels,
                "zone_kind": zone_kind,
                "sort": sort,
            },
        )
        if template_model.objects.filter(agreement_type=agreement_type).exists():
            continue
        title, body, duties, months = TEMPLATES[code]
        template = template_model.objects.create(agreement_type=agreement_type, name=title)
        version = version_model.objects.create(
            template=template, number=1, title=title, body=body, duties="\n".join(duties), term_months=months
        )
        template.current_version = version
        template.save(update_fields=["current_version"])
