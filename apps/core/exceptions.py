"""Domain errors. Views turn them into form errors, the API into a JSON error body."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    default_message = _("操作无法完成。")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ConcurrentEdit(DomainError):
    default_message = _("该记录已被他人修改，请刷新页面后重新编辑。")


class OutsideJurisdiction(DomainError):
    default_message = _("该对象不在您的管辖范围内。")


class PermissionDeniedForRole(DomainError):
    default_message = _("您的角色无权执行此操作。")
