"""Who does what with surveys (the policy rows and the services read these sets)."""

from apps.core.roles import DESK_ROLES, EDIT, READ, Role

DESK = {role: EDIT for role in DESK_ROLES}
READERS = {Role.LEADER: READ, Role.INSPECTOR: READ, Role.GRID: READ}

# Who enter face-to-face answers (interviewer mode): the desk, grid workers and inspectors.
INTERVIEWERS = DESK_ROLES | {Role.GRID, Role.INSPECTOR}
