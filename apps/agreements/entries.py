"""What `agreements` contributes. (filled below)"""

from apps.core.registry import register
from apps.core.roles import EDIT, READ, Role

DESK = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT, Role.COMMUNITY: EDIT}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}
POLICY = {
    "agreements.agreement": {**DESK, **READERS, Role.UNIT_CONTACT: frozenset({"view", "change"})},
    "agreements.agreementtype": {**DESK, **READERS, Role.UNIT_CONTACT: READ},
    "agreements.agreementtemplate": {
        Role.ADMIN: EDIT,
        Role.OFFICE: EDIT,
        Role.STREET: READ,
        Role.COMMUNITY: READ,
        Role.LEADER: READ,
        Role.INSPECTOR: READ,
    },
    "agreements.generationjob": {
        Role.ADMIN: frozenset({"view", "add"}),
        Role.OFFICE: frozenset({"view", "add"}),
        Role.STREET: frozenset({"view", "add"}),
        Role.COMMUNITY: frozenset({"view", "add"}),
        Role.LEADER: READ,
    },
}
from django.utils.translation import pgettext_lazy

AUDIT = {
    "agreements.agreement.sign": pgettext_lazy("audit action", "登记责任书签订"),
    "agreements.agreement.refuse": pgettext_lazy("audit action", "登记责任书拒签"),
    "agreements.agreement.expire": pgettext_lazy("audit action", "责任书到期"),
    "agreements.agreement.supersede": pgettext_lazy("audit action", "续签替代责任书"),
    "agreements.agreement.cancel": pgettext_lazy("audit action", "作废责任书"),
    "agreements.agreement.renewed": pgettext_lazy("audit action", "生成续签责任书"),
    "agreements.template.updated": pgettext_lazy("audit action", "修改责任书模板"),
    "agreements.template.versioned": pgettext_lazy("audit action", "生成责任书模板新版本"),
    "agreements.generation.started": pgettext_lazy("audit action", "发起批量生成责任书"),
    "agreements.generation.finished": pgettext_lazy("audit action", "批量生成了责任书"),
    "agreements.generation.failed": pgettext_lazy("audit action", "批量生成责任书失败"),
}
register("agreements", policy=POLICY, audit_labels=AUDIT)
