"""What `agreements` contributes (responsibility agreements, their templates, signing and coverage):
permission rows, menu, audit labels, exports, widgets, evidence and figures, the demo, URL mounts,
API routes, personal data and access rows (one list per concept)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.personal import Part, PersonalField, PersonKind
from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import DESK_ROLES, EDIT, READ, Role

from . import evidence, exports, reporting, widgets

# Desks edit in their subtree; leaders, inspectors and grid workers read; a unit contact reads its
# unit's agreements and may record its own signature (the `sign` step checks the unit).
DESK = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT, Role.COMMUNITY: EDIT}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}
POLICY = {
    "agreements.agreement": {**DESK, **READERS, Role.UNIT_CONTACT: frozenset({"view", "change"})},
    "agreements.agreementtype": {**DESK, **READERS, Role.UNIT_CONTACT: READ},
    # Templates are reference data of the whole deployment (`scope_q` is every row): only the
    # administrator edits; a district's office reads, or it would rewrite every district's.
    "agreements.agreementtemplate": {
        Role.ADMIN: EDIT,
        Role.OFFICE: READ,
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

MENU = [MenuEntry("agreements", _("责任书"), "agreements:agreement_list", "agreements.agreement", order=335)]

AUDIT_AGREEMENTS = {
    # one agreement's steps (the workflow's audit actions) and its renewal
    "agreements.agreement.sign": pgettext_lazy("audit action", "登记责任书签订"),
    "agreements.agreement.refuse": pgettext_lazy("audit action", "登记责任书拒签"),
    "agreements.agreement.expire": pgettext_lazy("audit action", "责任书到期"),
    "agreements.agreement.supersede": pgettext_lazy("audit action", "续签替代责任书"),
    "agreements.agreement.cancel": pgettext_lazy("audit action", "作废责任书"),
    "agreements.agreement.renewed": pgettext_lazy("audit action", "生成续签责任书"),
    "agreements.agreement.issued": pgettext_lazy("audit action", "单独签发责任书"),
}

AUDIT_TEMPLATES = {
    "agreements.template.updated": pgettext_lazy("audit action", "修改责任书模板"),
    "agreements.template.versioned": pgettext_lazy("audit action", "生成责任书模板新版本"),
}

AUDIT_GENERATION = {
    "agreements.generation.started": pgettext_lazy("audit action", "发起批量生成责任书"),
    "agreements.generation.finished": pgettext_lazy("audit action", "批量生成了责任书"),
    "agreements.generation.failed": pgettext_lazy("audit action", "批量生成责任书失败"),
}

AUDIT_FIELDS = {
    "photos": _("照片数"),
    "number": _("版本号"),
    "renews": _("续签自"),
    "agreement_type": _("责任书类型"),
    "message": _("说明"),
}

PERSONAL = [
    PersonalField("agreements.agreement", "signatory_name", Part.NAME, PersonKind.SIGNATORY),
    PersonalField("agreements.agreement", "signatory_phone", Part.PHONE, PersonKind.SIGNATORY),
]

WIDGETS = [
    Widget("agreements.due", "agreements/widgets/due.html", widgets.agreements_due, DESK_ROLES, 35),
    Widget("agreements.jobs", "agreements/widgets/jobs.html", widgets.my_jobs, DESK_ROLES, 36),
]

EXPORTS = [
    ExportSource("agreements", _("责任书"), "agreements.agreement", exports.agreement_rows, exports.agreement_columns)
]

DEMO = [DemoBuilder("agreements", "apps.agreements.demo.build", after=("campaigns_assessment",))]


def _today() -> str:
    return timezone.localdate().isoformat()


def atype_pk(code: str) -> int:
    from .models import AgreementType

    return AgreementType.objects.get(code=code).pk


def _sign_data(o) -> dict:
    return {
        "signatory_name": "张签",
        "signatory_phone": "13900000000",
        "signed_on": _today(),
        "photos": o.rewinding_jpeg(),
        "version": o.agreement_to_sign.version,
    }


ACCESS_AGREEMENTS = [
    AccessRow("agreements:agreement_list", allowed="unit_contact"),
    AccessRow("agreements:agreement_detail", args=lambda o: [o.agreement.pk], allowed="community", other="community_b"),
    AccessRow(
        "agreements:agreement_sign",
        args=lambda o: [o.agreement_to_sign.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
        data=_sign_data,
    ),
    AccessRow(
        "agreements:agreement_refuse",
        args=lambda o: [o.agreement_to_refuse.pk],
        allowed="community",
        other="community_other",
        forbidden="grid",
        method="post",
        data=lambda o: {"reason": "不同意", "version": o.agreement_to_refuse.version},
    ),
    AccessRow(
        "agreements:agreement_renew",
        args=lambda o: [o.agreement.pk],
        allowed="street",
        other="street_other",
        forbidden="leader",
    ),
    AccessRow(
        "agreements:agreement_step",
        args=lambda o: [o.agreement_to_cancel.pk, "cancel"],
        allowed="community",
        other="community_other",
        forbidden="leader",
        method="post",
        data=lambda o: {"version": o.agreement_to_cancel.version},
    ),
    AccessRow("agreements:agreement_docx", args=lambda o: [o.agreement.pk], allowed="leader", other="community_b"),
    AccessRow("agreements:agreement_board", args=lambda o: [o.agreement.pk], allowed="community", other="community_b"),
    AccessRow(
        "agreements:photo",
        args=lambda o: [o.agreement_photo.pk, "thumb"],
        allowed="community",
        other="community_b",
        forbidden="leader",
    ),
    AccessRow(
        "agreements:scan",
        args=lambda o: [o.agreement_scan.pk],
        allowed="community",
        other="community_b",
        forbidden="leader",
    ),
    AccessRow(
        "agreements:agreement_issue",
        allowed="street",
        other="street_other",
        forbidden="leader",
        method="post",
        data=lambda o: {
            "unit": o.unit_a1b.pk,
            "agreement_type": atype_pk("pledge"),
            "issuer": o.street_a.pk,
            "starts_on": _today(),
        },
    ),
    AccessRow("agreements:coverage", allowed="street", forbidden="unit_contact"),
    AccessRow("agreements:coverage_lacking", allowed="street", forbidden="unit_contact"),
    AccessRow("agreement-list", allowed="unit_contact", api=True),
    AccessRow("agreement-detail", args=lambda o: [o.agreement.pk], allowed="community", other="community_b", api=True),
]

ACCESS_JOBS = [
    AccessRow("agreements:job_list", allowed="community", forbidden="grid"),
    AccessRow(
        "agreements:job_start",
        allowed="street",
        forbidden="leader",
        method="post",
        data=lambda o: {
            "agreement_type": o.agreement_type_partner.pk,
            "jurisdiction": o.comm_a2.pk,
            "starts_on": _today(),
        },
    ),
    AccessRow(
        "agreements:job_detail",
        args=lambda o: [o.agreement_job.pk],
        allowed="street",
        other="street_other",
        forbidden="grid",
    ),
    AccessRow(
        "agreements:job_docx",
        args=lambda o: [o.agreement_job.pk],
        allowed="community",
        other="street_other",
        forbidden="grid",
    ),
]

ACCESS_TEMPLATES = [
    AccessRow("agreements:template_list", allowed="leader", forbidden="grid"),
    AccessRow(
        "agreements:template_detail", args=lambda o: [o.agreement_template.pk], allowed="community", forbidden="grid"
    ),
    AccessRow(
        "agreements:template_version",
        args=lambda o: [o.agreement_template.pk, 1],
        allowed="leader",
        forbidden="unit_contact",
    ),
    AccessRow(
        "agreements:template_edit", args=lambda o: [o.agreement_template.pk], allowed="admin", forbidden="office"
    ),
]

register(
    "agreements",
    policy=POLICY,
    menu=MENU,
    audit_labels={**AUDIT_AGREEMENTS, **AUDIT_TEMPLATES, **AUDIT_GENERATION},
    audit_fields=AUDIT_FIELDS,
    exports=EXPORTS,
    widgets=WIDGETS,
    evidence_providers=[evidence.SIGNED_SOURCE],
    figures=evidence.figures(),
    report_sections=[reporting.SECTION],
    demo=DEMO,
    urls=[("agreements/", "apps.agreements.urls")],
    api_routes=[("agreements", "apps.agreements.api.AgreementViewSet")],
    access_world="apps.agreements.tests.world.extend",
    access=[*ACCESS_AGREEMENTS, *ACCESS_JOBS, *ACCESS_TEMPLATES],
    personal_data=PERSONAL,
)
