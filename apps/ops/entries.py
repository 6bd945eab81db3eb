"""What `ops` contributes: the health endpoint (backup, restore are management commands)."""

from apps.core.registry import AccessRow, register

register(
    "ops",
    urls=[("", "apps.ops.urls")],
    access=[AccessRow("ops:health_detail", allowed="admin", forbidden="street")],
    # The load balancer asks without a login; the body says only ok/failing per check.
    public_urls={"ops:health"},
)
