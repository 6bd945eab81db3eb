"""Who does what in health education (the policy rows and the services read these sets)."""

from apps.core.roles import ADD, DESK_ROLES, EDIT, READ, VIEW, Role

DESK = {role: EDIT for role in DESK_ROLES}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}
VIEW_ADD = frozenset({VIEW, ADD})

# Who post a board's new content with its photo: the desk and the grid workers on their rounds.
BOARD_UPDATERS = DESK_ROLES | {Role.GRID}
# Who check a smoke-free place: the desk and the inspectors (督查员), and grid workers on patrol.
PLACE_CHECKERS = DESK_ROLES | {Role.INSPECTOR, Role.GRID}
