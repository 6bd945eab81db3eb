"""The .xlsx ledgers of the operations part: operations with their drugs and follow-ups (the
list's filters), and a store's movements (the drug ledger)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..choices import INBOUND, PackageUnit
from ..selectors.operations import line_totals, movement_list, operation_rows
from ..services.operations import followup_rates
from ..templatetags.pest_operations import method_labels, pest_labels


def operation_export_rows(user, filters):
    return operation_rows(user=user, filters=filters)


def _sum_quantity(op, unit):
    return line_totals(op.drugs.all())["kg" if unit == PackageUnit.GRAM else "litres"]


def _checks(op):
    checks = list(op.follow_ups.all())
    return (
        sum(c.households_checked for c in checks),
        sum(c.households_bought for c in checks),
        sum(c.households_retained for c in checks),
    )


def operation_columns():
    return [
        (_("编号"), lambda o: o.pk),
        (_("作业日期"), lambda o: o.performed_on.isoformat()),
        (_("开始时间"), lambda o: o.started_at.strftime("%H:%M") if o.started_at else ""),
        (_("作业辖区"), lambda o: o.jurisdiction.name),
        (_("所属行动"), lambda o: o.campaign.title if o.campaign_id else ""),
        (_("作业类型"), lambda o: o.get_kind_display()),
        (_("防制对象"), lambda o: pest_labels(o.pests)),
        (_("防制方法"), lambda o: method_labels(o.methods)),
        (_("作业地点"), lambda o: o.place),
        (_("处理面积（平方米）"), lambda o: o.area_m2),
        (_("清理排污管道（条）"), lambda o: o.drains_cleared),
        (_("清理沟渠（条）"), lambda o: o.channels_cleared),
        (_("清除孳生地（处）"), lambda o: o.breeding_sites_cleared),
        (_("覆盖住户（户）"), lambda o: o.households_covered),
        (_("实施方"), lambda o: o.contractor.name if o.contractor_id else o.get_executor_kind_display()),
        (_("用药明细"), lambda o: pgettext("separator", "；").join(str(d) for d in o.drugs.all())),
        (_("用药（kg）"), lambda o: _sum_quantity(o, PackageUnit.GRAM)),
        (_("用药（L）"), lambda o: _sum_quantity(o, PackageUnit.MILLILITRE)),
        (_("回访户数"), lambda o: _checks(o)[0]),
        (_("购药率（%）"), lambda o: followup_rates(*_checks(o))["purchase_rate"] or ""),
        (_("保留率（%）"), lambda o: followup_rates(*_checks(o))["retention_rate"] or ""),
    ]


def movement_export_rows(user, filters):
    return movement_list(user=user, filters=filters)


def movement_columns():
    return [
        (_("日期"), lambda m: m.moved_on.isoformat()),
        (_("库房"), lambda m: m.store.name),
        (_("类型"), lambda m: m.get_kind_display()),
        (_("药物"), lambda m: m.product.name),
        (_("有效成分"), lambda m: m.product.active_ingredient),
        (_("农药登记证号"), lambda m: m.product.registration_no),
        (_("批号"), lambda m: m.batch_no),
        (_("有效期至"), lambda m: m.expires_on.isoformat() if m.expires_on else ""),
        (_("数量（包/瓶）"), lambda m: m.packages if m.kind in INBOUND else -m.packages),
        (_("发放对象"), lambda m: (m.to_jurisdiction.name if m.to_jurisdiction_id else "") + m.household_batch),
        (_("供货单位"), lambda m: m.supplier),
        (_("说明"), lambda m: m.note),
    ]
