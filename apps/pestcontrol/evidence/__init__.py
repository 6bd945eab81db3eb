"""What pestcontrol offers the evidence ledger and the totals page, one module per part."""

from django.utils.translation import gettext_lazy as _

# The heading of every pestcontrol figure on the totals page (数据汇总).
GROUP = _("除四害与病媒监测")
