"""The overview's part of pestcontrol's entries: the one menu entry (除四害) and its page."""

from django.utils.translation import gettext_lazy as _

from apps.core.registry import AccessRow, MenuEntry

from ..roles import VIEWERS

MENU = [
    MenuEntry("pestcontrol", _("除四害"), "pestcontrol:home", "pestcontrol.survey", roles=VIEWERS, order=350),
]

ACCESS = [
    AccessRow("pestcontrol:home", allowed="grid", forbidden="unit_contact"),
]
