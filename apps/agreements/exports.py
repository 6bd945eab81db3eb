"""The agreement list as .xlsx (the same filters as the page); signatories masked."""

from django.utils.translation import gettext_lazy as _

from apps.core import personal

from .selectors import agreement_list


def agreement_rows(user, filters):
    return agreement_list(user=user, filters=filters).select_related("agreement_type", "jurisdiction")


def agreement_columns():
    return [
        (_("编号"), lambda a: a.number),
        (_("类型"), lambda a: str(a.agreement_type)),
        (_("责任方"), lambda a: a.party_name),
        (_("发放辖区"), lambda a: a.jurisdiction.name),
        (_("期限起"), lambda a: a.starts_on),
        (_("期限止"), lambda a: a.ends_on),
        (_("状态"), lambda a: a.get_status_display()),
        (_("签订人"), lambda a: personal.in_records(a, "signatory_name")),
        (_("签订人电话"), lambda a: personal.in_records(a, "signatory_phone")),
        (_("签订日期"), lambda a: a.signed_on),
        (_("拒签原因"), lambda a: a.refused_reason),
    ]
