"""The agreement lifecycle as data, on the core workflow engine (apps/core/workflow.py).

待签订 → 已签订 (signatory, date, a photo or scan of the signed page) or 拒签 (a reason);
已签订 → 已到期 (the daily beat, once the term has ended) or 已续签替代 (a renewal makes a new
agreement); anything still open → 已作废. Nothing is deleted; `status` is assigned nowhere else.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.querysets import user_scope_path
from apps.core.roles import DESK_ROLES, Role
from apps.core.workflow import Workflow, transition

from .choices import AgreementStatus as S
from .models import Agreement

DESK = DESK_ROLES


def signs_for_party(agreement, user) -> bool:
    """The desk of the area, or the unit's own contact for its unit's agreement."""
    if user.role == Role.UNIT_CONTACT:
        return bool(agreement.party_unit_id and agreement.party_unit_id == user.unit_id)
    return True


def issuer_desk(agreement, user) -> bool:
    """Only the issuer's desk (a desk whose subtree holds the issuing jurisdiction) may cancel or
    renew: the party of a target letter (a community its street issued), or the community of a
    shop whose 门前三包 the street issued, may sign or refuse it, not void or replace it."""
    path = user_scope_path(user)
    return bool(path) and agreement.jurisdiction.path.startswith(path)


AGREEMENT_WORKFLOW = Workflow(
    model=Agreement,
    audit_prefix="agreements.agreement",
    lock_related=("jurisdiction", "agreement_type"),
    invalid_message=_("责任书当前为“{status}”，不能{action}。"),
    finished={S.EXPIRED: _("已到期"), S.SUPERSEDED: _("已续签"), S.CANCELLED: _("已作废")},
    transitions=[
        transition(
            "sign",
            [S.GENERATED],
            S.SIGNED,
            _("登记签订"),
            roles=DESK | {Role.UNIT_CONTACT},
            allowed=signs_for_party,
            denied=_("只能登记本单位的责任书。"),
            style="primary",
        ),
        transition("refuse", [S.GENERATED], S.REFUSED, _("登记拒签"), roles=DESK),
        transition("expire", [S.SIGNED], S.EXPIRED, _("到期"), roles=()),
        transition(
            "supersede",
            [S.SIGNED, S.EXPIRED, S.REFUSED],
            S.SUPERSEDED,
            _("续签"),
            roles=DESK,
            allowed=issuer_desk,
            denied=_("只有发放辖区才能续签这份责任书。"),
            confirm=_("将按当前模板生成一份新的责任书，本责任书标记为已续签替代。确定续签吗？"),
        ),
        transition(
            "cancel",
            [S.GENERATED, S.SIGNED, S.REFUSED],
            S.CANCELLED,
            _("作废"),
            roles=DESK,
            allowed=issuer_desk,
            denied=_("只有发放辖区才能作废这份责任书。"),
            confirm=_("作废后不能恢复，确定作废这份责任书吗？"),
        ),
    ],
)

# Steps with their own form (the others are one button with an optional note).
FORM_STEPS = {"sign", "refuse", "supersede"}
