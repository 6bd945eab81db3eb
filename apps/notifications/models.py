"""In-app notifications about any object (a case, an inspection sheet, an appeal, ...)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .messages import render


class Notification(models.Model):
    """An in-app message (and, when configured, SMS/e-mail through `services.notify`).

    The target is generic, and its link and title are stored with the message, so the inbox
    is drawn without loading (or knowing about) the domain model it points at.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("类型"), max_length=30)
    title = models.CharField(_("标题"), max_length=100, blank=True)
    message = models.CharField(_("内容"), max_length=255)
    # The message as a catalogue key and parameters (see messages.py), rendered in the reader's
    # language; `message` keeps the default-language text for rows without a key and for SMS/e-mail.
    message_key = models.TextField(_("内容键"), blank=True)
    params = models.JSONField(_("内容参数"), default=dict, blank=True)
    title_key = models.TextField(_("标题键"), blank=True)
    title_params = models.JSONField(_("标题参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["target_type", "target_id"], name="notif_target_idx"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language (the stored text when it has no key)."""
        return render(self.message_key, self.params) if self.message_key else self.message

    @property
    def title_text(self) -> str:
        """The title (what the message is about) in the active language."""
        return render(self.title_key, self.title_params) if self.title_key else self.title
