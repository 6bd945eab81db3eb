"""Who does what in pest control (除四害与病媒监测), one place for every part's policy rows.

- The desk (admin, office, street, community) records and corrects everything of its area.
- Grid workers record operations and household surveys on patrol (add), and read.
- Inspectors (督查员, including the CDC's surveyors given that role) record surveys, and read.
- Leaders read. Unit contacts (including a contractor's) see nothing of this app: operations by a
  contractor are recorded by the desk that hired it.
"""

from apps.core.roles import DESK_ROLES, EDIT, READ, Role

DESK = {role: EDIT for role in DESK_ROLES}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}
VIEW_ADD = frozenset({"view", "add"})
RECORDERS = {**DESK, **READERS, Role.GRID: VIEW_ADD, Role.INSPECTOR: VIEW_ADD}
# Reference data of the whole deployment (products, banned list, control levels, settings):
# the administrator and the district office keep it; everyone who records reads it (products:
# a street or community may also add the ones it buys, policy.py).
REFERENCE = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: READ, Role.COMMUNITY: READ, **READERS}

VIEWERS = frozenset(set(DESK_ROLES) | {Role.GRID, Role.INSPECTOR, Role.LEADER})
