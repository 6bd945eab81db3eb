"""What `standards` contributes: permission rows, menu, audit labels, the standard import spec,
its pages and API rows of the access matrix."""

from apps.core.registry import register
from apps.core.roles import EDIT, READ, Role

register(
    "standards",
    # Standards are reference data: the office keeps them, everyone who works on a campaign reads them.
    policy={
        "standards.standard": {
            Role.ADMIN: EDIT,
            Role.OFFICE: EDIT,
            Role.STREET: READ,
            Role.COMMUNITY: READ,
            Role.INSPECTOR: READ,
            Role.LEADER: READ,
        },
    },
    menu=[],  # the standards pages add their menu entry
)
